package tui

import (
	"strings"
	"testing"

	"github.com/muesli/termenv"

	"warroom/keymaps"
	"warroom/panes/panestest"
)

// Issue 12 item 14d: during an open incident the composer starts on the
// template for its status and fills in its level and commander.
func TestComposerFollowsTheOpenIncident(t *testing.T) {
	km := keymaps.Default()
	s := panestest.IncidentSnapshot() // level 2, identified, commander ana
	s.Channels = panestest.Channels()
	m, _ := announceModel(t, km, termenv.Ascii, s, 160, 48)
	press(m, km.Announce)
	mustShow(t, m, "> identified")
	press(m, km.Confirm)
	d := cmpOf(m).draft
	if cmpOf(m).tmpl.Phase != "identified" || d.Field("Level") != "level 2" || d.Field("Commander") != "ana" ||
		d.Field("Incident") != "INC-20260822-1" || d.Field("Title") != "Asia mirrors down" {
		t.Fatalf("template %q, fields %+v: want identified, level 2, commander ana, the incident's id and title", cmpOf(m).tmpl.Name, d)
	}
	mustShow(t, m, "Level             level 2", "Commander         ana")
	if strings.Contains(m.View(), "Level             —") {
		t.Fatal("Level shows — during an open incident")
	}
}
