package mirrors

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
)

// watched starts a scheduler with a real prober on a fake clock over one
// real loopback mirror, a 15 s interval and retries every retry, and returns it
// after the mirror's first slot was probed fine. What each check that the
// mirror takes connections found goes to reached, when given.
func watched(t *testing.T, srv *httptest.Server, retry time.Duration, reached chan<- bool) (*clockwork.FakeClock, *running, config.Mirror) {
	t.Helper()
	clk := clockwork.NewFakeClockAt(time.Date(2026, 8, 22, 12, 0, 0, 0, time.UTC))
	p := NewProber(ProberOptions{Clock: clk})
	t.Cleanup(p.Close)
	s, obs := newTestScheduler(p, clk)
	s.Jitter = 0
	if reached != nil {
		s.reach = func(ctx context.Context, m *config.Mirror) bool { ok := p.Reachable(ctx, m); reached <- ok; return ok }
	}
	m := mirrorFor(t, "m", srv.URL, config.LagNone, "")
	m.Manifest, m.Syncing = "", ""
	m.Health.RetryInterval = retry
	r := runScheduler(t, s, obs, []config.Mirror{m})
	advance(t, clk, FirstSlot(clk.Now(), m.Name, m.Health.Interval).Sub(clk.Now()))
	if o := r.next(t, 1)[0]; !o.OK() {
		t.Fatalf("first probe failed: %s", o.Err)
	}
	return clk, r, m
}

// advance moves the clock by d once the mirror's goroutine waits on it.
func advance(t *testing.T, clk *clockwork.FakeClock, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := clk.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clk.Advance(d)
}

func okServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
}

// A mirror whose process dies closes the connection kept to it: it is
// probed at once, without waiting for its next slot, and retried until
// down — 4 s of the clock after the kill instead of up to 19.
func TestKilledMirrorIsProbedAtOnceAndRetriedDown(t *testing.T) {
	srv := okServer()
	clk, r, m := watched(t, srv, 2*time.Second, nil)
	killed := clk.Now()
	srv.Close() // closes the kept connection and the listener, as a dying process does

	early := r.next(t, 1)[0] // the clock has not moved: only the closed connection can have started it
	if early.OK() || !early.Start.Equal(killed) {
		t.Fatalf("after the kill: probe at %v (ok %v), want a failed one at once (%v)", early.Start, early.OK(), killed)
	}
	tr := NewTracker(m.Health, testThresholds)
	tr.Observe(Observation{Mirror: "m", Start: killed.Add(-15 * time.Second), Status: 200})
	tr.Observe(early)
	for range m.Health.FailAfter - 1 {
		advance(t, clk, m.Health.RetryInterval)
		tr.Observe(r.next(t, 1)[0])
	}
	if tr.State() != StateDown {
		t.Fatalf("state %s after %d failures, want down", tr.State(), m.Health.FailAfter)
	}
	if took := clk.Since(killed); took != 4*time.Second {
		t.Fatalf("down %v after the kill, want 4s (two retries)", took)
	}
}

// A mirror that closes idle connections itself (a keep-alive timeout
// shorter than the interval) and still takes new ones costs a connect,
// not a probe: the next probe is its next slot's.
func TestIdleCloseOfALiveMirrorWaitsForTheSlot(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	srv.Config.IdleTimeout = 20 * time.Millisecond
	srv.Start()
	defer srv.Close()
	reached := make(chan bool, 4)
	clk, r, m := watched(t, srv, 2*time.Second, reached)
	slot := clk.Now()
	// The server closes the kept connection 20 ms after the first probe.
	select {
	case ok := <-reached:
		if !ok {
			t.Fatal("a live mirror was not reachable")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the idle close was not noticed")
	}
	advance(t, clk, m.Health.Interval)
	if o := r.next(t, 1)[0]; !o.Start.Equal(slot.Add(m.Health.Interval)) || !o.OK() {
		t.Fatalf("next probe at %v (ok %v), want the next slot %v", o.Start, o.OK(), slot.Add(m.Health.Interval))
	}
}

// Without retries nothing is hurried: the news of a closed connection
// waits, unheard, and the next probe is the next slot's.
func TestNoRetriesNoHurry(t *testing.T) {
	srv := okServer()
	clk, r, m := watched(t, srv, 0, nil)
	slot := clk.Now()
	srv.Close()
	v, _ := r.s.lost.Load(m.Name)
	news := v.(chan struct{})
	if !pollFor(10*time.Second, func() bool { return len(news) == 1 }) {
		t.Fatal("the closed connection was not told, or was acted on")
	}
	advance(t, clk, m.Health.Interval)
	if o := r.next(t, 1)[0]; !o.Start.Equal(slot.Add(m.Health.Interval)) || o.OK() {
		t.Fatalf("next probe at %v (ok %v), want a failed one at the next slot %v", o.Start, o.OK(), slot.Add(m.Health.Interval))
	}
}

// pollFor checks cond every millisecond until it holds or d has passed.
func pollFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}

// Only the peer ending a connection is news: this side closing it (an
// unpooled probe, the idle timeout) is not.
func TestWatchedConnTellsOnlyThePeersClose(t *testing.T) {
	var told []string
	p := &Prober{lost: func(m string) { told = append(told, m) }}
	ours, theirs := net.Pipe()
	c := &watchedConn{Conn: ours, mirror: "a", p: p}
	_ = c.Close()
	_, _ = c.Read(make([]byte, 1))
	_ = theirs.Close()
	if len(told) != 0 {
		t.Fatalf("our own close was told: %v", told)
	}
	ours, theirs = net.Pipe()
	c = &watchedConn{Conn: ours, mirror: "b", p: p}
	_ = theirs.Close()
	for range 2 {
		_, _ = c.Read(make([]byte, 1))
	}
	if len(told) != 1 || told[0] != "b" {
		t.Fatalf("the peer's close was told %v, want once for b", told)
	}
}
