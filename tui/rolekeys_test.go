package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// TestNoPaneOffersAKeyTheRoleMayNotUse focuses every pane as every role
// and reads the help bar: no key the role lacks the permission for is
// offered, and the Actions pane offers only moving to those who may not
// act. (The Alerts pane offered "a acknowledge" to comms and observers.)
func TestNoPaneOffersAKeyTheRoleMayNotUse(t *testing.T) {
	km := keymaps.Default()
	gated := map[room.Perm][]key.Binding{
		room.PermAck:      {km.Ack},
		room.PermAct:      {km.Failover, km.Failback, km.Rollback},
		room.PermAnnounce: {km.Announce, km.Retry},
		room.PermApprove:  {km.Approve, km.Reject},
		room.PermIncident: {km.Declare, km.Tick, km.Report},
		room.PermCommand:  {km.Level, km.HandOver},
		room.PermNote:     {km.Note, km.Pin},
		room.PermDrill:    {km.Drill},
	}
	actsOnly := []string{"review & confirm", "esc dismiss", "retry batch", "abort"}
	s := panestest.ActionsSnapshot()
	s.Incident, s.Presence = panestest.IncidentSnapshot().Incident, panestest.People()
	for _, role := range room.Roles() {
		m, _ := incModel(t, "x", role, s, 200, 50)
		for i := range m.panes {
			press(m, m.paneKey(i))
			bar := footerText(m)
			for perm, bs := range gated {
				if role.Can(perm) {
					continue
				}
				for _, b := range bs {
					if offer := b.Help().Key + " " + b.Help().Desc; strings.Contains(bar, offer) {
						t.Errorf("%s on pane %d is offered %q without %s:\n%s", role, i+1, offer, perm, bar)
					}
				}
			}
			for _, d := range actsOnly {
				if !role.Can(room.PermAct) && strings.Contains(bar, d) {
					t.Errorf("%s on pane %d is offered %q:\n%s", role, i+1, d, bar)
				}
			}
		}
		press(m, m.paneKey(paneAlerts))
		if want := km.Ack.Help().Key + " " + km.Ack.Help().Desc; role.Can(room.PermAck) && !strings.Contains(footerText(m), want) {
			t.Errorf("%s may acknowledge, but the Alerts pane does not offer %q:\n%s", role, want, footerText(m))
		}
	}
}
