package traffic

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"warroom/backends/config"
)

var t0 = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

func stat(server string, req, ok, e5 int64, rtime int64) ServerStat {
	return ServerStat{Proxy: "be", Server: server, Requests: req, Resp: [6]int64{0, ok, 0, 0, e5, 0}, RTimeMS: rtime}
}

func same(s string) string { return s }

func TestMeterRatesAndShares(t *testing.T) {
	var m Meter
	if got := m.Observe(t0, []ServerStat{stat("a", 100, 100, 0, 20)}, same); len(got) != 0 {
		t.Fatalf("a first reading has nothing to compare with, got %+v", got)
	}
	// 5 s later: 50 more requests, 35 ok and 15 5xx.
	got := m.Observe(t0.Add(5*time.Second), []ServerStat{stat("a", 150, 135, 15, 42)}, same)
	if len(got) != 1 {
		t.Fatalf("got %+v", got)
	}
	s := got[0]
	if s.Mirror != "a" || s.Requests != 50 || s.ReqRate != 10 || s.Responses != 50 || s.Errors5xx != 15 ||
		math.Abs(s.Share5xx-0.30) > 1e-9 || s.RespTime != 42*time.Millisecond || s.Interval != 5*time.Second || s.Err != "" {
		t.Errorf("sample = %+v", s)
	}
}

func TestMeterIdleAndResetAreUnknownNotZero(t *testing.T) {
	var m Meter
	m.Observe(t0, []ServerStat{stat("a", 10, 10, 0, 5)}, same)
	idle := m.Observe(t0.Add(time.Second), []ServerStat{stat("a", 10, 10, 0, 5)}, same)[0]
	if idle.ReqRate != 0 || idle.Share5xx != -1 || idle.RespTime != -1 {
		t.Errorf("an idle interval: rate 0, share and time unknown; got %+v", idle)
	}
	reset := m.Observe(t0.Add(2*time.Second), []ServerStat{stat("a", 3, 3, 0, 5)}, same)[0]
	if reset.Err == "" || reset.Share5xx != -1 || reset.RespTime != -1 {
		t.Errorf("counters going back must be unknown with a reason; got %+v", reset)
	}
	next := m.Observe(t0.Add(3*time.Second), []ServerStat{stat("a", 7, 5, 2, 5)}, same)[0]
	if next.Err != "" || next.Requests != 4 || next.Share5xx != 0.5 {
		t.Errorf("after a reset the next interval starts from the new counters; got %+v", next)
	}
}

func TestMeterTCPModeHasNoShare(t *testing.T) {
	var m Meter
	tcp := func(req int64) ServerStat {
		return ServerStat{Server: "a", Requests: req, Resp: [6]int64{-1, -1, -1, -1, -1, -1}, RTimeMS: -1}
	}
	m.Observe(t0, []ServerStat{tcp(1)}, same)
	s := m.Observe(t0.Add(time.Second), []ServerStat{tcp(9)}, same)[0]
	if s.ReqRate != 8 || s.Responses != -1 || s.Share5xx != -1 || s.RespTime != -1 {
		t.Errorf("got %+v", s)
	}
}

func TestReaderMapsServersToMirrors(t *testing.T) {
	c := config.HAProxyExecutor{Address: "/run/x.sock", Backend: "be", Servers: map[string]string{"tokyo": "srv-tk"}}
	r := NewReader("edge", c, []string{"tokyo", "osaka"}, nil)
	replies := []string{
		"# pxname,svname,stot,rtime,status,type,hrsp_2xx,hrsp_5xx\nbe,srv-tk,10,3,UP,2,10,0\nbe,osaka,10,3,UP,2,10,0\nbe,stranger,1,1,UP,2,1,0\nother,osaka,1,1,UP,2,1,0\n",
		"# pxname,svname,stot,rtime,status,type,hrsp_2xx,hrsp_5xx\nbe,srv-tk,20,3,UP,2,20,0\nbe,osaka,40,3,UP,2,30,10\nbe,stranger,9,1,UP,2,9,0\nother,osaka,1,1,UP,2,1,0\n",
	}
	r.fetch = func(_ context.Context, addr, backend string) (string, error) {
		if addr != "/run/x.sock" || backend != "be" {
			t.Errorf("fetch(%q, %q)", addr, backend)
		}
		out := replies[0]
		replies = replies[1:]
		return out, nil
	}
	r.Read(context.Background(), t0)
	got := map[string]Sample{}
	for _, s := range r.Read(context.Background(), t0.Add(10*time.Second)) {
		got[s.Mirror] = s
	}
	if len(got) != 2 || got["tokyo"].ReqRate != 1 || got["osaka"].Share5xx != 1.0/3 {
		t.Errorf("got %+v", got)
	}
}

func TestReaderErrorReachesEveryMirror(t *testing.T) {
	r := NewReader("edge", config.HAProxyExecutor{Address: "10.0.0.1:9999", Backend: "be"}, []string{"tokyo", "osaka"}, func(s string) string {
		return strings.ReplaceAll(s, "10.0.0.1", "***")
	})
	r.fetch = func(context.Context, string, string) (string, error) {
		return "", errors.New("connect 10.0.0.1: refused")
	}
	got := r.Read(context.Background(), t0)
	if len(got) != 2 {
		t.Fatalf("got %+v", got)
	}
	for _, s := range got {
		if !strings.Contains(s.Err, "haproxy executor edge: connect ***: refused") || s.Share5xx != -1 {
			t.Errorf("%s: %+v", s.Mirror, s)
		}
	}
}
