package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"warroom/backends/room"
)

var t0 = time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC)

// fixed is a small room: the origin, an active mirror up and lagging,
// a backup down with drift and no probe answer, two warnings and a
// critical alert, a P2 incident.
func fixed() *room.Snapshot {
	return &room.Snapshot{
		At:     t0,
		Origin: &room.MirrorView{Name: "origin", Region: "eu", State: room.StateUp, Status: 200, LastProbe: t0, Latency: 12 * time.Millisecond},
		Mirrors: []*room.MirrorView{
			{Name: "tokyo", Region: "ap", State: room.StateUp, Status: 200, LastProbe: t0, Latency: 250 * time.Millisecond,
				Lag: 90 * time.Second, LagKnown: true},
			{Name: "osaka", Region: "ap", State: room.StateDown, LastProbe: t0, Drift: true},
		},
		Alerts: []room.Alert{
			{ID: "mirror-down/osaka", Severity: room.Critical, Subject: "osaka"},
			{ID: "mirror-drift/osaka", Severity: room.Warning, Subject: "osaka"},
			{ID: "host-cpu/local", Severity: room.Warning, Subject: "local", Acked: true},
		},
		Incident: &room.IncidentView{ID: "INC-20261121-1", Level: 2},
	}
}

func stateLines(mirror, region, current string) string {
	var b strings.Builder
	for _, s := range mirrorStates {
		v := "0"
		if string(s) == current {
			v = "1"
		}
		b.WriteString(`warroom_mirror_state{mirror="` + mirror + `",region="` + region + `",state="` + string(s) + `"} ` + v + "\n")
	}
	return b.String()
}

func TestCollectorShowsTheSnapshot(t *testing.T) {
	c := newRoomCollector(func() *room.Snapshot { return fixed() })
	want := `
# HELP warroom_mirror_up 1 when the room sees the mirror (or origin) up; 0 when degraded, partial, down or not probed yet.
# TYPE warroom_mirror_up gauge
warroom_mirror_up{mirror="origin",region="eu"} 1
warroom_mirror_up{mirror="osaka",region="ap"} 0
warroom_mirror_up{mirror="tokyo",region="ap"} 1
# HELP warroom_mirror_state 1 for the mirror's current state (unknown, up, degraded, partial, down), 0 for the others.
# TYPE warroom_mirror_state gauge
` + stateLines("origin", "eu", "up") + stateLines("osaka", "ap", "down") + stateLines("tokyo", "ap", "up") + `
# HELP warroom_mirror_lag_seconds Sync lag behind the origin (origin beacon minus the mirror's); absent while unknown.
# TYPE warroom_mirror_lag_seconds gauge
warroom_mirror_lag_seconds{mirror="tokyo",region="ap"} 90
# HELP warroom_mirror_drift 1 when the mirror's manifest differs from the origin's of the same sync.
# TYPE warroom_mirror_drift gauge
warroom_mirror_drift{mirror="origin",region="eu"} 0
warroom_mirror_drift{mirror="osaka",region="ap"} 1
warroom_mirror_drift{mirror="tokyo",region="ap"} 0
# HELP warroom_probe_latency_seconds Latency of the mirror's last answered health probe.
# TYPE warroom_probe_latency_seconds gauge
warroom_probe_latency_seconds{mirror="origin",region="eu"} 0.012
warroom_probe_latency_seconds{mirror="tokyo",region="ap"} 0.25
# HELP warroom_alerts Open alerts (acknowledged or not), by severity.
# TYPE warroom_alerts gauge
warroom_alerts{severity="critical"} 1
warroom_alerts{severity="warning"} 2
# HELP warroom_incident_open 1 for the open incident's level (P1, P2, P3 as the room numbers them), 0 for the others; drills are not counted.
# TYPE warroom_incident_open gauge
warroom_incident_open{level="P1"} 0
warroom_incident_open{level="P2"} 1
warroom_incident_open{level="P3"} 0
# HELP warroom_journal_failed 1 when the journal failed: the room records nothing and refuses commands until restarted.
# TYPE warroom_journal_failed gauge
warroom_journal_failed 0
`
	if err := testutil.CollectAndCompare(c, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
	if problems, err := testutil.CollectAndLint(c); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %+v", err, problems)
	}
}

// A drill's incident is no incident to page on; a failed journal shows.
func TestCollectorLeavesDrillsOutAndShowsAFailedJournal(t *testing.T) {
	s := fixed()
	s.Incident = &room.IncidentView{ID: "DRILL-20261121-1", Level: 3, Drill: true}
	s.JournalErr = "fdatasync: input/output error"
	c := newRoomCollector(func() *room.Snapshot { return s })
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			key := f.GetName()
			for _, l := range m.GetLabel() {
				key += " " + l.GetValue()
			}
			got[key] = m.GetGauge().GetValue()
		}
	}
	for key, want := range map[string]float64{"warroom_incident_open P1": 0, "warroom_incident_open P2": 0,
		"warroom_incident_open P3": 0, "warroom_journal_failed": 1} {
		if v, ok := got[key]; !ok || v != want {
			t.Errorf("%s = %v (present %v), want %v", key, v, ok, want)
		}
	}
}

func TestCollectorIsEmptyBeforeTheFirstSnapshot(t *testing.T) {
	c := newRoomCollector(func() *room.Snapshot { return nil })
	if n := testutil.CollectAndCount(c); n != 0 {
		t.Errorf("%d metrics without a snapshot", n)
	}
}

func TestRecordedCountsActionsAndPostsByOutcome(t *testing.T) {
	s := fixed()
	s.Actions = []room.ActionView{{ID: "act-3", Request: room.Request{Kind: room.Rollback}}}
	m := New(Options{Snapshot: func() *room.Snapshot { return s },
		Channels: map[string]string{"ops-slack": "slack", "pd": "pagerduty"}})
	act := func(kind string, f room.ActionFacts) room.Event {
		return room.Event{At: t0, Kind: kind, Fields: f.Fields()}
	}
	for _, ev := range []room.Event{
		act(room.EvActionSucceeded, room.ActionFacts{ID: "act-1", Request: room.Request{Kind: room.Failover}}),
		act(room.EvActionSucceeded, room.ActionFacts{ID: "act-2", Request: room.Request{Kind: room.Failover}, DryRun: true}),
		act(room.EvActionFailed, room.ActionFacts{ID: "act-4", Request: room.Request{Kind: room.Failback}, State: room.ActionTimedOut}),
		act(room.EvActionFailed, room.ActionFacts{ID: "act-5", Request: room.Request{Kind: room.Failback}, State: room.ActionFailed}),
		act(room.EvActionUnknown, room.ActionFacts{ID: "act-3"}),  // kind from the snapshot
		act(room.EvActionUnknown, room.ActionFacts{ID: "act-99"}), // gone from the snapshot
		act(room.EvActionOutput, room.ActionFacts{ID: "act-1", Line: "ok"}),
		{Kind: room.EvPostSent, Subject: "ops-slack"},
		{Kind: room.EvPostSent, Subject: "ops-slack"},
		{Kind: room.EvPostFailed, Subject: "pd"},
		{Kind: room.EvPostRetrying, Subject: "pd"},
		{Kind: room.EvPostUnknown, Subject: "old-channel"},
	} {
		m.Recorded(ev)
	}
	want := `
# HELP warroom_actions_total Failovers, failbacks and rollbacks that ended, by kind and outcome (succeeded, failed, timed_out, unknown).
# TYPE warroom_actions_total counter
warroom_actions_total{kind="failback",outcome="failed"} 1
warroom_actions_total{kind="failback",outcome="succeeded"} 0
warroom_actions_total{kind="failback",outcome="timed_out"} 1
warroom_actions_total{kind="failback",outcome="unknown"} 0
warroom_actions_total{kind="failover",outcome="failed"} 0
warroom_actions_total{kind="failover",outcome="succeeded"} 1
warroom_actions_total{kind="failover",outcome="timed_out"} 0
warroom_actions_total{kind="failover",outcome="unknown"} 0
warroom_actions_total{kind="other",outcome="unknown"} 1
warroom_actions_total{kind="rollback",outcome="failed"} 0
warroom_actions_total{kind="rollback",outcome="succeeded"} 0
warroom_actions_total{kind="rollback",outcome="timed_out"} 0
warroom_actions_total{kind="rollback",outcome="unknown"} 1
# HELP warroom_posts_total Announcements and pages that ended, by channel kind and outcome (sent, failed, unknown).
# TYPE warroom_posts_total counter
warroom_posts_total{channel_kind="other",outcome="unknown"} 1
warroom_posts_total{channel_kind="pagerduty",outcome="failed"} 1
warroom_posts_total{channel_kind="pagerduty",outcome="sent"} 0
warroom_posts_total{channel_kind="pagerduty",outcome="unknown"} 0
warroom_posts_total{channel_kind="slack",outcome="failed"} 0
warroom_posts_total{channel_kind="slack",outcome="sent"} 2
warroom_posts_total{channel_kind="slack",outcome="unknown"} 0
`
	if err := testutil.GatherAndCompare(m.Gatherer(), strings.NewReader(want), "warroom_actions_total", "warroom_posts_total"); err != nil {
		t.Error(err)
	}
}

func TestJournalAppendLatencyIsAHistogramInSeconds(t *testing.T) {
	m := New(Options{Snapshot: func() *room.Snapshot { return nil }})
	m.ObserveAppend(300 * time.Microsecond)
	m.ObserveAppend(3 * time.Millisecond)
	m.ObserveAppend(2 * time.Second)
	want := `
# HELP warroom_journal_append_seconds Time of one synced journal append (write and fdatasync); a batch of events is one append.
# TYPE warroom_journal_append_seconds histogram
warroom_journal_append_seconds_bucket{le="0.0001"} 0
warroom_journal_append_seconds_bucket{le="0.00025"} 0
warroom_journal_append_seconds_bucket{le="0.0005"} 1
warroom_journal_append_seconds_bucket{le="0.001"} 1
warroom_journal_append_seconds_bucket{le="0.0025"} 1
warroom_journal_append_seconds_bucket{le="0.005"} 2
warroom_journal_append_seconds_bucket{le="0.01"} 2
warroom_journal_append_seconds_bucket{le="0.025"} 2
warroom_journal_append_seconds_bucket{le="0.05"} 2
warroom_journal_append_seconds_bucket{le="0.1"} 2
warroom_journal_append_seconds_bucket{le="0.25"} 2
warroom_journal_append_seconds_bucket{le="0.5"} 2
warroom_journal_append_seconds_bucket{le="1"} 2
warroom_journal_append_seconds_bucket{le="2.5"} 3
warroom_journal_append_seconds_bucket{le="+Inf"} 3
warroom_journal_append_seconds_sum 2.0033
warroom_journal_append_seconds_count 3
`
	if err := testutil.GatherAndCompare(m.Gatherer(), strings.NewReader(want), "warroom_journal_append_seconds"); err != nil {
		t.Error(err)
	}
	problems, err := testutil.GatherAndLint(m.Gatherer())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if strings.HasPrefix(p.Metric, "warroom_") {
			t.Errorf("lint: %s: %s", p.Metric, p.Text)
		}
	}
}
