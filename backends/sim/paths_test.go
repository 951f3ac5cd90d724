package sim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestPathsOriginAt75s(t *testing.T) {
	f, clock := startFake(t, Options{Mirrors: 2, Seed: 1})
	c := client(t, 5*time.Second)
	clock.Advance(75 * time.Second) // step 2: beacon 14:01:00
	o := f.Origin()
	beacon := time.Date(2026, 11, 21, 14, 1, 0, 0, time.UTC)
	lastMod := "Sat, 21 Nov 2026 14:01:00 GMT"

	for _, p := range []string{"/", "/health"} {
		r := get(t, c, o, p)
		if r.status != 200 || r.body != "ok\n" || r.header.Get("Content-Length") != "3" {
			t.Errorf("%s: got %d %q (Content-Length %q), want 200 \"ok\\n\" (3)", p, r.status, r.body, r.header.Get("Content-Length"))
		}
	}

	r := get(t, c, o, "/lastsync")
	if want := strconv.FormatInt(beacon.Unix(), 10) + "\n"; r.body != want {
		t.Errorf("/lastsync body %q, want %q", r.body, want)
	}
	if got := r.header.Get("Last-Modified"); got != lastMod {
		t.Errorf("/lastsync Last-Modified %q, want %q", got, lastMod)
	}

	r = get(t, c, o, "/project/trace/master")
	wantTrace := "Sat Nov 21 14:01:00 UTC 2026\n" +
		"Date: Sat, 21 Nov 2026 14:01:00 +0000\n" +
		"Date-Started: Sat, 21 Nov 2026 14:00:56 +0000\n" +
		"Archive serial: 2026112102\n" +
		"Creator: ftpsync 20180513\n" +
		"Running on host: origin.sim.invalid\n"
	if r.body != wantTrace {
		t.Errorf("origin trace:\n%s\nwant:\n%s", r.body, wantTrace)
	}

	r = get(t, c, o, "/version.json")
	var v struct {
		Time    string `json:"time"`
		Serial  int64  `json:"serial"`
		Version string `json:"version"`
	}
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatalf("/version.json %q: %v", r.body, err)
	}
	if v.Time != "2026-11-21T14:01:00Z" || v.Serial != 2026112102 || v.Version != "1.0.2" {
		t.Errorf("/version.json = %+v, want time 2026-11-21T14:01:00Z serial 2026112102 version 1.0.2", v)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("/version.json Content-Type %q", ct)
	}

	r = get(t, c, o, "/manifest")
	lines := strings.Split(strings.TrimSuffix(r.body, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("/manifest has %d lines, want 4:\n%s", len(lines), r.body)
	}
	for _, l := range lines {
		sum, path, ok := strings.Cut(l, "  ")
		if !ok || len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" || path == "" {
			t.Errorf("/manifest line %q: want \"<sha256 hex>  <path>\"", l)
		}
	}
	if r.body != string(f.Origin().State().Manifest) {
		t.Errorf("/manifest differs from State().Manifest")
	}

	if r := get(t, c, o, "/Archive-Update-in-Progress"); r.status != 404 {
		t.Errorf("syncing marker without SetSyncing: status %d, want 404", r.status)
	}
	for _, p := range []string{"/nope", "/lastsync/x", "/project/trace/", "/.."} {
		if r := get(t, c, o, p); r.status != 404 {
			t.Errorf("%s: status %d, want 404", p, r.status)
		}
	}
}

func TestMirrorTraceNamesUpstream(t *testing.T) {
	f, clock := startFake(t, Options{Mirrors: 1})
	c := client(t, 5*time.Second)
	m := f.Mirrors()[0]
	m.SetLagBehind(0)
	clock.Advance(31 * time.Second)
	body := get(t, c, m, "/project/trace/master").body
	for _, want := range []string{
		"Archive serial: 2026112101\n",
		"Running on host: " + m.Name + ".sim.invalid\n",
		"Upstream-mirror: origin\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("mirror trace lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(get(t, c, f.Origin(), "/project/trace/master").body, "Upstream-mirror") {
		t.Errorf("origin trace names an upstream")
	}
}

func TestHeadAndMethods(t *testing.T) {
	f, _ := startFake(t, Options{Mirrors: 1})
	c := client(t, 5*time.Second)
	o := f.Origin()
	r, err := fetch(c, http.MethodHead, o.URL+"lastsync")
	if err != nil {
		t.Fatal(err)
	}
	if r.status != 200 || r.body != "" || r.header.Get("Content-Length") != "11" || r.header.Get("Last-Modified") == "" {
		t.Errorf("HEAD /lastsync: %d %q headers %v; want 200, empty body, Content-Length 11, Last-Modified", r.status, r.body, r.header)
	}
	r, err = fetch(c, http.MethodPost, o.URL+"health")
	if err != nil {
		t.Fatal(err)
	}
	if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /health: %d Allow %q; want 405 \"GET, HEAD\"", r.status, r.header.Get("Allow"))
	}
}

func TestKeepAliveReusesConnection(t *testing.T) {
	f, _ := startFake(t, Options{Mirrors: 1})
	c := client(t, 5*time.Second)
	m := f.Mirrors()[0]
	for range 20 {
		get(t, c, m, "/health")
	}
	m.life.Lock()
	s := m.server
	m.life.Unlock()
	s.mu.Lock()
	conns := len(s.conns)
	s.mu.Unlock()
	if conns != 1 {
		t.Errorf("20 sequential requests used %d connections, want 1 (keep-alive)", conns)
	}
	if got := m.Requests(); got != 20 {
		t.Errorf("Requests() = %d, want 20", got)
	}
}

func TestStatusAffectsHealthOnly(t *testing.T) {
	f, _ := startFake(t, Options{Mirrors: 1})
	c := client(t, 5*time.Second)
	m := f.Mirrors()[0]
	m.SetStatus(503)
	for _, p := range []string{"/", "/health"} {
		if r := get(t, c, m, p); r.status != 503 {
			t.Errorf("%s with SetStatus(503): %d, want 503", p, r.status)
		}
	}
	if r := get(t, c, m, "/lastsync"); r.status != 200 {
		t.Errorf("/lastsync with SetStatus(503): %d, want 200", r.status)
	}
	m.SetStatus(0)
	if r := get(t, c, m, "/health"); r.status != 200 {
		t.Errorf("after SetStatus(0): %d, want 200", r.status)
	}
}
