package tui

import (
	"testing"

	"github.com/charmbracelet/bubbles/key"

	"warroom/backends/room"
	"warroom/panes/panestest"
)

// Issue 12 item 14f: a read-only room writes the report (it only reads
// the journal), and offers the key for it.
func TestReadOnlyRoomStillWritesTheReport(t *testing.T) {
	s := panestest.IncidentSnapshot()
	s.ReadOnly = true
	m, _ := incModel(t, "ana", room.RoleCommander, s, 200, 60)
	press(m, m.km.Pane[paneIncident])
	if !hasKey(m.incidentKeys(), m.km.Report.Help().Key) {
		t.Fatalf("the footer of a read-only room does not offer %s", m.km.Report.Help().Key)
	}
	if hasKey(m.incidentKeys(), m.km.Declare.Help().Key) || hasKey(m.incidentKeys(), m.km.Advance.Help().Key) {
		t.Fatal("a read-only room offers incident commands it refuses")
	}
	run(m, press(m, m.km.Report))
	mustShow(t, m, "report written to /var/lib/warroom/reports/INC-20260822-1.md")
}

func hasKey(bs []key.Binding, k string) bool {
	for _, b := range bs {
		if b.Help().Key == k {
			return true
		}
	}
	return false
}
