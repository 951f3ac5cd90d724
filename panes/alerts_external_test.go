package panes

import (
	"strings"
	"testing"

	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/panes/panestest"
)

// An alert from Alertmanager shows its labels after its text.
func TestAlertsShowAnExternalAlertsLabels(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	x := room.Alert{ID: "external/MirrorSlow/01234567", Severity: room.Warning, Subject: "web1:9100",
		Text: "MirrorSlow: p99 over 2s", Raised: s.At,
		External: &room.ExternalView{Labels: map[string]string{"alertname": "MirrorSlow", "severity": "warning",
			"instance": "web1:9100", "job": "node\x1b[2J"}, Deliveries: 2}}
	bare := x
	bare.ID, bare.Text = "external/Bare/89abcdef", "Bare: no labels but its name"
	bare.External = &room.ExternalView{Labels: map[string]string{"alertname": "Bare"}}
	s.Alerts = append([]room.Alert{x, bare}, s.Alerts...)
	p := NewAlerts()
	p.Sync(s, 200, 12)
	out := plain(p.View(s, th, 200, 12, false))
	if row := rowOf(out, "MirrorSlow"); !strings.Contains(row, "MirrorSlow: p99 over 2s {instance=web1:9100, job=node}") {
		t.Errorf("external alert's row %q, want its labels, cleaned", row)
	}
	if row := rowOf(out, "Bare:"); strings.Contains(row, "{") {
		t.Errorf("an alert with no labels beyond its name shows braces: %q", row)
	}
}
