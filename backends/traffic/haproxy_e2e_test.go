package traffic_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/actions/actionstest"
	"warroom/backends/config"
	"warroom/backends/mirrors"
	"warroom/backends/room"
	"warroom/backends/traffic"
)

// backend answers /health with 200 always, and / with 500 for every
// bad-th tenth request (0: never).
func backend(t *testing.T, bad int64) *httptest.Server {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/health" && (n.Add(1)-1)%10 < bad {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		_, _ = io.WriteString(w, "ok\n")
	}))
	t.Cleanup(srv.Close)
	return srv
}

func e2eConfig(urls map[string]string) *config.Config {
	cfg := config.Default()
	cfg.Site = "e2e"
	mk := func(name, role string) config.Mirror {
		u, _ := url.Parse(urls[name])
		return config.Mirror{Name: name, URL: u, Region: "r-" + name, Role: role,
			Health: config.Health{Path: "/health", Method: "GET", ExpectStatus: []int{200}, Interval: 5 * time.Second,
				Timeout: 2 * time.Second, FailAfter: 2, RecoverAfter: 2}}
	}
	cfg.Origin = mk("tokyo", "origin")
	cfg.Origin.Name = "origin"
	cfg.Mirrors = []config.Mirror{mk("tokyo", "active"), mk("osaka", "backup")}
	cfg.ApplyDefaults()
	return &cfg
}

// Real users' traffic through a real HAProxy: osaka answers 500 to 30 %
// of requests while its health check passes. Every 5 s of the room's
// clock the test sends 100 requests through HAProxy's frontend, probes
// both mirrors for real and reads show stat; after the sustain time (30s)
// osaka's mirror-5xx alert fires and osaka is degraded while its probes
// pass, and tokyo raises nothing.
func TestUsers5xxThroughARealHAProxyFireWhileProbesPass(t *testing.T) {
	good, bad := backend(t, 0), backend(t, 3)
	hx := actionstest.StartHAProxy(t, "mirrors", map[string]string{"tokyo": good.URL, "osaka": bad.URL})
	cfg := e2eConfig(map[string]string{"tokyo": good.URL, "osaka": bad.URL})
	clock := clockwork.NewFakeClockAt(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
	r, err := room.New(room.Options{Config: cfg, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context() // ended before cleanups run: the room stops, then is waited for
	done := make(chan struct{})
	go func() { _ = r.Run(ctx); close(done) }()
	t.Cleanup(func() { <-done })

	prober := mirrors.NewProber(mirrors.ProberOptions{Clock: clock})
	defer prober.Close()
	reader := traffic.NewReader("edge", config.HAProxyExecutor{Address: hx.SocketPath, Backend: hx.Backend}, []string{"tokyo", "osaka"}, nil)
	users := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: nil}}
	defer users.CloseIdleConnections()
	var codes [6]int
	send := func(n int) {
		for range n {
			resp, err := users.Get("http://" + hx.FrontendAddr + "/pool/file")
			if err != nil {
				t.Fatalf("through HAProxy: %v\n%s", err, hx.Log())
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			codes[resp.StatusCode/100]++
		}
	}
	step := func() *room.Snapshot {
		for _, m := range cfg.Mirrors {
			r.ObserveProbe(prober.Probe(ctx, m))
		}
		r.ObserveTraffic(reader.Read(ctx, clock.Now()))
		c, stop := context.WithTimeout(ctx, 10*time.Second)
		defer stop()
		if err := r.Settle(c); err != nil {
			t.Fatal(err)
		}
		return r.Snapshot()
	}
	step() // the first reading only sets the counters
	var s *room.Snapshot
	var raisedAt time.Duration
	for i := 1; i <= 9 && raisedAt == 0; i++ {
		send(100)
		clock.Advance(5 * time.Second)
		s = step()
		if findAlert(s, "mirror-5xx/osaka") != nil {
			raisedAt = time.Duration(i) * 5 * time.Second
		}
	}
	if raisedAt == 0 {
		t.Fatalf("no mirror-5xx/osaka after 45s of 30 %% 5xx (users got %v by class); alerts %+v, osaka %+v", codes, s.Alerts, mirror(s, "osaka").Traffic)
	}
	if raisedAt < 30*time.Second {
		t.Errorf("raised after %s, before the sustain time", raisedAt)
	}
	o, tk := mirror(s, "osaka"), mirror(s, "tokyo")
	if o.Status != 200 || o.ErrorRate != 0 || o.State != room.StateDegraded || !strings.Contains(o.Reason, "5xx") {
		t.Errorf("osaka: probe status %d, probe errors %v, %s (%q): want probes passing and degraded by users' 5xx", o.Status, o.ErrorRate, o.State, o.Reason)
	}
	if ot := o.Traffic; ot == nil || ot.Share5xx < 0.2 || ot.Share5xx > 0.4 || !ot.Errors {
		t.Errorf("osaka traffic %+v: want about 30 %% 5xx", ot)
	}
	if tk.State != room.StateUp || tk.Traffic == nil || tk.Traffic.Share5xx != 0 || tk.Traffic.ReqRate <= 0 {
		t.Errorf("tokyo %s, traffic %+v: want up with clean traffic", tk.State, tk.Traffic)
	}
	for _, a := range s.Alerts {
		if a.ID != "mirror-5xx/osaka" {
			t.Errorf("unexpected alert %s: %s", a.ID, a.Text)
		}
	}
	if os.Getenv("WARROOM_FIGURES") != "" {
		t.Logf("users got %v (1xx..5xx); osaka %.1f req/s, %.0f %% 5xx; tokyo %.1f req/s; raised after %s",
			codes[1:], o.Traffic.ReqRate, o.Traffic.Share5xx*100, tk.Traffic.ReqRate, raisedAt)
	}
}

func findAlert(s *room.Snapshot, id string) *room.Alert {
	for i := range s.Alerts {
		if s.Alerts[i].ID == id {
			return &s.Alerts[i]
		}
	}
	return nil
}

func mirror(s *room.Snapshot, name string) *room.MirrorView {
	for _, m := range s.Mirrors {
		if m.Name == name {
			return m
		}
	}
	panic(fmt.Sprintf("no mirror %s", name))
}
