package tui

import (
	"strings"
	"testing"
	"time"

	"warroom/backends/room"
	"warroom/panes/panestest"
)

// A decided action late to start counts as critical in the header's
// worst symbol, with every alert acknowledged, and marks the hidden
// Actions pane's slot.
func TestLateActionIsCriticalInHeaderAndMark(t *testing.T) {
	s := panestest.Snapshot()
	for i := range s.Alerts {
		s.Alerts[i].Acked = true
	}
	m, _ := incModel(t, "li.wei", room.RoleCommander, s, 80, 24)
	if h := firstLine(m); strings.Contains(h, "✖ 4") {
		t.Fatalf("header with every alert acknowledged shows ✖: %q", h)
	}
	late := *s
	at := panestest.Now()
	late.Actions = []room.ActionView{{ID: "act-7", Request: room.Request{Kind: room.Rollback, Target: "web", Version: "v9"},
		RequestedBy: "li.wei", RequestedAt: at.Add(-4 * time.Minute), State: room.ActionRequested, Urgent: true}}
	m.Update(SnapshotMsg{Snap: &late})
	if h := firstLine(m); !strings.Contains(h, "✖ 4") {
		t.Fatalf("header with a late action lacks the critical symbol: %q", h)
	}
	mustShow(t, m, "4 Alerts · 6 ✖ 1 not started ─")
}
