package mirrors

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"warroom/backends/config"
)

// TestProbePoolsUpToPoolUpToMirrors: while the fleet is within PoolUpTo
// its mirrors share pooled connections; beyond it every probe dials anew
// and keeps nothing open after its own requests.
func TestProbePoolsUpToPoolUpToMirrors(t *testing.T) {
	var conns, open atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			conns.Add(1)
			open.Add(1)
		case http.StateClosed, http.StateHijacked:
			open.Add(-1)
		}
	}
	srv.Start()
	defer srv.Close()
	p := NewProber(ProberOptions{FreshEvery: -1, PoolUpTo: 2})
	defer p.Close()
	probe := func(name string) {
		t.Helper()
		m := mirrorFor(t, name, srv.URL, config.LagNone, "")
		m.Manifest, m.Syncing = "/manifest", ""
		if o := p.Probe(context.Background(), m); !o.OK() {
			t.Fatalf("probe %s: %+v", name, o)
		}
	}
	probe("a")
	probe("b")
	probe("a")
	if n := conns.Load(); n != 1 {
		t.Fatalf("3 probes of 2 mirrors within PoolUpTo used %d connections, want 1 (pooled)", n)
	}
	probe("c") // the third mirror: over the bound
	probe("a")
	if n := conns.Load(); n != 3 {
		t.Errorf("after the fleet grew past PoolUpTo, 2 probes dialled %d times, want 2 (fresh each)", n-1)
	}
	// The server sees each closed connection's end a moment later.
	waitFor(t, func() bool { return open.Load() == 0 }, "every connection closed once the fleet is over PoolUpTo")
}

// waitFor polls cond until it holds or 5 s pass (a deadline, not a sleep).
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within 5s: %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
