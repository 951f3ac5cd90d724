package report

import (
	"context"
	"strings"
	"testing"
	"time"

	"warroom/backends/report/reporttest"
	"warroom/backends/room"
)

// Issue 12 item 14: the room raises a down alert in the same step as the
// verdict, so "time to detect" counted from the verdict was always 0s. It
// counts from the first failed probe of the streak that took the mirror
// down: here 3 probes 15 s apart, the verdict at the third.
func TestTimeToDetectCountsFromTheFirstFailedProbe(t *testing.T) {
	cfg := roomConfig()
	cfg.Mirrors[0].Health.FailAfter = 3
	cfg.Mirrors[0].Health.Interval = 15 * time.Second
	l := startLiveRoom(t, room.Options{Config: cfg})
	for _, m := range []string{"origin", "tokyo", "osaka", "seoul"} {
		l.probe(m, true, time.Time{})
	}
	first := l.at(10 * time.Minute)
	l.probe("tokyo", false, time.Time{})
	l.at(10*time.Minute + 15*time.Second)
	l.probe("tokyo", false, time.Time{})
	down := l.at(10*time.Minute + 30*time.Second)
	l.probe("tokyo", false, time.Time{})
	l.settle()
	l.at(11 * time.Minute)
	id, err := l.r.Declare(context.Background(), room.IncidentSpec{Level: 2, Title: "tokyo down"}, ana)
	if err != nil {
		t.Fatal(err)
	}

	r := l.report(id)
	if got := measureOf(t, r, "time to detect"); got != 30*time.Second {
		t.Errorf("time to detect = %v, want 30s (first failed probe 03:10:00, alert 03:10:30)", got)
	}
	if !r.Start.Equal(first) {
		t.Errorf("review starts %v, want the first sign %v", r.Start, first)
	}
	var sign, mirror *Moment
	for i, m := range r.Timeline {
		switch {
		case m.Kind == "first-sign":
			sign = &r.Timeline[i]
		case m.Kind == "mirror" && m.At.Equal(down):
			mirror = &r.Timeline[i]
		}
	}
	if sign == nil || !sign.At.Equal(first) || !strings.HasPrefix(sign.What, "first sign: tokyo failing (tokyo down: ") ||
		!strings.HasSuffix(sign.What, " at 03:10:30)") {
		t.Errorf("first sign %+v, want tokyo failing at %v, down at 03:10:30", sign, first)
	}
	if mirror == nil || !strings.HasSuffix(mirror.What, "(failing since 03:10:00)") {
		t.Errorf("tokyo's down line %+v, want it to say since when it was failing", mirror)
	}
	if !strings.Contains(r.Markdown(), "| time to detect | tokyo's first bad probe | first alert | 30s |") {
		t.Errorf("durations table:\n%s", r.Markdown())
	}
}

// A journal written before mirror.state carried since keeps the old rule
// (from the moment the mirror left up); a since never moves the onset
// after the verdict.
func TestTimeToDetectFromJournalsWithAndWithoutSince(t *testing.T) {
	for _, tc := range []struct {
		name  string
		since []string
		want  time.Duration
	}{
		{"with since", []string{"since", reporttest.Base.Add(10 * time.Second).Format(time.RFC3339Nano)}, 30 * time.Second},
		{"older journal", nil, 0},
		{"since after the verdict", []string{"since", reporttest.Base.Add(time.Hour).Format(time.RFC3339Nano)}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := reporttest.NewRecorder()
			rec.Add(room.EvRoomOpened, "", "", "info", "room opened on 3 mirrors", "mirrors", "3")
			rec.At(40*time.Second).Add(room.EvMirrorState, "tokyo", "", "down", "tokyo down: got status 503",
				append([]string{"from", "up", "to", "down", "reason", "got status 503"}, tc.since...)...)
			rec.Add(room.EvAlertRaised, "tokyo", "", "critical", "critical alert: tokyo down: got status 503",
				"alert", "mirror-down/tokyo", "text", "tokyo down: got status 503")
			r := build(t, rec.Events, "")
			if got := measureOf(t, r, "time to detect"); got != tc.want {
				t.Errorf("time to detect = %v, want %v", got, tc.want)
			}
		})
	}
}
