package panes

import (
	"strings"
	"testing"
	"time"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// A soaking rollback, and one paused after its soak, take continue and
// abort; retry (which reruns a failed batch) is neither offered nor sent.
func TestSoakingRollbackOffersContinueAndAbort(t *testing.T) {
	km := keymaps.Default()
	for _, c := range []struct {
		name, status string
		edit         func(a *room.ActionView)
	}{
		{"soaking", "soaking after batch 1/3: 12m left — continue or abort early", func(a *room.ActionView) {
			a.State, a.Err, a.Batch, a.SoakUntil = room.ActionRunning, "", 1, panestest.Now().Add(12*time.Minute)
		}},
		{"soak over", "paused: batch 1/3 soaked — continue or abort?", func(a *room.ActionView) {
			a.Err, a.Batch, a.Soaked = "", 1, true
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := panestest.ActionsSnapshot()
			c.edit(&s.Actions[3]) // act-4, rollback api in three batches
			p := NewActions()
			for i := 0; i < 3; i++ {
				p.Key(panestest.Press(km.Down), km, s)
			}
			if _, _, id := p.Selected(s); id != "act-4" {
				t.Fatalf("selected %s, want act-4", id)
			}
			view := strings.Join(plain(p.View(s, theme(t, "dark", 0), 100, 30, true)), "\n")
			if !strings.Contains(view, c.status) {
				t.Errorf("detail lacks %q:\n%s", c.status, view)
			}
			var help []string
			for _, b := range p.Keys(km) {
				help = append(help, b.Help().Desc)
			}
			if got := strings.Join(help, ","); got != "move,continue,abort" {
				t.Errorf("help bar: %s", got)
			}
			if in := p.Key(panestest.Press(km.Retry), km, s); in.Kind != "" {
				t.Errorf("retry asked %+v", in)
			}
			for _, d := range []struct {
				press    string
				decision string
			}{{km.Confirm.Keys()[0], "continue"}, {km.Abort.Keys()[0], "abort"}} {
				if in := p.Key(panestest.KeyMsg(d.press), km, s); in != (ActionIntent{Kind: IntentDecide, ID: "act-4", Decision: d.decision}) {
					t.Errorf("%s = %+v, want %s", d.press, in, d.decision)
				}
			}
		})
	}
}

// A decided action late to start says so in critical words, in its row
// and its detail.
func TestUrgentActionSaysItHasNotStarted(t *testing.T) {
	s := panestest.ActionsSnapshot()
	at := panestest.Now()
	s.Actions = append(s.Actions, room.ActionView{ID: "act-7", Request: room.Request{Kind: room.Rollback, Target: "web", Version: "2026.08.21"},
		Executor: "deploy", RequestedBy: "li.wei", RequestedAt: at.Add(-5 * time.Minute), ApprovedBy: "ana",
		ApprovedAt: at.Add(-3*time.Minute - 12*time.Second), State: room.ActionRequested, Urgent: true})
	p := NewActions()
	p.Key(panestest.Press(keymaps.Default().Down), keymaps.Default(), s) // below the proposal
	view := strings.Join(plain(p.View(s, theme(t, "dark", 0), 100, 30, true)), "\n")
	for _, want := range []string{"✖ late", "act-7 rollback web to 2026.08.21: decided 3m12s ago, still not started"} {
		if !strings.Contains(view, want) {
			t.Errorf("actions pane lacks %q:\n%s", want, view)
		}
	}
}
