package panes

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// TestGoldenPresence renders the Presence pane as li.wei's session sees
// it, the cursor on mei, wide and in the narrow layout's place.
func TestGoldenPresence(t *testing.T) {
	km := keymaps.Default()
	s := panestest.IncidentSnapshot()
	for _, set := range []struct {
		name    string
		profile termenv.Profile
	}{{"ansi256", termenv.ANSI256}, {"ascii", termenv.Ascii}} {
		th := theme(t, "dark", set.profile)
		for _, sz := range [][2]int{{80, 9}, {40, 7}} {
			w, h := sz[0], sz[1]
			t.Run(fmt.Sprintf("%s/%dx%d", set.name, w, h), func(t *testing.T) {
				p := NewPresence()
				p.Self = "p2"
				p.View(s, th, w-2, h-2, true)
				p.Update(panestest.Press(km.Down), km, s)
				p.Update(panestest.Press(km.Down), km, s)
				out := Frame(th, p.Title(), p.View(s, th, w-2, h-2, true), w, h, true)
				checkSize(t, "presence", out, w, h)
				golden.RequireEqual(t, out)
			})
		}
	}
}

func TestPresenceRowsMarkSelfAndPen(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.IncidentSnapshot()
	p := NewPresence()
	p.Self = "p2"
	lines := plain(p.View(s, th, 90, 8, false))
	for _, want := range []string{
		"4 people here  1 commander  1 operator  1 comms  1 observer  ✎ pen: li.wei",
		"NAME", "ROLE", "HERE", "LOOKING AT", "VIA",
		"ana", "commander", "2h", "Incident", "local",
		"✎ li.wei (you)", "operator", "14m", "Mirrors", "ssh from 10.0.4.17:52144",
		"sam", "observer", "40s", "—",
	} {
		if find(lines, want) < 0 {
			t.Fatalf("pane lacks %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	if n := strings.Count(strings.Join(lines, "\n"), "(you)"); n != 1 {
		t.Fatalf("%d rows marked as you, want 1", n)
	}
	// Without a pen the summary and the names say nothing of it.
	s.PenRequired = false
	if lines = plain(p.View(s, th, 90, 8, false)); find(lines, "✎") >= 0 {
		t.Fatalf("pen shown in a room without one:\n%s", strings.Join(lines, "\n"))
	}
	if lines = plain(p.View(panestest.Snapshot(), th, 60, 3, false)); find(lines, "nobody has joined the room") < 0 {
		t.Fatalf("empty room:\n%s", strings.Join(lines, "\n"))
	}
}

func TestPresenceCursorFollowsItsPerson(t *testing.T) {
	km := keymaps.Default()
	s := panestest.IncidentSnapshot()
	p := NewPresence()
	p.View(s, theme(t, "dark", termenv.Ascii), 60, 8, true)
	p.Update(panestest.Press(km.Down), km, s)
	p.Update(panestest.Press(km.Down), km, s)
	if sel := p.Selected(s); sel == nil || sel.Name != "mei" {
		t.Fatalf("selected %+v, want mei", sel)
	}
	// ana leaves: the cursor stays on mei.
	next := *s
	next.Presence = append([]room.PresenceView(nil), s.Presence[1:]...)
	if sel := p.Selected(&next); sel == nil || sel.Name != "mei" {
		t.Fatalf("after ana left, selected %+v, want mei", sel)
	}
	for w := 0; w <= 120; w += 11 {
		for h := 0; h <= 12; h++ {
			checkSize(t, "presence", p.View(s, theme(t, "dark", termenv.ANSI256), w, h, true), w, h)
		}
	}
}

// A snapshot that changes nothing the pane shows reuses its last frame (the
// same string, not a redraw); the HERE column still counts, in seconds for
// the first minute, and a new presence list or pen shows at once.
func TestPresenceRedrawsOnlyWhenWhatItShowsChanges(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.IncidentSnapshot()
	p := NewPresence()
	first := p.View(s, th, 90, 8, false)
	if find(plain(first), "40s") < 0 {
		t.Fatalf("want sam here for 40s:\n%s", first)
	}
	same := *s
	same.Seq++
	same.At = s.At.Add(500 * time.Millisecond)
	if got := p.View(&same, th, 90, 8, false); unsafe.StringData(got) != unsafe.StringData(first) {
		t.Errorf("a snapshot changing nothing here redrew the pane")
	}

	tick := same
	tick.At = s.At.Add(time.Second)
	if lines := plain(p.View(&tick, th, 90, 8, false)); find(lines, "41s") < 0 {
		t.Errorf("a second later sam is still shown 40s:\n%s", strings.Join(lines, "\n"))
	}

	joined := tick
	joined.Presence = append(slices.Clone(tick.Presence), room.PresenceView{ID: "p9", Name: "new.person", Role: room.RoleComms, Since: tick.At})
	if lines := plain(p.View(&joined, th, 90, 9, false)); find(lines, "new.person") < 0 {
		t.Errorf("a newcomer is not shown:\n%s", strings.Join(lines, "\n"))
	}
	handed := joined
	handed.Pen = "ana"
	if lines := plain(p.View(&handed, th, 90, 9, false)); find(lines, "✎ ana") < 0 {
		t.Errorf("the pen's new holder is not marked:\n%s", strings.Join(lines, "\n"))
	}
}
