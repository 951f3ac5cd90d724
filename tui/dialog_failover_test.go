package tui

import (
	"testing"

	"warroom/backends/room"
	"warroom/keymaps"
)

// TestFailoverDialogWarnsOfUnfitMirrors: the drifted nyc-3 is fresher than
// most backups but is listed after every fit one, says why it is not
// recommended, and can still be chosen on purpose behind that warning.
func TestFailoverDialogWarnsOfUnfitMirrors(t *testing.T) {
	km := keymaps.Default()
	m, r := actModel(t, km, actionRoomSnapshot("type-name"), 120, 48)
	press(m, km.Failover)
	cands := room.Rank(m.snap, "fra-1")
	if !cands[0].Fit() || cands[0].Mirror.Name == "nyc-3" {
		t.Fatalf("first candidate %s is not a fit one", cands[0].Mirror.Name)
	}
	mustShow(t, m, "✖ not recommended: serves content that differs from the origin", "✖ not recommended: tokyo is down")
	pos := -1
	for i, c := range cands {
		if c.Mirror.Name == "nyc-3" {
			pos = i
		}
	}
	for range pos {
		press(m, km.Down)
	}
	mustShow(t, m, "> ● up       nyc-3")
	run(m, press(m, km.Confirm))
	mustShow(t, m, "Fail over fra-1 → nyc-3", "not recommended: serves content that differs from the origin", "Type nyc-3 to confirm")
	runAll(m, typeKeys(m, "nyc-3"))
	run(m, press(m, km.Confirm))
	if acts := r.actCalls(); len(acts) != 1 || acts[0].To != "nyc-3" {
		t.Fatalf("Act calls %+v, want the failover a person chose", acts)
	}
}

func TestFailoverDialogSaysWhenNoMirrorIsFit(t *testing.T) {
	km := keymaps.Default()
	s := actionRoomSnapshot("type-name")
	for _, mv := range s.Mirrors {
		if mv.Role != "active" {
			mv.Drift = true
		}
	}
	m, _ := actModel(t, km, s, 120, 48)
	press(m, km.Failover)
	mustShow(t, m, "no mirror is fit to take the traffic")
}
