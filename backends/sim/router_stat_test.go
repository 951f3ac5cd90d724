package sim

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"warroom/backends/traffic"
)

// show stat counts what the router forwarded, by answer class, in the
// columns a reader finds by name; a 404 through the router is a 4xx.
func TestRouterShowStatCountsForwardedTraffic(t *testing.T) {
	r, _, names := startRouter(t)
	c := &http.Client{Timeout: 5 * time.Second}
	for range 3 {
		if code, _ := servedBy(t, c, r); code != 200 {
			t.Fatalf("status %d through the router", code)
		}
	}
	if resp, err := fetch(c, http.MethodGet, "http://"+r.HTTPAddr()+"/no/such/file"); err != nil || resp.status != 404 {
		t.Fatalf("GET a missing file: %v, %+v", err, resp)
	}
	stats, err := traffic.ParseStat(api(t, r, "show stat mirrors 4 -1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 2 {
		t.Fatalf("want the two servers, got %+v", stats)
	}
	a, b := stats[0], stats[1]
	if a.Server != names[0] || a.Requests != 4 || a.Resp[1] != 3 || a.Resp[3] != 1 || a.Status != "UP" || a.RTimeMS < 0 {
		t.Errorf("%s: %+v", names[0], a)
	}
	if b.Server != names[1] || b.Requests != 0 || b.Status != "MAINT" {
		t.Errorf("%s: %+v", names[1], b)
	}
	if got := api(t, r, "show stat elsewhere 4 -1"); !strings.HasPrefix(got, "No such proxy.") {
		t.Errorf("another backend: %q", got)
	}
}

// A modelled load counts on, answered 5xx at its share, in its time.
func TestRouterShowStatCountsTheModelledUsers(t *testing.T) {
	f, _ := startFake(t, Options{Mirrors: 1})
	m := f.Mirrors()[0]
	r, err := StartRouter("mirrors", []RouterServer{{Name: m.Name, URL: m.URL, Weight: 100, Users: 1000, Share5xx: 0.2, RTime: 45 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	read := func() traffic.ServerStat {
		s, err := traffic.ParseStat(api(t, r, "show stat mirrors 4 -1"))
		if err != nil || len(s) != 1 {
			t.Fatalf("%v %+v", err, s)
		}
		return s[0]
	}
	first := read()
	deadline := time.Now().Add(5 * time.Second)
	second := read()
	for second.Requests-first.Requests < 100 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // polling interval: the model counts with real time
		second = read()
	}
	n, bad := second.Requests-first.Requests, second.Resp[4]-first.Resp[4]
	if n < 100 || bad < n/5-1 || bad > n/5+1 || second.RTimeMS != 45 {
		t.Errorf("in the interval %d requests, %d 5xx, rtime %d: want 20 %% 5xx at 45ms", n, bad, second.RTimeMS)
	}
	if _, err := StartRouter("mirrors", []RouterServer{{Name: "x", URL: m.URL, Share5xx: 2}}); err == nil || !strings.Contains(err.Error(), "share5xx 0–1") {
		t.Errorf("a share of 2: %v", err)
	}
}
