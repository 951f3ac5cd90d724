package hosts

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// standIn serves a node_exporter page the test swaps at will.
type standIn struct {
	mu     sync.Mutex
	page   string
	status int
	hang   chan struct{} // when set, requests wait for it (or their end)
	*httptest.Server
}

func newStandIn(t testing.TB, page string) *standIn {
	t.Helper()
	s := &standIn{page: page, status: http.StatusOK}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		page, status, hang := s.page, s.status, s.hang
		s.mu.Unlock()
		if hang != nil {
			select {
			case <-hang:
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(page))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *standIn) set(page string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.page, s.status = page, status
}

func readPage(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// The exporter page 10 s apart: every figure from the text format, the
// rates and the I/O latency exactly (see testdata/node_t*.prom).
func TestExporterSourceArithmetic(t *testing.T) {
	srv := newStandIn(t, readPage(t, "node_t0.prom"))
	for _, tc := range []struct {
		disk, mount string
		latency     float64
		diskPct     float64
	}{
		{"", "/", 13.0 / 500, 75},       // sda 8 s + nvme0n1 5 s over 500 I/Os; dm-0 left out
		{"sda", "/srv", 8.0 / 400, 90},  // 20 ms
		{"nvme0n1", "/", 5.0 / 100, 75}, // 50 ms
		{"sdz", "/", -1, 75},            // no such device: unknown, not zero
	} {
		srv.set(readPage(t, "node_t0.prom"), http.StatusOK)
		s := NewSampler(Options{Host: "web1", DiskPath: tc.mount, Disk: tc.disk,
			Source: NewExporter(ExporterOptions{URL: srv.URL + "/metrics", Timeout: 5 * time.Second})})
		first := s.Sample(t0)
		if first.Err != "" || first.NoAnswer || first.DiskLatency != -1 || first.CPUPercent != -1 {
			t.Fatalf("first sample: err %q noanswer %v latency %v cpu %v", first.Err, first.NoAnswer, first.DiskLatency, first.CPUPercent)
		}
		srv.set(readPage(t, "node_t10.prom"), http.StatusOK)
		got := s.Sample(t0.Add(10 * time.Second))
		if got.Err != "" {
			t.Fatalf("disk %q: err %q", tc.disk, got.Err)
		}
		checks := map[string][2]float64{
			"CPUPercent":   {got.CPUPercent, 80}, // 16 busy of 20 core-seconds
			"MemPercent":   {got.MemPercent, 50},
			"Load1":        {got.Load1, 3.5},
			"Load5":        {got.Load5, 1.25},
			"Load15":       {got.Load15, 1},
			"DiskPercent":  {got.DiskPercent, tc.diskPct},
			"DiskReadBps":  {got.DiskReadBps, 1e6},
			"DiskWriteBps": {got.DiskWriteBps, 3e6},
			"NetRxBps":     {got.NetRxBps, 5e5}, // lo left out
			"NetTxBps":     {got.NetTxBps, 1e5},
			"DiskLatency":  {got.DiskLatency, tc.latency},
		}
		for name, c := range checks {
			if !near(c[0], c[1]) {
				t.Errorf("disk %q mount %s: %s = %v, want %v", tc.disk, tc.mount, name, c[0], c[1])
			}
		}
		if got.MemUsed != 4<<30 || got.MemTotal != 8<<30 || got.Host != "web1" || got.DiskPath != tc.mount {
			t.Errorf("memory %d of %d, host %q, path %q", got.MemUsed, got.MemTotal, got.Host, got.DiskPath)
		}
	}
}

// A page without some families gives those parts' errors and the rest.
func TestExporterToleratesMissingFamilies(t *testing.T) {
	var kept []string
	for _, line := range strings.Split(readPage(t, "node_t0.prom"), "\n") {
		if !strings.Contains(line, "node_disk_") && !strings.Contains(line, "MemAvailable") {
			kept = append(kept, line)
		}
	}
	srv := newStandIn(t, strings.Join(kept, "\n"))
	s := NewSampler(Options{Host: "web1", Source: NewExporter(ExporterOptions{URL: srv.URL})})
	got := s.Sample(t0)
	if got.NoAnswer || got.MemPercent != -1 || got.DiskReadBps != -1 || got.DiskLatency != -1 {
		t.Errorf("noanswer %v mem %v disk read %v latency %v", got.NoAnswer, got.MemPercent, got.DiskReadBps, got.DiskLatency)
	}
	if got.Load1 != 1.5 || got.DiskPercent != 75 {
		t.Errorf("the families present were not read: load %v disk %v", got.Load1, got.DiskPercent)
	}
	for _, want := range []string{"memory: no node_memory_MemAvailable_bytes on the page", "disk io counters: no node_disk_read_bytes_total on the page"} {
		if !strings.Contains(got.Err, want) {
			t.Errorf("err %q lacks %q", got.Err, want)
		}
	}
}

// An exporter that does not answer, or answers something else, is a
// NoAnswer sample saying why, never with the URL (it may hold a password).
func TestExporterFailuresSayWhy(t *testing.T) {
	srv := newStandIn(t, readPage(t, "node_t0.prom"))
	withAuth := strings.Replace(srv.URL, "http://", "http://scrape:hunter2@", 1)
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	for _, tc := range []struct {
		name, url string
		setup     func()
		want      string
	}{
		{"status", withAuth, func() { srv.set("oops", http.StatusServiceUnavailable) }, "exporter: answered 503 Service Unavailable"},
		{"garbage", withAuth, func() { srv.set("<html>node_load1 {</html>", http.StatusOK) }, "exporter: not the Prometheus text format"},
		{"too large", withAuth, func() {
			srv.set("# "+strings.Repeat("x", MaxExporterPage+10)+"\n", http.StatusOK)
		}, "exporter: page larger than 8 MiB"},
		{"refused", deadURL + "/?token=hunter2", func() {}, "connection refused"},
		{"hangs", withAuth, func() {
			srv.set(readPage(t, "node_t0.prom"), http.StatusOK)
			srv.mu.Lock()
			srv.hang = make(chan struct{})
			srv.mu.Unlock()
		}, "exporter: no answer within 200ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.setup()
			timeout := 10 * time.Second // reading 8 MiB under -race on a busy machine
			if tc.name == "hangs" {
				timeout = 200 * time.Millisecond
			}
			s := NewSampler(Options{Host: "web1", Source: NewExporter(ExporterOptions{URL: tc.url, Timeout: timeout})})
			got := s.SampleContext(context.Background(), t0)
			if !got.NoAnswer || !strings.Contains(got.Err, tc.want) || !strings.HasPrefix(got.Err, `host "web1": `) {
				t.Errorf("noanswer %v err %q, want it to contain %q", got.NoAnswer, got.Err, tc.want)
			}
			if strings.Contains(got.Err, "hunter2") {
				t.Errorf("err shows the secret: %q", got.Err)
			}
			if got.CPUPercent != -1 || got.MemPercent != -1 || got.Load1 != -1 || got.DiskPercent != -1 {
				t.Errorf("figures of a failed scrape: %+v", got)
			}
		})
	}
	srv.mu.Lock()
	close(srv.hang)
	srv.hang = nil
	srv.mu.Unlock()
}

// A scrape that fails in between keeps the baselines: the next good page
// gives rates over the whole interval.
func TestExporterGapAveragesOverTheLongerInterval(t *testing.T) {
	srv := newStandIn(t, readPage(t, "node_t0.prom"))
	s := NewSampler(Options{Host: "web1", Source: NewExporter(ExporterOptions{URL: srv.URL})})
	s.Sample(t0)
	srv.set("", http.StatusBadGateway)
	if got := s.Sample(t0.Add(5 * time.Second)); !got.NoAnswer {
		t.Fatalf("want no answer, got %+v", got)
	}
	srv.set(readPage(t, "node_t10.prom"), http.StatusOK)
	got := s.Sample(t0.Add(20 * time.Second))
	if !near(got.NetRxBps, 5e6/20) || !near(got.CPUPercent, 80) || !near(got.DiskLatency, 13.0/500) {
		t.Errorf("after a gap: rx %v cpu %v latency %v", got.NetRxBps, got.CPUPercent, got.DiskLatency)
	}
}
