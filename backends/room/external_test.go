package room

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"warroom/backends/config"
)

func diskFull(status string) ExternalAlert {
	return ExternalAlert{
		Fingerprint: "c0ffee00deadbeef", Status: status,
		Labels:      map[string]string{"alertname": "DiskFull", "severity": "warning", "instance": "web1:9100", "job": "node"},
		Annotations: map[string]string{"summary": "disk 95% full", "description": "longer words"},
		StartsAt:    t0.Add(-time.Minute), Source: "warroom http://am-a:9093",
	}
}

func (h *harness) external(alerts ...ExternalAlert) ExternalResult {
	h.t.Helper()
	res, err := h.r.ObserveExternal(context.Background(), alerts)
	if err != nil {
		h.t.Fatalf("ObserveExternal: %v", err)
	}
	return res
}

const diskFullID = "external/DiskFull/c0ffee00"

func TestExternalAlertIsRaisedOnceAndResolved(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	// An HA pair delivers the same alert twice, the second in the same post.
	if res := h.external(diskFull(ExternalFiring), diskFull(ExternalFiring)); res != (ExternalResult{Raised: 1, Repeated: 1}) {
		t.Errorf("first delivery: %+v, want one raised, one repeat", res)
	}
	h.external(diskFull(ExternalFiring))
	s := h.settle()
	a := alertByID(s, diskFullID)
	if a == nil || a.Severity != Warning || a.Subject != "web1:9100" || a.Text != "DiskFull: disk 95% full" {
		t.Fatalf("alert = %+v", a)
	}
	if x := a.External; x == nil || x.Deliveries != 3 || x.Labels["job"] != "node" || x.Fingerprint != "c0ffee00deadbeef" ||
		x.Source != "warroom http://am-a:9093" || !x.StartsAt.Equal(t0.Add(-time.Minute)) {
		t.Errorf("external view = %+v", a.External)
	}
	raised := journaled(t, h.j, EvAlertRaised, diskFullID)
	if len(raised) != 1 {
		t.Fatalf("alert.raised journaled %d times, want once", len(raised))
	}
	if f := raised[0].ExternalFacts(); f.Labels["instance"] != "web1:9100" || f.Fingerprint != "c0ffee00deadbeef" {
		t.Errorf("journaled facts %+v", f)
	}
	if txt := raised[0].Text; txt != "warning alert: DiskFull: disk 95% full {instance=web1:9100, job=node}" {
		t.Errorf("timeline text %q, want the labels beside the summary", txt)
	}

	if res := h.external(diskFull(ExternalResolved)); res != (ExternalResult{Cleared: 1}) {
		t.Errorf("resolve: %+v", res)
	}
	if res := h.external(diskFull(ExternalResolved), ExternalAlert{Status: "pending"}); res != (ExternalResult{Repeated: 1, Refused: 1}) {
		t.Errorf("the twin's resolve and a bad status: %+v", res)
	}
	if s := h.settle(); alertByID(s, diskFullID) != nil {
		t.Errorf("resolved alert still open: %+v", s.Alerts)
	}
	if n := len(journaled(t, h.j, EvAlertCleared, diskFullID)); n != 1 {
		t.Errorf("alert.cleared journaled %d times, want once", n)
	}
}

// A critical external alert counts toward proposing an incident like the
// room's own, and a severity change is raised again.
func TestCriticalExternalAlertProposesAnIncident(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	h.external(diskFull(ExternalFiring))
	if s := h.settle(); s.IncidentProposal != nil {
		t.Fatalf("a warning proposed %+v", s.IncidentProposal)
	}
	crit := diskFull(ExternalFiring)
	crit.Labels["severity"] = "Critical"
	if res := h.external(crit); res.Raised != 1 {
		t.Errorf("severity change: %+v, want raised again", res)
	}
	s := h.settle()
	if p := s.IncidentProposal; p == nil || p.Level != 1 || !strings.Contains(p.Reason, "DiskFull: disk 95% full") {
		t.Fatalf("proposal = %+v, want level 1 naming the alert", p)
	}
	if a := alertByID(s, diskFullID); a == nil || a.Severity != Critical {
		t.Errorf("alert = %+v", a)
	}
}

// Routes and silences see kind external, and the subject a mirror label names.
func TestExternalAlertsAreRoutedByKind(t *testing.T) {
	cfg := pageConfig(0)
	cfg.Alerting.Routes = []config.Route{{Name: "am", Match: config.AlertMatch{Kind: []string{config.ExternalKind}, Region: []string{"r1"}},
		Receivers: []string{"slack"}, GroupWait: time.Second, GroupInterval: time.Minute, RepeatInterval: time.Hour, Resolved: true}}
	h := pageRoom(t, cfg, "", t0)
	x := diskFull(ExternalFiring)
	x.Labels["mirror"] = "tokyo" // a configured mirror: its region routes
	h.external(x)
	h.after(2*time.Second, time.Second)
	posts := h.box.to("slack")
	if len(posts) != 1 || !strings.Contains(posts[0].Text, "DiskFull") {
		t.Fatalf("slack got %+v, want one page for the external alert", posts)
	}
	if a := alertByID(h.settle(), diskFullID); a == nil || a.Subject != "tokyo" || len(a.Paged) != 1 {
		t.Errorf("alert = %+v, want about tokyo and paged", a)
	}
}

func TestExternalLabelsAreCleanedAndBounded(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	lbl := map[string]string{"alertname": "Disk/Full now", "instance": "web\x1b[31m1", "bad-name": "x", "9lives": "x",
		"long": strings.Repeat("é", 1000), strings.Repeat("n", 65): "x"}
	for i := range 100 {
		lbl[fmt.Sprintf("l%03d", i)] = "v"
	}
	h.external(ExternalAlert{Status: ExternalFiring, Labels: lbl, Annotations: map[string]string{"summary": "a\x07b\nc " + strings.Repeat("s", 500)}})
	s := h.settle()
	if len(s.Alerts) != 1 {
		t.Fatalf("alerts = %+v", s.Alerts)
	}
	a := s.Alerts[0]
	kind, rest, _ := strings.Cut(a.ID, "/")
	name, fp, _ := strings.Cut(rest, "/")
	if kind != "external" || name != "Disk_Full_now" || len(fp) != 8 {
		t.Errorf("id %q: want external/Disk_Full_now/<8 hex of the labels' hash>", a.ID)
	}
	got := a.External.Labels
	if len(got) != MaxExternalLabels || got["instance"] != "web1" || got["alertname"] != "Disk/Full now" {
		t.Errorf("kept %d labels, instance %q, alertname %q", len(got), got["instance"], got["alertname"])
	}
	for k, v := range got {
		if k == "bad-name" || k == "9lives" || len(k) > 64 || len([]rune(v)) > 256 {
			t.Errorf("label %q=%d runes kept", k, len([]rune(v)))
		}
	}
	if strings.ContainsAny(a.Text, "\x07\x1b\n") || len([]rune(a.Text)) > 300 || !strings.HasPrefix(a.Text, "Disk/Full now: ab") {
		t.Errorf("text %q: want cleaned and cut", a.Text)
	}
	// Without a fingerprint the labels' hash dedupes the next delivery.
	if res := h.external(ExternalAlert{Status: ExternalFiring, Labels: lbl}); res.Repeated != 1 {
		t.Errorf("second delivery without a fingerprint: %+v", res)
	}
}

// After a restart the alert is back with its labels, not forgotten as an
// unknown subject: Alertmanager resolves it.
func TestExternalAlertSurvivesARestart(t *testing.T) {
	j := &memJournal{}
	h := newHarness(t, j, nil)
	h.external(diskFull(ExternalFiring))
	h.settle()
	again := newHarness(t, &memJournal{}, j.records())
	a := alertByID(again.settle(), diskFullID)
	if a == nil || a.External == nil || a.External.Labels["job"] != "node" || a.External.Deliveries != 1 {
		t.Fatalf("after replay: %+v", a)
	}
	if res := again.external(diskFull(ExternalResolved)); res.Cleared != 1 {
		t.Errorf("resolve after restart: %+v", res)
	}
}

// A replica records nothing: the intake must tell Alertmanager to retry.
func TestReplicaRefusesExternalAlerts(t *testing.T) {
	h := startRoom(t, Options{Config: testConfig(), Replica: true})
	_, err := h.r.ObserveExternal(context.Background(), []ExternalAlert{diskFull(ExternalFiring)})
	var nl *NotLeaderError
	if !errors.As(err, &nl) {
		t.Errorf("replica: %v, want NotLeaderError", err)
	}
}
