package mirrors

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/sim"
)

// startFleet starts a sim fleet on a fake clock (so its state stays put
// while a test probes it) and closes it at the end of the test.
func startFleet(t testing.TB, n int) (*sim.Fleet, *clockwork.FakeClock) {
	t.Helper()
	clk := clockwork.NewFakeClockAt(time.Date(2026, 8, 22, 12, 0, 0, 0, time.UTC))
	f, err := sim.Start(sim.Options{Mirrors: n, Clock: clk, Seed: 1, SyncEvery: 30 * time.Second})
	if err != nil {
		t.Fatalf("start sim fleet: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f, clk
}

// mirrorFor builds the config the loader would produce for a sim node.
func mirrorFor(t testing.TB, name, rawURL string, kind, lagPath string) config.Mirror {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return config.Mirror{
		Name: name, URL: u, Role: "active",
		Health: config.Health{
			Path: "/health", Method: http.MethodGet, ExpectStatus: []int{200},
			Interval: 15 * time.Second, Timeout: 2 * time.Second, FailAfter: 3, RecoverAfter: 2,
		},
		Lag:      config.Lag{Kind: kind, Path: lagPath},
		Manifest: "/manifest",
		Syncing:  "/Archive-Update-in-Progress",
	}
}

func simMirror(t testing.TB, n *sim.Node) config.Mirror {
	return mirrorFor(t, n.Name, n.URL, config.LagTrace, "/project/trace/master")
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestProbeReadsSimMirror(t *testing.T) {
	f, clk := startFleet(t, 1)
	node := f.Mirrors()[0]
	p := NewProber(ProberOptions{Clock: clk})
	defer p.Close()
	want := node.State()

	for _, kind := range []struct{ kind, path string }{
		{config.LagTrace, "/project/trace/master"},
		{config.LagBeacon, "/lastsync"},
		{config.LagJSON, "/version.json"},
		{config.LagLastModified, "/lastsync"},
	} {
		t.Run(kind.kind, func(t *testing.T) {
			o := p.Probe(context.Background(), mirrorFor(t, node.Name, node.URL, kind.kind, kind.path))
			if !o.OK() || o.Status != 200 || o.Mirror != node.Name || !o.Start.Equal(clk.Now()) {
				t.Fatalf("observation %+v", o)
			}
			if o.Latency <= 0 || o.Latency > 2*time.Second {
				t.Errorf("latency %v", o.Latency)
			}
			s := o.Sync
			if s.Err != "" || !s.Beacon.Equal(want.Beacon) {
				t.Fatalf("sync %+v, want beacon %v", s, want.Beacon)
			}
			if hasSerial := kind.kind == config.LagTrace || kind.kind == config.LagJSON; hasSerial && s.Serial != want.Serial {
				t.Errorf("serial %d, want %d", s.Serial, want.Serial)
			}
			if kind.kind == config.LagJSON && s.Version != want.Version {
				t.Errorf("version %q, want %q", s.Version, want.Version)
			}
			if s.Manifest != sha(want.Manifest) || s.Syncing {
				t.Errorf("manifest %s syncing %v, want %s false", s.Manifest, s.Syncing, sha(want.Manifest))
			}
		})
	}

	node.SetSyncing(true)
	node.SetDrift(true)
	o := p.Probe(context.Background(), simMirror(t, node))
	if !o.Sync.Syncing || o.Sync.Manifest != sha(node.State().Manifest) || o.Sync.Manifest == sha(want.Manifest) {
		t.Errorf("syncing/drift not read: %+v", o.Sync)
	}
}

func TestProbeFailureReasons(t *testing.T) {
	f, clk := startFleet(t, 4)
	ms := f.Mirrors()
	p := NewProber(ProberOptions{Clock: clk})
	defer p.Close()

	ms[0].SetDown(true)
	o := p.Probe(context.Background(), simMirror(t, ms[0]))
	if o.Err != "unreachable: connection refused" || o.Status != 0 || o.Sync != (SyncInfo{}) {
		t.Errorf("down: %+v", o)
	}

	ms[1].SetStatus(503)
	o = p.Probe(context.Background(), simMirror(t, ms[1]))
	if o.Err != "got status 503" || o.Status != 503 || o.Sync.Serial == 0 {
		t.Errorf("503: want reason and lag still read, got %+v", o)
	}

	m := simMirror(t, ms[2])
	m.Health.Path = "/no-such-file"
	if o = p.Probe(context.Background(), m); o.Err != "file not found" || o.Status != 404 {
		t.Errorf("404: %+v", o)
	}
	m.Health.ExpectStatus = []int{404}
	if o = p.Probe(context.Background(), m); !o.OK() {
		t.Errorf("404 expected: %+v", o)
	}

	ms[3].SetBlackhole(true)
	defer ms[3].SetBlackhole(false)
	m = simMirror(t, ms[3])
	m.Health.Timeout = 200 * time.Millisecond
	began := time.Now()
	o = p.Probe(context.Background(), m)
	if o.Err != "timeout after 200ms" {
		t.Errorf("blackhole: %+v", o)
	}
	if d := time.Since(began); d > 2*time.Second {
		t.Errorf("probe took %v with a 200ms timeout", d)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if o = p.Probe(ctx, simMirror(t, ms[2])); o.Err != "probe canceled" {
		t.Errorf("canceled: %+v", o)
	}
}

func TestProbeHostileLagContent(t *testing.T) {
	f, clk := startFleet(t, 1)
	node := f.Mirrors()[0]
	p := NewProber(ProberOptions{Clock: clk})
	defer p.Close()
	m := mirrorFor(t, "tokyo", node.URL, config.LagBeacon, "/lastsync")
	for _, tc := range []struct{ body, want string }{
		{"abc", `mirror "tokyo": lastsync: parse "abc": want seconds since epoch`},
		{strings.Repeat("9", MaxSourceBytes+10), `mirror "tokyo": lastsync: larger than 64 KiB`},
		{"\x00\x01", `mirror "tokyo": lastsync: binary content`},
		{"4102444800", `mirror "tokyo": lastsync: time 2100-01-01T00:00:00Z is in the future`},
	} {
		node.SetBeaconBody([]byte(tc.body))
		o := p.Probe(context.Background(), m)
		if !o.OK() || !strings.HasPrefix(o.Sync.Err, tc.want) || !o.Sync.Beacon.IsZero() {
			t.Errorf("body %.20q: sync %+v, want error starting %q", tc.body, o.Sync, tc.want)
		}
	}
	m.Lag.Path = "/missing"
	m.Manifest = "/also-missing"
	o := p.Probe(context.Background(), m)
	if want := `mirror "tokyo": missing: file not found; also-missing: file not found`; o.Sync.Err != want {
		t.Errorf("sync err %q, want %q", o.Sync.Err, want)
	}
}

func TestProbeHTTPDetails(t *testing.T) {
	var conns, hops atomic.Int64
	var ua atomic.Value
	mux := http.NewServeMux()
	mux.HandleFunc("/debian/health", func(w http.ResponseWriter, r *http.Request) {
		ua.Store(r.UserAgent())
		w.Write([]byte("ok"))
	})
	mux.HandleFunc("/debian/lastsync", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("1787407460\n")) })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		hops.Add(1)
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/hop/", func(w http.ResponseWriter, r *http.Request) {
		n := strings.Count(r.URL.Path, "x")
		if n < 3 {
			http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
			return
		}
		w.Write([]byte("ok"))
	})
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 32<<10)
		for i := 0; i < 4096; i++ { // at most 128 MiB, stops when the client hangs up
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	p := NewProber(ProberOptions{FreshEvery: -1})
	defer p.Close()
	m := mirrorFor(t, "lab", srv.URL+"/debian/", config.LagBeacon, "/lastsync")
	m.Manifest, m.Syncing = "", ""
	for range 3 {
		if o := p.Probe(context.Background(), m); !o.OK() || o.Sync.Err != "" {
			t.Fatalf("probe: %+v", o)
		}
	}
	if got := ua.Load(); got != "warroom-probe" {
		t.Errorf("User-Agent %q", got)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("6 requests in 3 pooled probes used %d connections, want 1", n)
	}

	m.Health.Path = "/loop"
	m.URL, _ = url.Parse(srv.URL)
	if o := p.Probe(context.Background(), m); o.Err != "redirect loop: more than 3 redirects" || hops.Load() != 4 {
		t.Errorf("loop: %+v after %d hops", o, hops.Load())
	}
	m.Health.Path = "/hop/"
	if o := p.Probe(context.Background(), m); !o.OK() {
		t.Errorf("3 redirects should be followed: %+v", o)
	}
	m.Health.Path = "/endless"
	began := time.Now()
	if o := p.Probe(context.Background(), m); !o.OK() {
		t.Errorf("endless health body: %+v", o)
	}
	if d := time.Since(began); d > time.Second {
		t.Errorf("endless health body took %v: read unbounded?", d)
	}
}

func TestProbeFreshEvery(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	p := NewProber(ProberOptions{FreshEvery: 2})
	defer p.Close()
	m := mirrorFor(t, "lab", srv.URL, config.LagNone, "")
	m.Manifest, m.Syncing = "/manifest", ""
	for range 4 { // probes 0,1 pooled (0 dials), 2 fresh, 3 pooled
		if o := p.Probe(context.Background(), m); !o.OK() {
			t.Fatalf("probe: %+v", o)
		}
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("4 probes with FreshEvery 2 used %d connections, want 2", n)
	}
}

func TestProbeTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	srv.StartTLS()
	defer srv.Close()
	p := NewProber(ProberOptions{})
	defer p.Close()
	m := mirrorFor(t, "lab", srv.URL, config.LagNone, "")
	m.Manifest, m.Syncing = "", ""
	if o := p.Probe(context.Background(), m); o.Err != "tls: certificate signed by unknown authority" {
		t.Errorf("self-signed without insecure: %+v", o)
	}
	m.Health.Insecure = true
	o := p.Probe(context.Background(), m)
	if !o.OK() || !o.TLSExpiry.Equal(srv.Certificate().NotAfter) {
		t.Errorf("insecure: %+v, want expiry %v", o, srv.Certificate().NotAfter)
	}
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	m.URL, _ = url.Parse(strings.Replace(plain.URL, "http:", "https:", 1))
	if o := p.Probe(context.Background(), m); !strings.HasPrefix(o.Err, "tls: ") {
		t.Errorf("https to a plain port: %+v", o)
	}
}

// TestProbeKeepsURLQuery: a mirror URL's query (an access token) goes
// with every request of a probe, merged with a path's own query, and an
// error never quotes it.
func TestProbeKeepsURLQuery(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]string{} // method+path → raw query
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Method+" "+r.URL.Path] = r.URL.RawQuery
		mu.Unlock()
		if r.URL.Query().Get("token") != "s3cret-tok" {
			http.Error(w, "no token", http.StatusForbidden)
			return
		}
		w.Header().Set("Last-Modified", "Sat, 22 Aug 2026 14:04:20 GMT")
		switch r.URL.Path {
		case "/debian/lastsync":
			w.Write([]byte("1787407460\n"))
		case "/debian/Archive-Update-in-Progress":
			http.NotFound(w, r)
		default:
			w.Write([]byte("ok\n"))
		}
	}))
	defer srv.Close()
	p := NewProber(ProberOptions{Clock: clockwork.NewFakeClockAt(testNow)})
	defer p.Close()
	m := mirrorFor(t, "lab", srv.URL+"/debian/?token=s3cret-tok", config.LagBeacon, "/lastsync")
	m.Health.Path = "/health?full=1"
	m.Syncing = "/Archive-Update-in-Progress"
	for _, kind := range []string{config.LagBeacon, config.LagLastModified} {
		m.Lag.Kind = kind
		o := p.Probe(context.Background(), m)
		if !o.OK() || o.Sync.Err != "" || o.Sync.Beacon.IsZero() || o.Sync.Manifest == "" {
			t.Fatalf("%s: probe with the token: %+v", kind, o)
		}
	}
	want := map[string]string{
		"GET /debian/health":                      "token=s3cret-tok&full=1",
		"GET /debian/lastsync":                    "token=s3cret-tok",
		"HEAD /debian/lastsync":                   "token=s3cret-tok",
		"GET /debian/manifest":                    "token=s3cret-tok",
		"HEAD /debian/Archive-Update-in-Progress": "token=s3cret-tok",
	}
	mu.Lock()
	for req, q := range want {
		if seen[req] != q {
			t.Errorf("%s arrived with query %q, want %q", req, seen[req], q)
		}
	}
	mu.Unlock()

	srv.Close()
	o := p.Probe(context.Background(), m)
	if o.OK() || strings.Contains(o.Err, "s3cret") {
		t.Errorf("error of a closed server: %q", o.Err)
	}
	if got := hideQuery(`parse "http://h/?token=s3cret-tok": bad`, m); strings.Contains(got, "s3cret") {
		t.Errorf("hideQuery left the token: %q", got)
	}
}
