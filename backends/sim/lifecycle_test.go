package sim

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestStartClose500LeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	f, err := Start(Options{Mirrors: 500, Seed: 9})
	if err != nil {
		t.Fatalf("Start 500: %v", err)
	}
	if got := len(f.Mirrors()); got != 500 {
		t.Fatalf("%d mirrors, want 500", got)
	}
	tr := &http.Transport{}
	c := &http.Client{Transport: tr, Timeout: 5 * time.Second}
	for i, m := range f.Mirrors() {
		if i%25 != 0 {
			continue
		}
		m.SetBlackhole(i%50 == 0) // some requests are held when Close runs
		go func() { _, _ = fetch(c, http.MethodGet, m.URL+"health") }()
	}
	waitFor(t, "requests to arrive", 5*time.Second, func() bool {
		for i, m := range f.Mirrors() {
			if i%25 == 0 && m.Requests() == 0 {
				return false
			}
		}
		return true
	})
	if during := runtime.NumGoroutine(); during < before+500 {
		t.Errorf("%d goroutines while running, want at least %d (one Serve per node)", during, before+500)
	}
	start := time.Now()
	if err := f.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	t.Logf("Close of 501 nodes took %v", time.Since(start))
	tr.CloseIdleConnections()
	waitFor(t, "goroutines to return to the count before Start", 10*time.Second, func() bool {
		return runtime.NumGoroutine() <= before
	})
	if t.Failed() {
		buf := make([]byte, 1<<16)
		t.Logf("goroutines:\n%s", buf[:runtime.Stack(buf, true)])
	}
}

func TestStartRejectsBadOptions(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{Mirrors: -1}, "Mirrors"},
		{Options{SyncEvery: time.Millisecond}, "SyncEvery"},
		{Options{Regions: []string{"Bad Region"}}, "region"},
		{Options{Regions: []string{"origin"}}, "region"},
		{Options{Regions: []string{"x", "x"}}, "twice"},
		{Options{KeepIdle: -time.Second}, "KeepIdle"},
	} {
		f, err := Start(tc.opts)
		if err == nil {
			_ = f.Close()
			t.Errorf("Start(%+v) succeeded, want an error about %s", tc.opts, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Start(%+v): %v, want it to mention %s", tc.opts, err, tc.want)
		}
	}
}

func TestDefaults(t *testing.T) {
	f, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if len(f.Mirrors()) != 8 {
		t.Errorf("%d mirrors by default, want 8", len(f.Mirrors()))
	}
	if f.model.every != 30*time.Second {
		t.Errorf("SyncEvery default %v, want 30s", f.model.every)
	}
	if o := f.Origin(); o.Name != "origin" || f.Node("origin") != o || !strings.HasPrefix(o.URL, "http://127.0.0.1:") || !strings.HasSuffix(o.URL, "/") {
		t.Errorf("origin %q at %q: want name origin, URL http://127.0.0.1:port/", o.Name, o.URL)
	}
	for _, m := range f.Mirrors() {
		if f.Node(m.Name) != m {
			t.Errorf("Node(%q) does not find the mirror", m.Name)
		}
	}
	if f.Node("nowhere") != nil {
		t.Errorf("Node of an unknown name is not nil")
	}
}

// A node closes a keep-alive connection left idle past KeepIdle, as a web
// server's keep-alive timeout does, and keeps one in use.
func TestKeepIdleClosesIdleConnections(t *testing.T) {
	f, err := Start(Options{Mirrors: 1, KeepIdle: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := net.Dial("tcp", strings.TrimSuffix(strings.TrimPrefix(f.Mirrors()[0].URL, "http://"), "/"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	if _, err := io.WriteString(c, "GET /health HTTP/1.1\r\nHost: sim\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("first request: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.Close {
		t.Fatalf("the node asked to close after one request; it should keep the connection alive")
	}
	// The read ends when the node closes the connection; the deadline only
	// bounds a node that never does.
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if b, err := r.ReadByte(); err != io.EOF {
		t.Fatalf("idle connection: read %q, %v; want the node to close it (EOF)", b, err)
	}
}
