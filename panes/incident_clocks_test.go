package panes

import (
	"strings"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/panes/panestest"
)

// clocksSnapshot is IncidentSnapshot with its decision clocks: the first
// critical alert 10 minutes ago, ana's decision 4m12s later and the action
// started 38s after that; with stopped false, the decision was 3m30s ago
// and nothing started since (rollback act-3, urgent).
func clocksSnapshot(stopped bool) *room.Snapshot {
	s := panestest.IncidentSnapshot()
	at := s.At
	inc := s.Incident
	inc.FirstCritical = at.Add(-10 * time.Minute)
	inc.DecidedAt, inc.DecidedBy, inc.DecidedAction = inc.FirstCritical.Add(4*time.Minute+12*time.Second), "ana", "act-3"
	if stopped {
		inc.ActionStartedAt = inc.DecidedAt.Add(38 * time.Second)
		return s
	}
	inc.DecidedAt = at.Add(-3*time.Minute - 30*time.Second)
	s.Actions = append(s.Actions, room.ActionView{ID: "act-3", Request: room.Request{Kind: room.Rollback, Target: "web", Version: "2026.08.21"},
		Executor: "deploy", RequestedBy: "li.wei", RequestedAt: at.Add(-5 * time.Minute), ApprovedBy: "ana", ApprovedAt: inc.DecidedAt,
		State: room.ActionRequested, Urgent: true})
	return s
}

func TestDecisionClocksStopAtTheirEvents(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := clocksSnapshot(true)
	full := strings.Join(plain(NewIncident().View(s, th, 78, 22, true)), "\n")
	if want := "alert→decision 4m12s · decision→action 38s · decided by ana"; !strings.Contains(full, want) {
		t.Errorf("zoomed pane lacks %q:\n%s", want, full)
	}
	// The narrow layout's slot (80×24): the pair in short words.
	narrow := strings.Join(plain(NewIncident().View(s, th, 38, 5, false)), "\n")
	if want := "alert→decision 4m12s · →action 38s"; !strings.Contains(narrow, want) {
		t.Errorf("80×24 slot lacks %q:\n%s", want, narrow)
	}
}

func TestDecisionClocksRunWhilePending(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := clocksSnapshot(true)
	s.Incident.DecidedAt, s.Incident.DecidedBy, s.Incident.ActionStartedAt = time.Time{}, "", time.Time{}
	full := strings.Join(plain(NewIncident().View(s, th, 78, 22, true)), "\n")
	if want := "alert→decision 10m00s… · decision→action —"; !strings.Contains(full, want) {
		t.Errorf("waiting for a decision: lacks %q:\n%s", want, full)
	}
	s = clocksSnapshot(false)
	full = strings.Join(plain(NewIncident().View(s, th, 78, 22, true)), "\n")
	for _, want := range []string{
		"alert→decision 6m30s · decision→action 3m30s ✖",
		"✖ act-3 rollback web to 2026.08.21: decided 3m30s ago, still not started",
	} {
		if !strings.Contains(full, want) {
			t.Errorf("decided, not started: lacks %q:\n%s", want, full)
		}
	}
	// No critical alert and no decision: no clocks to show.
	s = panestest.IncidentSnapshot()
	if full = strings.Join(plain(NewIncident().View(s, th, 78, 22, true)), "\n"); strings.Contains(full, "decision") {
		t.Errorf("clocks shown before anything started them:\n%s", full)
	}
}
