package main

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"warroom/backends/room"
)

func TestPercentilesAreNearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 20; i++ {
		ds = append(ds, time.Duration(i)*time.Second)
	}
	if p50, p99 := pct(ds, .5), pct(ds, .99); p50 != 10*time.Second || p99 != 20*time.Second {
		t.Fatalf("p50 %v p99 %v of 1..20s; want 10s and 20s", p50, p99)
	}
	if got := summary(nil); got != "no samples" {
		t.Fatalf("summary(nil) = %q", got)
	}
}

func TestOpenAlertsLeavesOutClearedAndAcked(t *testing.T) {
	ev := func(kind, id string) room.Event {
		return room.Event{Kind: kind, Fields: map[string]string{"alert": id}}
	}
	got := openAlerts([]room.Event{
		ev(room.EvAlertRaised, "a1"), ev(room.EvAlertRaised, "a2"), ev(room.EvAlertRaised, "a3"),
		ev(room.EvAlertAcked, "a1"), ev(room.EvAlertCleared, "a3"), ev(room.EvAlertRaised, "a4"),
	})
	if strings.Join(got, ",") != "a2,a4" {
		t.Fatalf("open alerts %v; want a2,a4", got)
	}
}

// The proxy counts bytes while a connection lives (peer streams never end).
func TestCountingProxyCountsWhileTheConnectionIsOpen(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			_, _ = io.Copy(c, c) // echo
			c.Close()
		}
	}()
	p, err := newCountingProxy(ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	c, err := net.Dial("tcp", p.addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(c, make([]byte, 5)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for p.total() != 10 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := p.total(); got != 10 {
		t.Fatalf("counted %d bytes of an open connection; want 10 (5 each way)", got)
	}
}

func TestBadFlagsSayWhichAndWhy(t *testing.T) {
	good := options{measure: "idle", kills: 20, runs: 3, mirrors: 1000, window: time.Minute, budget: time.Minute}
	if err := good.validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		change func(*options)
		want   string
	}{
		{func(o *options) { o.measure = "all" }, `-measure "all"`},
		{func(o *options) { o.kills = 0 }, "-kills 0"},
		{func(o *options) { o.runs = 0 }, "-runs 0"},
		{func(o *options) { o.mirrors = 9000 }, "-mirrors 9000"},
		{func(o *options) { o.window = 0 }, "-window 0s"},
	} {
		o := good
		c.change(&o)
		if err := o.validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v; want an error naming %s", err, c.want)
		}
	}
}
