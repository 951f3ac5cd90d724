package report

import (
	"strings"
	"testing"
	"time"

	"warroom/backends/report/reporttest"
	"warroom/backends/room"
)

// A flapping mirror's quiet state changes stay out of the review's
// timeline, as out of the room's; its flapping alert stands for them.
func TestQuietMirrorChangesStayOffTheTimeline(t *testing.T) {
	rec := reporttest.NewRecorder()
	rec.Add(room.EvRoomOpened, "", "", "info", "room opened on 3 mirrors", "mirrors", "3")
	rec.At(10*time.Second).Add(room.EvAlertRaised, "osaka", "", "warning", "warning alert: osaka flapping: 7 changes in 10m, now down",
		"alert", "mirror-flapping/osaka", "text", "osaka flapping: 7 changes in 10m, now down")
	rec.At(20*time.Second).Add(room.EvMirrorState, "osaka", "", "down", "osaka down: refused", "from", "up", "to", "down")
	for i := range 10 {
		to := []string{"degraded", "down"}[i%2]
		rec.At(time.Duration(30+10*i)*time.Second).Add(room.EvMirrorState, "osaka", "", to, "osaka "+to+" (flapping)",
			"from", "x", "to", to, "quiet", "true")
	}
	r := build(t, rec.Events, "")
	var mirrorLines []string
	for _, m := range r.Timeline {
		if m.Kind == "mirror" {
			mirrorLines = append(mirrorLines, m.What)
		}
	}
	if len(mirrorLines) != 1 || strings.Contains(mirrorLines[0], "flapping") {
		t.Errorf("want only the change not marked quiet, got %q", mirrorLines)
	}
	if md := r.Markdown(); !strings.Contains(md, "osaka flapping: 7 changes in 10m") || strings.Contains(md, "(flapping)") {
		t.Errorf("review:\n%s", md)
	}
}
