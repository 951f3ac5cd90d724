package report

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"warroom/backends/report/reporttest"
	"warroom/backends/room"
)

// The recorded incident's silence: who, why, from, until, and that ana
// ended it early, in the report's list, timeline, responders and Markdown.
func TestReportListsSilences(t *testing.T) {
	r := build(t, reporttest.Drill(reporttest.Incident("15m", "10m")).Events, reporttest.IncidentID)
	base := reporttest.Base
	want := Silence{ID: "sil-1", Matcher: "kind=mirror-lag,mirror=tokyo", By: "bo", Reason: "tokyo resyncs for an hour once power is back",
		From: base.Add(8*time.Minute + 10*time.Second), Until: base.Add(68*time.Minute + 10*time.Second),
		EndedAt: base.Add(33 * time.Minute), Ended: "ended early by ana"}
	if len(r.Silences) != 1 || r.Silences[0] != want {
		t.Fatalf("silences = %+v\nwant %+v", r.Silences, want)
	}
	if !inOrder(kinds(r), []string{"acknowledged", "silence", "silence-ended", "resolved"}) {
		t.Errorf("timeline kinds %v", kinds(r))
	}
	md := r.Markdown()
	for _, s := range []string{"## Silences", "| sil-1 | kind=mirror-lag,mirror=tokyo | bo | tokyo resyncs for an hour once power is back | 03:18 | 04:18 | ended early by ana at 03:43 |",
		"silenced kind=mirror-lag,mirror=tokyo until 04:18"} {
		if !strings.Contains(md, s) {
			t.Errorf("Markdown lacks %q:\n%s", s, md)
		}
	}
	b, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Silences []map[string]any `json:"silences"`
	}
	if err := json.Unmarshal(b, &got); err != nil || len(got.Silences) != 1 || got.Silences[0]["ended"] != "ended early by ana" || got.Silences[0]["by"] != "bo" {
		t.Errorf("JSON silences: %v %+v", err, got.Silences)
	}
	drill := build(t, reporttest.Drill(reporttest.Incident("15m", "10m")).Events, reporttest.DrillID)
	if len(drill.Silences) != 0 || !strings.Contains(drill.Markdown(), "No alert was silenced.") {
		t.Errorf("the drill, an hour after the silence ended, lists %+v", drill.Silences)
	}
}

// A silence set before the incident and still in force during it is
// listed, one that ended by itself says so, and an escalation is in the
// timeline and the summary.
func TestReportSilenceExpiredByItselfAndEscalations(t *testing.T) {
	rec := reporttest.NewRecorder()
	at := func(min int) *reporttest.Recorder { return rec.At(time.Duration(min) * time.Minute) }
	stamp := func(min int) string {
		return reporttest.Base.Add(time.Duration(min) * time.Minute).Format(time.RFC3339)
	}
	at(0).Add(room.EvSilenceAdded, "sil-4", "ana", "info", "ana silenced", "id", "sil-4", "matcher", "mirror=osaka",
		"start", stamp(0), "end", stamp(30), "reason", "osaka rebuild")
	at(1).Add(room.EvSilenceAdded, "sil-5", "ana", "info", "ana silenced", "id", "sil-5", "matcher", "mirror=sydney",
		"start", stamp(1), "end", stamp(2), "reason", "over before it")
	at(2).Add(room.EvSilenceExpired, "sil-5", "", "info", "sil-5 ended: its time was up", "id", "sil-5", "end", stamp(2))
	at(5).Add(room.EvAlertRaised, "tokyo", "", "critical", "critical alert: tokyo down", "alert", "mirror-down/tokyo", "text", "tokyo down: refused")
	at(10).Add(room.EvAlertEscalated, "tokyo", "", "critical", "unacked 5m — escalated to pd-managers: tokyo down: refused",
		"alert", "mirror-down/tokyo", "route", "critical", "receivers", "pd-managers,oncall-mail")
	at(12).Add(room.EvAlertAcked, "tokyo", "bo", "info", "bo acknowledged", "alert", "mirror-down/tokyo")
	at(20).Add(room.EvAlertCleared, "tokyo", "", "ok", "cleared", "alert", "mirror-down/tokyo")
	at(30).Add(room.EvSilenceExpired, "sil-4", "", "info", "sil-4 ended: its time was up", "id", "sil-4", "end", stamp(30))

	r := build(t, rec.Events, "")
	if len(r.Silences) != 1 || r.Silences[0].ID != "sil-4" || r.Silences[0].Ended != "expired" || !r.Silences[0].EndedAt.Equal(reporttest.Base.Add(30*time.Minute)) {
		t.Errorf("silences = %+v (want sil-4 only, ended by itself; sil-5 was over before the first alert)", r.Silences)
	}
	if len(r.Escalations) != 1 || r.Escalations[0].Alert != "mirror-down/tokyo" || strings.Join(r.Escalations[0].To, ",") != "pd-managers,oncall-mail" {
		t.Errorf("escalations = %+v", r.Escalations)
	}
	if !inOrder(kinds(r), []string{"first-alert", "escalated", "acknowledged"}) {
		t.Errorf("timeline kinds %v", kinds(r))
	}
	md := r.Markdown()
	for _, s := range []string{"1 critical alert(s) went unacknowledged past ack_within and escalated (to pd-managers, oncall-mail), first at 2026-11-21 03:20 UTC.",
		"unacked 5m — escalated to pd-managers", "| sil-4 | mirror=osaka | ana | osaka rebuild |"} {
		if !strings.Contains(md, s) {
			t.Errorf("Markdown lacks %q:\n%s", s, md)
		}
	}
}
