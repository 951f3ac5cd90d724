package panes

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"warroom/panes/panestest"
)

// TestGoldenFleet: the Hosts pane as a fleet table, at each size and theme.
func TestGoldenFleet(t *testing.T) {
	s := panestest.FleetSnapshot()
	for _, set := range goldenSets() {
		for _, name := range set.themes {
			th := theme(t, name, set.profile)
			for _, sz := range [][2]int{{80, 24}, {120, 40}, {160, 48}, {60, 8}} {
				w, h := sz[0], sz[1]
				t.Run(fmt.Sprintf("%s/%s/%dx%d", set.name, name, w, h), func(t *testing.T) {
					p := NewHosts()
					out := Frame(th, p.Title(), p.View(s, th, w-2, h-2, true), w, h, true)
					checkSize(t, "hosts", out, w, h)
					golden.RequireEqual(t, out)
				})
			}
		}
	}
}

// The local row first, then the hosts that need a look (web1 hot, cache1
// and old-db not answering) in the room's order, then the rest; marks on
// the sustained breaches, the reasons said, and what does not fit counted.
func TestFleetTableRowsAndMarks(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.FleetSnapshot()
	lines := plain(NewHosts().View(s, th, 180, 12, false))
	var order []string
	for _, l := range lines[2:] {
		if f := strings.Fields(strings.TrimLeft(l, "▲? ")); len(f) > 0 {
			order = append(order, f[0])
		}
	}
	if got := strings.Join(order, " "); got != "mirror-gw web1 cache1 old-db web2 db1" {
		t.Errorf("row order %q", got)
	}
	text := strings.Join(lines, "\n")
	for _, want := range []string{
		"6 hosts  ▲ 2 over a threshold  ? 1 stale",
		"mirror-gw (here)",
		"▲ 92.4%", "▲ 81.2ms", "4.1ms",
		"no answer ×1: exporter: no answer within 5s",
		"stale, figures 50s old: exporter: dial tcp 10.0.3.7:9100: connect: connection refused",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("want %q in:\n%s", want, text)
		}
	}
	if strings.Contains(text, "▲ 71.0%") {
		t.Errorf("memory under its limit is marked:\n%s", text)
	}
	short := plain(NewHosts().View(s, th, 140, 5, false))
	if last := short[len(short)-1]; !strings.HasPrefix(last, "+4 more hosts") {
		t.Errorf("5 lines: last %q, want the hidden hosts counted\n%s", last, strings.Join(short, "\n"))
	}
}

// Any size, however odd, is drawn exactly, and twice the same.
func TestFleetTableIsBounded(t *testing.T) {
	th := theme(t, "dark", termenv.ANSI256)
	s := panestest.FleetSnapshot()
	for _, sz := range [][2]int{{1, 1}, {3, 2}, {20, 3}, {45, 6}, {61, 30}, {400, 4}} {
		p := NewHosts()
		out := p.View(s, th, sz[0], sz[1], true)
		checkSize(t, "hosts", out, sz[0], sz[1])
		if again := p.View(s, th, sz[0], sz[1], true); again != out {
			t.Errorf("%dx%d: drawn twice, differs", sz[0], sz[1])
		}
	}
}

// Without a fleet the local machine keeps its own view, with a row for
// its disk I/O latency, marked while its breach is sustained.
func TestLocalHostShowsItsDiskLatency(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.FleetSnapshot()
	s.Fleet = s.Fleet[:1]
	text := strings.Join(plain(NewHosts().View(s, th, 100, 12, false)), "\n")
	if !strings.Contains(text, "Disk lat") || !strings.Contains(text, "4.1ms") || strings.Contains(text, "web1") {
		t.Fatalf("local view:\n%s", text)
	}
	s.Host.Latest.DiskLatency, s.Host.Over.DiskLatency = 0.0934, true
	if text := strings.Join(plain(NewHosts().View(s, th, 100, 12, false)), "\n"); !strings.Contains(text, "▲ 93.4ms") {
		t.Errorf("a sustained latency breach is not marked:\n%s", text)
	}
}
