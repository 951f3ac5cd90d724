package metrics

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"warroom/backends/room"
)

// The server answers GET /metrics in the text format and nothing else,
// and stops when its context ends.
func TestServerAnswersMetricsOnly(t *testing.T) {
	m := New(Options{Snapshot: func() *room.Snapshot { return fixed() }})
	srv, err := Listen("127.0.0.1:0", m.Handler())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx) }()
	base := "http://" + srv.Addr()
	client := &http.Client{Timeout: 10 * time.Second}

	resp, err := client.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s, parse: %v", resp.Status, err)
	}
	for _, name := range []string{"warroom_mirror_up", "warroom_journal_append_seconds", "warroom_actions_total", "go_goroutines", "process_cpu_seconds_total"} {
		if families[name] == nil {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	if up := families["warroom_mirror_up"]; up != nil && len(up.GetMetric()) != 3 {
		t.Errorf("warroom_mirror_up has %d series, want the origin and 2 mirrors", len(up.GetMetric()))
	}

	for _, tc := range []struct {
		method, path string
		status       int
	}{{"GET", "/", 404}, {"GET", "/debug/pprof/", 404}, {"POST", "/metrics", 405}} {
		req, _ := http.NewRequest(tc.method, base+tc.path, strings.NewReader("x"))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: %s %q, want %d", tc.method, tc.path, resp.Status, body, tc.status)
		}
	}

	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve after its context ended: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	if _, err := client.Get(base + "/metrics"); err == nil {
		t.Error("still answering after Serve returned")
	}
}

func TestListenNamesTheAddressItCannotBind(t *testing.T) {
	first, err := Listen("127.0.0.1:0", http.NotFoundHandler())
	if err != nil {
		t.Fatal(err)
	}
	defer first.ln.Close()
	_, err = Listen(first.Addr(), http.NotFoundHandler())
	if err == nil || !strings.Contains(err.Error(), "metrics.listen "+first.Addr()) {
		t.Errorf("second Listen on %s: %v", first.Addr(), err)
	}
}
