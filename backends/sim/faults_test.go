package sim

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestSetDownRefusesThenServesOnSamePort(t *testing.T) {
	f, _ := startFake(t, Options{Mirrors: 2})
	c := client(t, 5*time.Second)
	m := f.Mirrors()[1]
	url := m.URL
	get(t, c, m, "/health") // leaves a keep-alive connection open

	m.SetDown(true)
	_, err := fetch(c, http.MethodGet, url+"health")
	if err == nil {
		t.Fatalf("GET on a down node succeeded")
	}
	if _, derr := net.Dial("tcp", m.addr); !errors.Is(derr, syscall.ECONNREFUSED) {
		t.Errorf("dial a down node: %v, want connection refused", derr)
	}
	if r := get(t, c, f.Mirrors()[0], "/health"); r.status != 200 {
		t.Errorf("another mirror answered %d while one is down", r.status)
	}

	m.SetDown(false)
	if m.URL != url {
		t.Errorf("URL changed from %s to %s", url, m.URL)
	}
	if err := m.Err(); err != nil {
		t.Fatalf("SetDown(false): %v", err)
	}
	if r := get(t, c, m, "/health"); r.status != 200 || r.body != "ok\n" {
		t.Errorf("after SetDown(false): %d %q, want 200 ok", r.status, r.body)
	}
	m.SetDown(false) // already up: no-op
	m.SetDown(true)
	m.SetDown(true) // already down: no-op
	if _, derr := net.Dial("tcp", m.addr); !errors.Is(derr, syscall.ECONNREFUSED) {
		t.Errorf("dial after second SetDown(true): %v, want connection refused", derr)
	}
}

func TestSetDownFalseReportsTakenPort(t *testing.T) {
	f, _ := startFake(t, Options{Mirrors: 1})
	m := f.Mirrors()[0]
	m.SetDown(true)
	squatter, err := net.Listen("tcp", m.addr)
	if err != nil {
		t.Skipf("cannot take the freed port for the test: %v", err)
	}
	m.SetDown(false)
	if err := m.Err(); err == nil || !strings.Contains(err.Error(), m.Name) {
		t.Errorf("SetDown(false) on a taken port: Err() = %v, want an error naming %q", err, m.Name)
	}
	_ = squatter.Close()
	m.SetDown(false)
	if err := m.Err(); err != nil {
		t.Fatalf("SetDown(false) once the port is free: %v", err)
	}
	if r := get(t, client(t, 5*time.Second), m, "/health"); r.status != 200 {
		t.Errorf("after listening again: %d, want 200", r.status)
	}
}

func TestBlackholeHoldsUntilClientTimeout(t *testing.T) {
	f, _ := startFake(t, Options{Mirrors: 1})
	m := f.Mirrors()[0]
	m.SetBlackhole(true)
	c := client(t, 150*time.Millisecond)
	start := time.Now()
	_, err := fetch(c, http.MethodGet, m.URL+"health")
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("GET on a blackholed node: %v, want a client timeout", err)
	}
	if el := time.Since(start); el < 150*time.Millisecond {
		t.Errorf("client gave up after %v, before its timeout", el)
	}
	if m.Requests() != 1 {
		t.Errorf("Requests() = %d, want 1 (the request was accepted)", m.Requests())
	}
}

func TestBlackholeOffReleasesHeldRequest(t *testing.T) {
	f, _ := startFake(t, Options{Mirrors: 1})
	m := f.Mirrors()[0]
	m.SetBlackhole(true)
	c := client(t, 10*time.Second)
	done := make(chan response, 1)
	go func() {
		r, _ := fetch(c, http.MethodGet, m.URL+"health")
		done <- r
	}()
	waitFor(t, "the request to arrive", 5*time.Second, func() bool { return m.Requests() == 1 })
	select {
	case r := <-done:
		t.Fatalf("blackholed node answered %d", r.status)
	default:
	}
	m.SetBlackhole(false)
	select {
	case r := <-done:
		if r.status != 200 {
			t.Errorf("released request: %d, want 200", r.status)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("request still held 5s after SetBlackhole(false)")
	}
}

func TestCloseIsPromptWithHeldRequests(t *testing.T) {
	clock := clockworkFake()
	f, err := Start(Options{Mirrors: 3, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	c := client(t, 30*time.Second)
	ms := f.Mirrors()
	ms[0].SetBlackhole(true)
	ms[1].SetDelay(time.Hour) // fake clock: never fires
	errs := make(chan error, 2)
	for _, m := range ms[:2] {
		go func() {
			_, err := fetch(c, http.MethodGet, m.URL+"health")
			errs <- err
		}()
	}
	waitFor(t, "both requests to arrive", 5*time.Second, func() bool {
		return ms[0].Requests() == 1 && ms[1].Requests() == 1
	})
	start := time.Now()
	if err := f.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("Close took %v with held requests, want prompt", el)
	}
	for range 2 {
		select {
		case err := <-errs:
			if err == nil {
				t.Errorf("held request got an answer after Close")
			}
		case <-time.After(5 * time.Second):
			t.Fatal("held request's client not released by Close")
		}
	}
	if err := f.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestDelayWaitsOnFakeClock(t *testing.T) {
	f, clock := startFake(t, Options{Mirrors: 1})
	m := f.Mirrors()[0]
	m.SetLagBehind(0)
	m.SetDelay(40 * time.Second)
	c := client(t, 10*time.Second)
	done := make(chan response, 1)
	go func() {
		r, _ := fetch(c, http.MethodGet, m.URL+"lastsync")
		done <- r
	}()
	blockUntilTimers(t, clock, 1)
	select {
	case r := <-done:
		t.Fatalf("delayed node answered before the clock advanced: %d %q", r.status, r.body)
	default:
	}
	clock.Advance(40 * time.Second)
	select {
	case r := <-done:
		// The answer is computed after the delay: step 1 (t0+30s).
		if want := "1795269630\n"; r.body != want {
			t.Errorf("delayed /lastsync %q, want %q (state after the delay)", r.body, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no answer 5s after advancing past the delay")
	}
}

func TestJitterIsBoundedAndSeeded(t *testing.T) {
	draw := func(seed int64) []time.Duration {
		f, _ := startFake(t, Options{Mirrors: 1, Seed: seed})
		m := f.Mirrors()[0]
		var out []time.Duration
		for range 50 {
			d := m.jitter(20 * time.Millisecond)
			if d < 0 || d > 20*time.Millisecond {
				t.Fatalf("jitter %v outside 0..20ms", d)
			}
			out = append(out, d)
		}
		return out
	}
	a, b, other := draw(3), draw(3), draw(4)
	same, distinct := true, map[time.Duration]bool{}
	for i := range a {
		same = same && a[i] == b[i]
		distinct[a[i]] = true
	}
	if !same {
		t.Errorf("same seed drew different jitter")
	}
	if len(distinct) < 10 {
		t.Errorf("jitter barely varies: %d distinct values in 50", len(distinct))
	}
	differs := false
	for i := range a {
		differs = differs || a[i] != other[i]
	}
	if !differs {
		t.Errorf("seeds 3 and 4 drew the same jitter")
	}
}

func TestFlappingFollowsClock(t *testing.T) {
	f, clock := startFake(t, Options{Mirrors: 1})
	m := f.Mirrors()[0]
	c := client(t, 5*time.Second)
	m.SetFlapping(10 * time.Second)
	// healthy [0,10) · reset [10,20) · healthy [20,30) · 503 [30,40) · healthy [40,50)
	expect := []struct {
		at     time.Duration
		status int // 0: transport error
	}{{0, 200}, {9 * time.Second, 200}, {10 * time.Second, 0}, {19 * time.Second, 0},
		{20 * time.Second, 200}, {30 * time.Second, 503}, {39 * time.Second, 503}, {40 * time.Second, 200}}
	var at time.Duration
	for _, e := range expect {
		clock.Advance(e.at - at)
		at = e.at
		r, err := fetch(c, http.MethodGet, m.URL+"health")
		switch {
		case e.status == 0 && err == nil:
			t.Errorf("at %v: got %d, want a reset connection", at, r.status)
		case e.status != 0 && err != nil:
			t.Errorf("at %v: %v, want %d", at, err, e.status)
		case e.status != 0 && r.status != e.status:
			t.Errorf("at %v: got %d, want %d", at, r.status, e.status)
		}
	}
	m.SetFlapping(0)
	clock.Advance(10 * time.Second)
	if r := get(t, c, m, "/health"); r.status != 200 {
		t.Errorf("after SetFlapping(0): %d, want 200", r.status)
	}
}

func TestHostileBeaconBody(t *testing.T) {
	f, _ := startFake(t, Options{Mirrors: 1})
	m := f.Mirrors()[0]
	c := client(t, 5*time.Second)
	bodies := [][]byte{
		[]byte("\x1b[2J\x1b]0;pwned\x07abc\x00\xff\n"),
		[]byte("99999999999999999999999999\n"),
		[]byte{},
		bytes.Repeat([]byte("A"), 1<<20),
	}
	for _, b := range bodies {
		in := bytes.Clone(b)
		m.SetBeaconBody(in)
		for i := range in {
			in[i] = 'X' // the node must have copied it
		}
		r := get(t, c, m, "/lastsync")
		if r.body != string(b) {
			t.Errorf("beacon override of %d bytes served %d bytes, not verbatim", len(b), len(r.body))
		}
		if r.status != 200 {
			t.Errorf("beacon override: status %d", r.status)
		}
	}
	m.SetBeaconBody(nil)
	if r := get(t, c, m, "/lastsync"); r.body != "1795269600\n" {
		t.Errorf("after SetBeaconBody(nil): %q, want the normal beacon", r.body)
	}
}
