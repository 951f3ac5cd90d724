package sim

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// t0 is the fake clock's start in every test: Saturday 21 Nov 2026 14:00 UTC.
var t0 = time.Date(2026, 11, 21, 14, 0, 0, 0, time.UTC)

// startFake starts a fleet on a fake clock at t0 and closes it after the test.
func startFake(t *testing.T, opts Options) (*Fleet, *clockwork.FakeClock) {
	t.Helper()
	clock := clockwork.NewFakeClockAt(t0)
	opts.Clock = clock
	f, err := Start(opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f, clock
}

// client is an HTTP client with its own keep-alive pool and a timeout.
func client(t *testing.T, timeout time.Duration) *http.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: timeout}
}

type response struct {
	status int
	header http.Header
	body   string
}

func fetch(c *http.Client, method, url string) (response, error) {
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		return response{}, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	return response{resp.StatusCode, resp.Header, string(b)}, nil
}

// get fetches the node's URL joined with path with GET and fails the test on a transport error.
func get(t *testing.T, c *http.Client, n *Node, path string) response {
	t.Helper()
	r, err := fetch(c, http.MethodGet, n.URL+strings.TrimPrefix(path, "/"))
	if err != nil {
		t.Fatalf("GET %s on %s: %v", path, n.Name, err)
	}
	return r
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// blockUntilTimers waits for n timers on the fake clock, bounded.
func blockUntilTimers(t *testing.T, clock *clockwork.FakeClock, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := clock.BlockUntilContext(ctx, n); err != nil {
		t.Fatalf("waiting for %d timer(s) on the fake clock: %v", n, err)
	}
}

func clockworkFake() *clockwork.FakeClock { return clockwork.NewFakeClockAt(t0) }
