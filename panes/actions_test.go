package panes

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// TestGoldenActions renders the Actions pane from the actions fixture,
// with the cursor on the paused rollback (proposal, running, timed out,
// paused): the detail shows its plan, output and the decision it waits for.
func TestGoldenActions(t *testing.T) {
	km := keymaps.Default()
	s := panestest.ActionsSnapshot()
	for _, set := range goldenSets() {
		for _, name := range set.themes {
			th := theme(t, name, set.profile)
			for _, sz := range [][2]int{{80, 24}, {160, 48}, {38, 5}} {
				w, h := sz[0], sz[1]
				t.Run(fmt.Sprintf("%s/%s/%dx%d", set.name, name, w, h), func(t *testing.T) {
					p := NewActions()
					p.View(s, th, w-2, h-2, true)
					for i := 0; i < 3; i++ {
						p.Key(panestest.Press(km.Down), km, s)
					}
					out := Frame(th, p.Title(), p.View(s, th, w-2, h-2, true), w, h, true)
					checkSize(t, "actions", out, w, h)
					golden.RequireEqual(t, out)
				})
			}
		}
	}
}

func TestActionsOrderAndDetail(t *testing.T) {
	th := theme(t, "dark", 0)
	s := panestest.ActionsSnapshot()
	p := NewActions()
	lines := plain(p.View(s, th, 120, 40, true))
	prop, running, first := find(lines, "proposed"), find(lines, "act-6"), find(lines, "act-1")
	if prop < 0 || running < 0 || first < 0 || !(prop < running && running < first) {
		t.Fatalf("want the proposal on top, then actions newest first:\n%s", strings.Join(lines, "\n"))
	}
	if find(lines, "why: web errors at 7 %") < 0 {
		t.Fatalf("the selected proposal's detail lacks its reason:\n%s", strings.Join(lines, "\n"))
	}
	km := keymaps.Default()
	for i := 0; i < 3; i++ {
		p.Key(panestest.Press(km.Down), km, s)
	}
	lines = plain(p.View(s, th, 120, 40, true))
	for _, want := range []string{
		"paused: batch 2/3 failed: api-2: health check failed — retry, continue or abort?",
		"batch 2/3: deploy-api --version 2026.08.19 --hosts api-2,api-3",
		"batch 2/3: api-2: GET /healthz: 503",
	} {
		if find(lines, want) < 0 {
			t.Fatalf("paused rollback detail lacks %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	p.Key(panestest.Press(km.Down), km, s)
	lines = plain(p.View(s, th, 120, 40, true))
	if find(lines, "waiting for tokyo to report 2026.08.20") < 0 || find(lines, "read back: deployed w1,w2") < 0 {
		t.Fatalf("rollback watch not shown:\n%s", strings.Join(lines, "\n"))
	}
}

func TestActionsKeysAskForTheRightThing(t *testing.T) {
	km := keymaps.Vim()
	s := panestest.ActionsSnapshot()
	p := NewActions()
	if in := p.Key(panestest.Press(km.Confirm), km, s); in != (ActionIntent{Kind: IntentReview, Rule: "web-5xx"}) {
		t.Fatalf("enter on the proposal = %+v", in)
	}
	if in := p.Key(panestest.Press(km.Back), km, s); in != (ActionIntent{Kind: IntentDismiss, Rule: "web-5xx"}) {
		t.Fatalf("esc on the proposal = %+v", in)
	}
	if in := p.Key(panestest.Press(km.Retry), km, s); in.Kind != "" {
		t.Fatalf("retry on a proposal asked %+v", in)
	}
	p.Key(panestest.Press(km.Bottom), km, s) // act-1, succeeded
	if in := p.Key(panestest.Press(km.Confirm), km, s); in.Kind != "" {
		t.Fatalf("enter on a finished action asked %+v", in)
	}
	p.Key(panestest.Press(km.Top), km, s)
	for i := 0; i < 3; i++ {
		p.Key(panestest.Press(km.Down), km, s)
	}
	for _, c := range []struct {
		press    string
		decision string
	}{{km.Retry.Keys()[0], "retry"}, {km.Confirm.Keys()[0], "continue"}, {km.Abort.Keys()[0], "abort"}} {
		in := p.Key(panestest.KeyMsg(c.press), km, s)
		if in != (ActionIntent{Kind: IntentDecide, ID: "act-4", Decision: c.decision}) {
			t.Fatalf("%s on the paused action = %+v, want %s", c.press, in, c.decision)
		}
	}
	var help []string
	for _, b := range p.Keys(km) {
		help = append(help, b.Help().Desc)
	}
	if got := strings.Join(help, ","); got != "move,retry batch,continue,abort" {
		t.Fatalf("help bar on a paused action: %s", got)
	}
	// The cursor stays on its action when a new one arrives on top.
	next := *s
	next.Actions = append(append([]room.ActionView(nil), s.Actions...), room.ActionView{ID: "act-7", State: room.ActionRequested})
	if _, _, id := p.Selected(&next); id != "act-4" {
		t.Fatalf("cursor moved to %s when act-7 arrived", id)
	}
}

func TestActionsReadOnlyHidesKeys(t *testing.T) {
	km := keymaps.Default()
	s := panestest.ActionsSnapshot()
	s.ReadOnly = true
	p := NewActions()
	p.View(s, theme(t, "dark", 0), 80, 20, true)
	if keys := p.Keys(km); len(keys) != 1 {
		t.Fatalf("read-only room shows %d keys, want only move", len(keys))
	}
	empty := panestest.Snapshot()
	empty.ReadOnly = true
	if lines := plain(p.View(empty, theme(t, "dark", 0), 80, 5, true)); find(lines, "read-only room: actions are disabled") < 0 {
		t.Fatalf("no read-only note:\n%s", strings.Join(lines, "\n"))
	}
}

func TestActionsEverySize(t *testing.T) {
	th := theme(t, "dark", 0)
	s := panestest.ActionsSnapshot()
	p := NewActions()
	for w := 0; w <= 130; w += 7 {
		for h := 0; h <= 30; h += 3 {
			checkSize(t, "actions", p.View(s, th, w, h, true), w, h)
		}
	}
}
