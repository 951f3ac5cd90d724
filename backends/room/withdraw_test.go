package room

import (
	"context"
	"strings"
	"testing"
	"time"

	"warroom/backends/config"
	"warroom/backends/mirrors"
)

// A person who acts by hand while a rule's proposal is open withdraws it,
// and the timeline says who and what; confirming the proposal itself
// withdraws nothing.
func TestProposalWithdrawnByHandSaysWhoActed(t *testing.T) {
	for _, byRule := range []bool{false, true} {
		cfg := actionConfig()
		cfg.Actions.Rules = []config.Rule{{Name: "active-down", When: config.WhenActiveDown, For: 10 * time.Second, Propose: Failover}}
		h := actionRoom(t, cfg, &fakeExec{}, &memJournal{}, nil)
		at := t0
		for i := 0; i < 2; i++ {
			h.r.ObserveProbe(ok("osaka", at, mirrors.SyncInfo{}))
			h.r.ObserveProbe(ok("tokyo", at, mirrors.SyncInfo{}))
			at = at.Add(time.Second)
		}
		for i := 0; i < 3; i++ {
			h.r.ObserveProbe(fail("tokyo", at))
			at = at.Add(time.Second)
		}
		h.r.ObserveProbe(fail("tokyo", at.Add(20*time.Second)))
		s := h.settle()
		if len(s.Proposals) != 1 {
			t.Fatalf("no proposal to act on: %+v", s.Proposals)
		}
		req := Request{Kind: Failover, From: "tokyo", To: "osaka"}
		if byRule {
			req.Rule = "active-down"
		}
		if _, err := h.r.Act(context.Background(), req, operator("ana")); err != nil {
			t.Fatal(err)
		}
		s = h.settle()
		var withdrawn []Event
		for _, ev := range s.Timeline {
			if ev.Kind == EvActionDismissed {
				withdrawn = append(withdrawn, ev)
			}
		}
		if len(s.Proposals) != 0 {
			t.Fatalf("by rule %v: the proposal is still open: %+v", byRule, s.Proposals)
		}
		switch {
		case byRule && len(withdrawn) != 0:
			t.Fatalf("confirming the proposal withdrew it: %+v", withdrawn)
		case !byRule && (len(withdrawn) != 1 || withdrawn[0].Actor != "ana" ||
			!strings.Contains(withdrawn[0].Text, "rule active-down: proposal withdrawn: ana failed over tokyo → osaka by hand")):
			t.Fatalf("the withdrawal does not say who acted: %+v", withdrawn)
		}
	}
}
