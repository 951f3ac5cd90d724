package panes

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/panes/panestest"
)

// withTraffic is the fixture with users' traffic on some mirrors: the
// active one clean, ams-2 serving 12 % 5xx (alerting), sao-paulo's users
// waiting 2.6× their baseline, syd's stat unreadable.
func withTraffic() *room.Snapshot {
	s := *panestest.Snapshot()
	s.Mirrors = panestest.Mirrors()
	at := panestest.Now()
	set := map[string]*room.TrafficView{
		"fra-1":     {ReqRate: 412.4, Share5xx: 0.001, Answers: 2062, RespTime: 44 * time.Millisecond, Baseline: 40 * time.Millisecond, At: at},
		"ams-2":     {ReqRate: 8.2, Share5xx: 0.12, Answers: 41, RespTime: 61 * time.Millisecond, Baseline: 55 * time.Millisecond, At: at, Errors: true},
		"sao-paulo": {ReqRate: 3.1, Share5xx: 0, Answers: 16, RespTime: 520 * time.Millisecond, Baseline: 200 * time.Millisecond, At: at, Slow: true},
		"nyc-3":     {ReqRate: 0, Share5xx: -1, Answers: 0, RespTime: -1, At: at},
		"syd":       {Share5xx: -1, Answers: -1, RespTime: -1, At: at, Err: "haproxy executor edge: connect: refused"},
	}
	for i, m := range s.Mirrors {
		if tv, ok := set[m.Name]; ok {
			c := *m
			c.Traffic = tv
			s.Mirrors[i] = &c
		}
	}
	return &s
}

// TestGoldenMirrorsTraffic: the USERS column beside the probe figures,
// shown only when some mirror's traffic is counted.
func TestGoldenMirrorsTraffic(t *testing.T) {
	s := withTraffic()
	for _, set := range []struct {
		name    string
		profile termenv.Profile
	}{{"ansi256", termenv.ANSI256}, {"ascii", termenv.Ascii}} {
		th := theme(t, "dark", set.profile)
		for _, sz := range [][2]int{{80, 24}, {120, 40}, {160, 48}} {
			w, h := sz[0], sz[1]
			t.Run(fmt.Sprintf("%s/%dx%d", set.name, w, h), func(t *testing.T) {
				p := NewMirrors()
				p.Sync(s, w-2, h-2)
				out := Frame(th, p.Title(), p.View(s, th, w-2, h-2, true), w, h, true)
				checkSize(t, "mirrors", out, w, h)
				golden.RequireEqual(t, out)
			})
		}
	}
}

func TestTrafficCell(t *testing.T) {
	ik := &inks{}
	s := withTraffic()
	want := map[string][2]string{ // wide, narrow
		"fra-1":     {"412/s 0% 1.1×", "0%"},
		"ams-2":     {"8.2/s 12% 1.1×", "12%"},
		"sao-paulo": {"3.1/s 0% 2.6×", "0%"},
		"nyc-3":     {"0.0/s —", "—"},
		"syd":       {"no stat", "no stat"},
		"tokyo":     {"—", "—"},
	}
	for _, m := range s.Mirrors {
		w, ok := want[m.Name]
		if !ok {
			continue
		}
		if got, _ := trafficCell(m, ik, 17); got != w[0] {
			t.Errorf("%s wide: %q, want %q", m.Name, got, w[0])
		}
		if got, _ := trafficCell(m, ik, 5); got != w[1] {
			t.Errorf("%s narrow: %q, want %q", m.Name, got, w[1])
		}
	}
	if got := reqRate(3400); got != "3.4k/s" {
		t.Errorf("reqRate(3400) = %q", got)
	}
}

// Without counted traffic the table is as it was: no USERS column.
func TestNoTrafficNoUsersColumn(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	p := NewMirrors()
	s := panestest.Snapshot()
	p.Sync(s, 158, 46)
	if out := p.View(s, th, 158, 46, true); strings.Contains(out, "USERS") {
		t.Error("USERS shown with no traffic counted")
	}
	p2 := NewMirrors()
	t2 := withTraffic()
	p2.Sync(t2, 158, 46)
	if out := p2.View(t2, th, 158, 46, true); !strings.Contains(out, "USERS") || !strings.Contains(out, "8.2/s 12% 1.1×") {
		t.Errorf("USERS column missing:\n%s", out)
	}
}
