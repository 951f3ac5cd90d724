package report

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"warroom/backends/report/reporttest"
	"warroom/backends/room"
)

func build(t *testing.T, evs []room.Event, id string) *Report {
	t.Helper()
	r, err := Build(evs, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func kinds(r *Report) []string {
	var out []string
	for _, m := range r.Timeline {
		out = append(out, m.Kind)
	}
	return out
}

// inOrder reports whether want appear in got in this order (others may sit between).
func inOrder(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

func TestIncidentReportFromRecordedSequence(t *testing.T) {
	rec := reporttest.Drill(reporttest.Incident("15m", "10m"))
	r := build(t, rec.Events, reporttest.IncidentID)

	if r.ID != reporttest.IncidentID || r.Drill || !r.Declared || !r.Closed || r.Status != room.StatusClosed || r.Level != 2 {
		t.Fatalf("header: %+v", r)
	}
	if len(r.Commanders) != 2 || r.Commanders[0].Name != "ana" || r.Commanders[1].Name != "bo" || r.Commanders[1].By != "ana" {
		t.Fatalf("commanders: %+v", r.Commanders)
	}
	want := []string{"first-sign", "first-alert", "acknowledged", "declared", "note", "failover-started", "failover-confirmed",
		"first-announcement", "commander", "note", "recovery", "failback-confirmed", "resolved"}
	if got := kinds(r); !inOrder(got, want) {
		t.Fatalf("timeline kinds %v\nwant in order %v", got, want)
	}
	// Nothing from the drill that followed the close leaks in.
	for _, m := range r.Timeline {
		if strings.Contains(m.What, "DRILL") || m.At.After(reporttest.Base.Add(55*time.Minute)) {
			t.Fatalf("timeline reaches past the close: %+v", m)
		}
	}
	roles := map[string]string{}
	for _, p := range r.Responders {
		roles[p.Name] = p.Role
	}
	if roles["ana"] != "commander" || roles["bo"] != "operator" || roles["cleo"] != "comms" {
		t.Fatalf("responders: %+v", r.Responders)
	}
	if len(r.Actions) != 2 {
		t.Fatalf("actions: %+v", r.Actions)
	}
	fo := r.Actions[0]
	if fo.ID != "act-1" || fo.RequestedBy != "bo" || fo.ApprovedBy != "ana" || fo.Outcome != "succeeded" || !fo.RPOKnown || fo.RPO != 42*time.Second {
		t.Fatalf("failover: %+v", fo)
	}
	if len(r.Announcements) != 2 || len(r.Announcements[0].Deliveries) != 2 {
		t.Fatalf("announcements: %+v", r.Announcements)
	}
	d := r.Announcements[0].Deliveries
	if d[0].Channel != "slack-ops" || d[0].State != "sent" || d[1].Channel != "status-page" || d[1].State != "failed" ||
		d[1].Attempts != 3 || !strings.Contains(d[1].Error, "502") {
		t.Fatalf("deliveries: %+v", d)
	}
	if len(r.Notes) != 2 || !r.Notes[0].Pinned || !r.Notes[1].Pinned {
		t.Fatalf("notes (the first pinned later, the second at once): %+v", r.Notes)
	}
	if s := r.Steps; !s[0].Done || s[0].Auto || !s[1].Done || !s[1].Auto || s[1].By != "action.succeeded" || s[3].Done {
		t.Fatalf("steps: %+v", s)
	}

	md := r.Markdown()
	for _, h := range []string{"# Post-incident review: INC-20261121-1 — tokyo mirror down", "## Summary", "## Level and roles",
		"## Timeline", "## Durations", "## RTO and RPO", "## Checklist", "## Actions", "## Announcements", "## Notes",
		"## Root cause\n\n_For the team to write._", "## Contributing factors\n\n_For the team to write._",
		"## Action items\n\n_For the team to write._", "| 03:16 | first announcement sent", "| status-page | failed | 03:18 | 3 |",
		"**RTO 15m: met.**", "**RPO 10m: met.**"} {
		if !strings.Contains(md, h) {
			t.Errorf("markdown lacks %q", h)
		}
	}
	if strings.Contains(md, "scorecard") {
		t.Error("a real incident's review has a scorecard")
	}
}

func TestDurations(t *testing.T) {
	r := build(t, reporttest.Incident("15m", "10m").Events, "")
	want := map[string]string{
		"time to detect":             "30s",    // tokyo degraded 03:11:40, alert 03:12:10
		"time to declare":            "1m 50s", // 03:14:00
		"time to acknowledge":        "55s",    // 03:13:05
		"time to mitigate":           "4m",     // failover confirmed 03:16:10
		"time to first announcement": "4m 32s", // sent 03:16:42
		"time to recover":            "22m",    // alert cleared 03:34:10
		"time to resolve":            "32m 50s",
	}
	got := map[string]string{}
	for _, m := range r.Durations {
		if !m.Known {
			t.Fatalf("%s not known: %+v", m.Name, m)
		}
		got[m.Name] = Human(m.Took)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if !strings.Contains(r.Markdown(), "| time to first announcement | first alert | first announcement sent | 4m 32s |") {
		t.Errorf("durations table:\n%s", r.Markdown())
	}
}

func TestRTOAndRPOMetOrMissed(t *testing.T) {
	cases := []struct {
		rto, rpo         string
		rtoWant, rpoWant string
	}{
		{"15m", "10m", Met, Met},
		{"3m", "30s", Missed, Missed}, // restored after 4m; 42 s of lag
		{"240", "42", Met, Met},       // seconds, and exactly on target
		{"", "", NoTarget, NoTarget},
	}
	for _, c := range cases {
		r := build(t, reporttest.Incident(c.rto, c.rpo).Events, "")
		if r.RTO.Verdict != c.rtoWant || r.RPO.Verdict != c.rpoWant {
			t.Errorf("rto %q rpo %q: got %s/%s (%s; %s), want %s/%s", c.rto, c.rpo, r.RTO.Verdict, r.RPO.Verdict,
				r.RTO.Detail, r.RPO.Detail, c.rtoWant, c.rpoWant)
		}
		if !r.RTO.Known || r.RTO.Achieved != 4*time.Minute || r.RPO.Achieved != 42*time.Second {
			t.Errorf("measured %v and %v, want 4m and 42s", r.RTO.Achieved, r.RPO.Achieved)
		}
	}
	r := build(t, reporttest.Incident("3m", "30s").Events, "")
	if md := r.Markdown(); !strings.Contains(md, "**RTO 3m: missed.**") || !strings.Contains(md, "**RPO 30s: missed.**") {
		t.Errorf("markdown verdicts:\n%s", md)
	}
}

func TestRTOWhileStillOpen(t *testing.T) {
	// Cut just before the failover is confirmed: not restored yet.
	evs := reporttest.Incident("15m", "10m").Events
	i := slices.IndexFunc(evs, func(ev room.Event) bool { return ev.Kind == room.EvActionSucceeded })
	r := build(t, evs[:i], "")
	if r.Closed || r.RTO.Verdict != Pending || r.RTO.Known {
		t.Fatalf("open incident within its RTO: %+v closed %v", r.RTO, r.Closed)
	}
	if r.RPO.Verdict != Unknown {
		t.Fatalf("no failover yet, RPO %+v", r.RPO)
	}
	if !strings.Contains(r.Markdown(), "still open") {
		t.Fatalf("summary does not say it is open:\n%s", r.Markdown())
	}
	// The same cut with a 2-minute RTO has already missed it.
	r = build(t, reporttest.Incident("2m", "").Events[:i], "")
	if r.RTO.Verdict != Missed {
		t.Fatalf("open incident past its RTO: %+v", r.RTO)
	}
}

func TestDrillReportIncludesScorecard(t *testing.T) {
	rec := reporttest.Drill(reporttest.Incident("15m", "10m"))
	r := build(t, rec.Events, "") // the latest: the drill
	if r.ID != reporttest.DrillID || !r.Drill || r.Scorecard == nil || r.Scenario == nil {
		t.Fatalf("drill report: id %s drill %v scorecard %v scenario %v", r.ID, r.Drill, r.Scorecard, r.Scenario)
	}
	if r.Scenario.Name != "regional-outage" || r.Scenario.Live || r.Scenario.Reason != "goals met" {
		t.Fatalf("scenario: %+v", r.Scenario)
	}
	md := r.Markdown()
	for _, s := range []string{"# Drill review: DRILL-20261121-2", "This was a drill of the scenario regional-outage",
		"## Drill scorecard: regional-outage", "| failover | 5m | 2m30s | met |", "3 of 3 goals met",
		"## Timeline", "## Durations", "## Action items", "| time to detect | first drill fault | first alert | 40s |"} {
		if !strings.Contains(md, s) {
			t.Errorf("drill markdown lacks %q", s)
		}
	}
	if strings.Index(md, "## Drill scorecard") > strings.Index(md, "## Root cause") {
		t.Error("scorecard after the team's sections")
	}
	// Nothing from the real incident before it.
	if len(r.Actions) != 1 || r.Actions[0].ID != "act-3" || len(r.Announcements) != 1 || !r.Announcements[0].Drill {
		t.Fatalf("drill actions %+v announcements %+v", r.Actions, r.Announcements)
	}
	js, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Drill     bool `json:"drill"`
		Scorecard struct {
			Met   int `json:"met"`
			Goals []struct {
				Name            string `json:"name"`
				AchievedSeconds int64  `json:"achieved_seconds"`
			} `json:"goals"`
		} `json:"scorecard"`
		RTO struct {
			Verdict         string `json:"verdict"`
			AchievedSeconds int64  `json:"achieved_seconds"`
		} `json:"rto"`
	}
	if err := json.Unmarshal(js, &got); err != nil {
		t.Fatal(err)
	}
	if !got.Drill || got.Scorecard.Met != 3 || len(got.Scorecard.Goals) != 3 || got.Scorecard.Goals[1].AchievedSeconds != 150 ||
		got.RTO.Verdict != Met || got.RTO.AchievedSeconds != 110 {
		t.Fatalf("json: %+v\n%s", got, js)
	}
}

func TestUnknownIDListsIncidentsAndDrillsApart(t *testing.T) {
	rec := reporttest.Drill(reporttest.Incident("15m", "10m"))
	_, err := Build(rec.Events, "INC-nope")
	var ue *UnknownIncidentError
	if !errors.As(err, &ue) {
		t.Fatalf("error %v (%T)", err, err)
	}
	if !slices.Equal(ue.Incidents, []string{reporttest.IncidentID}) || !slices.Equal(ue.Drills, []string{reporttest.DrillID}) {
		t.Fatalf("lists: %+v", ue)
	}
	msg := err.Error()
	if !strings.Contains(msg, `"INC-nope"`) || !strings.Contains(msg, "incidents: INC-20261121-1; drills: DRILL-20261121-2") {
		t.Fatalf("message: %s", msg)
	}
}

func TestList(t *testing.T) {
	rec := reporttest.Drill(reporttest.Incident("15m", "10m"))
	got := List(rec.Events)
	if len(got) != 2 {
		t.Fatalf("list: %+v", got)
	}
	if got[0].ID != reporttest.IncidentID || got[0].Drill || got[0].Status != room.StatusClosed || got[0].Title != "tokyo mirror down" {
		t.Fatalf("incident: %+v", got[0])
	}
	if got[1].ID != reporttest.DrillID || !got[1].Drill || got[1].Scenario != "regional-outage" {
		t.Fatalf("drill: %+v", got[1])
	}
}

// withoutIncidents drops every incident, note and drill event: a journal
// from a room where nobody declared anything.
func withoutIncidents(evs []room.Event) []room.Event {
	return slices.DeleteFunc(slices.Clone(evs), func(ev room.Event) bool {
		return strings.HasPrefix(ev.Kind, "incident.") || strings.HasPrefix(ev.Kind, "note.") || strings.HasPrefix(ev.Kind, "drill.")
	})
}

func TestNoDeclarationReportsTheAlertSpan(t *testing.T) {
	evs := withoutIncidents(reporttest.Incident("15m", "10m").Events)
	r := build(t, evs, "")
	if r.Declared || r.ID != "alerts-20261121-0312" || len(r.Steps) != 0 {
		t.Fatalf("span report: id %s declared %v steps %d", r.ID, r.Declared, len(r.Steps))
	}
	// From the first alert to the last recovery, then the failback after it.
	if !r.FirstAlert.Equal(reporttest.Base.Add(2*time.Minute+10*time.Second)) || len(r.Actions) != 2 {
		t.Fatalf("span: first alert %v, actions %+v", r.FirstAlert, r.Actions)
	}
	if r.RTO.Verdict != NoTarget || r.RPO.Verdict != NoTarget || !r.RPO.Known {
		t.Fatalf("objectives: %+v %+v", r.RTO, r.RPO)
	}
	md := r.Markdown()
	if !strings.Contains(md, "No incident was declared: this review covers the span from the first alert (2026-11-21 03:12 UTC) to the last recovery") {
		t.Fatalf("summary:\n%s", md)
	}
	if list := List(evs); len(list) != 1 || list[0].ID != r.ID || list[0].Declared {
		t.Fatalf("list: %+v", list)
	}
	if _, err := Build(evs, "INC-1"); err == nil {
		t.Fatal("an unknown id in a journal with no incident was accepted")
	}
	if _, err := Build(evs[:3], ""); !errors.Is(err, ErrNothing) {
		t.Fatalf("journal with no alert: %v", err)
	}
}

func TestHuman(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 400 * time.Millisecond: "0s", 45 * time.Second: "45s", 4*time.Minute + 12*time.Second: "4m 12s",
		5 * time.Minute: "5m", time.Hour + 5*time.Minute: "1h 5m", 26*time.Hour + 3*time.Second: "1d 2h 3s",
		-90 * time.Second: "-1m 30s",
	} {
		if got := Human(d); got != want {
			t.Errorf("Human(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestWriteSavesMarkdownUnderReports(t *testing.T) {
	dir := t.TempDir()
	r := build(t, reporttest.Incident("15m", "10m").Events, "")
	path, err := Write(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "reports", reporttest.IncidentID+".md"); path != want {
		t.Fatalf("path %s, want %s", path, want)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != r.Markdown() {
		t.Fatalf("file content differs (err %v)", err)
	}
	// Again: replaced, and no temporary file left behind.
	if _, err := Write(dir, r); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(filepath.Join(dir, "reports"))
	if len(ents) != 1 {
		t.Fatalf("reports folder holds %d files", len(ents))
	}
	if got := fileName("../../etc/x"); strings.Contains(got, "/") {
		t.Fatalf("fileName kept a slash: %q", got)
	}
}

func TestStatusJumpShowsOnceAndRestoresNothing(t *testing.T) {
	rec := reporttest.NewRecorder()
	rec.At(time.Minute).Add(room.EvAlertRaised, "tokyo", "", "critical", "tokyo down", "alert", "a1", "text", "tokyo down")
	rec.At(2*time.Minute).Add(room.EvIncidentDeclared, "INC-1", "ana", "critical", "declared", "level", "1", "title", "t", "rto", "5m0s")
	rec.At(9 * time.Minute)
	for _, st := range [][2]string{{"investigating", "identified"}, {"identified", "mitigated"}, {"mitigated", "resolved"}, {"resolved", "closed"}} {
		f := []string{"from", st[0], "to", st[1], "by_event", "drill.ended"}
		if st[1] != "closed" {
			f = append(f, "jump", "closed")
		}
		rec.Add(room.EvIncidentStatus, "INC-1", "", "info", "status", f...)
	}
	r := build(t, rec.Events, "")
	var statuses []string
	for _, m := range r.Timeline {
		if m.Kind == "status" || m.Kind == "resolved" {
			statuses = append(statuses, m.What+" by "+m.Who)
		}
	}
	if !slices.Equal(statuses, []string{"status: resolved → closed by (drill.ended)"}) || !r.Closed || r.Status != "closed" {
		t.Fatalf("statuses %v closed %v", statuses, r.Closed)
	}
	if r.RTO.Verdict != Missed || r.RTO.Known {
		t.Fatalf("closed without restoring, RTO: %+v", r.RTO)
	}
}

func TestWindowWithoutDetectedStartsAtTheOpenAlert(t *testing.T) {
	evs := reporttest.Incident("15m", "10m").Events
	for i := range evs {
		if evs[i].Kind == room.EvIncidentDeclared {
			delete(evs[i].Fields, "detected")
		}
	}
	r := build(t, evs, "")
	if want := reporttest.Base.Add(2*time.Minute + 10*time.Second); !r.FirstAlert.Equal(want) || r.RTO.Achieved != 4*time.Minute {
		t.Fatalf("first alert %v (want %v), RTO %v", r.FirstAlert, want, r.RTO.Achieved)
	}
}
