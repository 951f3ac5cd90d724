package tui

import (
	"strings"
	"testing"

	"warroom/backends/room"
	"warroom/panes/panestest"
)

// A mirror down from some regions only is counted in the header too.
func TestHeaderCountsPartialMirrors(t *testing.T) {
	s := panestest.Snapshot()
	s.Mirrors[1].State = room.StatePartial
	m, _ := incModel(t, "li.wei", room.RoleCommander, s, 160, 48)
	if h := firstLine(m); !strings.Contains(h, "◐ 1 partial") {
		t.Fatalf("header %q does not count the partial mirror", h)
	}
}
