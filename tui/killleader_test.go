package tui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"warroom/backends/room"
)

// The cluster demo's kill key: offered to a commander only where the demo
// gives a way to kill, it kills once and says which node; a failure says why.
func TestKillLeaderKeyOnlyInTheClusterDemo(t *testing.T) {
	m, _ := incModel(t, "sam", room.RoleCommander, everythingSnapshot(false), 200, 60)
	press(m, m.km.Help)
	if strings.Contains(screen(m), "kill the leader node") {
		t.Fatalf("help offers the kill key outside the cluster demo:\n%s", screen(m))
	}
	press(m, m.km.Back)
	if cmd := press(m, m.km.KillLeader); cmd != nil {
		run(m, cmd)
	}

	kills := 0
	m.opts.KillLeader = func(context.Context) (string, error) { kills++; return "n2", nil }
	press(m, m.km.Help)
	if !strings.Contains(screen(m), "kill the leader node") {
		t.Errorf("help does not offer the kill key in the cluster demo:\n%s", screen(m))
	}
	press(m, m.km.Back)
	run(m, press(m, m.km.KillLeader))
	if kills != 1 || !strings.Contains(m.flash, "killed n2") || m.flashBad {
		t.Errorf("after K: %d kills, flash %q (bad %v); want one kill naming n2", kills, m.flash, m.flashBad)
	}

	m.opts.KillLeader = func(context.Context) (string, error) { return "", errors.New("no node leads the room") }
	run(m, press(m, m.km.KillLeader))
	if !m.flashBad || !strings.Contains(m.flash, "no node leads the room") {
		t.Errorf("a failed kill shows %q (bad %v), want the reason", m.flash, m.flashBad)
	}
}
