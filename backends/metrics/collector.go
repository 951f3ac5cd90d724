package metrics

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"warroom/backends/room"
)

// mirrorStates are the values of warroom_mirror_state's state label.
var mirrorStates = []room.State{room.StateUnknown, room.StateUp, room.StateDegraded, room.StatePartial, room.StateDown}

// severities and levels are exported whole, at 0 when none is open, so
// "== 0" and "> 0" both have a series to compare.
var (
	severities = []room.Severity{room.Warning, room.Critical}
	levels     = []int{1, 2, 3}
)

// roomCollector turns the latest snapshot into gauges at scrape time.
type roomCollector struct {
	snapshot func() *room.Snapshot

	up, state, lag, drift, latency *prometheus.Desc
	alerts, incident, journalFail  *prometheus.Desc
}

func newRoomCollector(snapshot func() *room.Snapshot) *roomCollector {
	mirror := []string{"mirror", "region"}
	return &roomCollector{
		snapshot: snapshot,
		up: prometheus.NewDesc("warroom_mirror_up",
			"1 when the room sees the mirror (or origin) up; 0 when degraded, partial, down or not probed yet.", mirror, nil),
		state: prometheus.NewDesc("warroom_mirror_state",
			"1 for the mirror's current state (unknown, up, degraded, partial, down), 0 for the others.",
			[]string{"mirror", "region", "state"}, nil),
		lag: prometheus.NewDesc("warroom_mirror_lag_seconds",
			"Sync lag behind the origin (origin beacon minus the mirror's); absent while unknown.", mirror, nil),
		drift: prometheus.NewDesc("warroom_mirror_drift",
			"1 when the mirror's manifest differs from the origin's of the same sync.", mirror, nil),
		latency: prometheus.NewDesc("warroom_probe_latency_seconds",
			"Latency of the mirror's last answered health probe.", mirror, nil),
		alerts: prometheus.NewDesc("warroom_alerts",
			"Open alerts (acknowledged or not), by severity.", []string{"severity"}, nil),
		incident: prometheus.NewDesc("warroom_incident_open",
			"1 for the open incident's level (P1, P2, P3 as the room numbers them), 0 for the others; drills are not counted.", []string{"level"}, nil),
		journalFail: prometheus.NewDesc("warroom_journal_failed",
			"1 when the journal failed: the room records nothing and refuses commands until restarted.", nil, nil),
	}
}

// Describe sends the fixed descriptions.
func (c *roomCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.up, c.state, c.lag, c.drift, c.latency, c.alerts, c.incident, c.journalFail} {
		ch <- d
	}
}

// Collect reads the latest snapshot; before the first, there is nothing.
func (c *roomCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.snapshot()
	if s == nil {
		return
	}
	if s.Origin != nil {
		c.mirror(ch, s.Origin)
	}
	for _, m := range s.Mirrors {
		c.mirror(ch, m)
	}
	c.room(ch, s)
}

func (c *roomCollector) mirror(ch chan<- prometheus.Metric, m *room.MirrorView) {
	name, region := m.Name, m.Region
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, flag(m.State == room.StateUp), name, region)
	for _, st := range mirrorStates {
		ch <- prometheus.MustNewConstMetric(c.state, prometheus.GaugeValue, flag(m.State == st), name, region, string(st))
	}
	if m.LagKnown {
		ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, m.Lag.Seconds(), name, region)
	}
	ch <- prometheus.MustNewConstMetric(c.drift, prometheus.GaugeValue, flag(m.Drift), name, region)
	if !m.LastProbe.IsZero() && m.Status != 0 {
		ch <- prometheus.MustNewConstMetric(c.latency, prometheus.GaugeValue, m.Latency.Seconds(), name, region)
	}
}

func (c *roomCollector) room(ch chan<- prometheus.Metric, s *room.Snapshot) {
	count := map[room.Severity]int{}
	for i := range s.Alerts {
		count[s.Alerts[i].Severity]++
	}
	for _, sev := range severities {
		ch <- prometheus.MustNewConstMetric(c.alerts, prometheus.GaugeValue, float64(count[sev]), string(sev))
	}
	open := 0
	if inc := s.Incident; inc != nil && !inc.Drill {
		open = inc.Level
	}
	for _, l := range levels {
		ch <- prometheus.MustNewConstMetric(c.incident, prometheus.GaugeValue, flag(open == l), "P"+strconv.Itoa(l))
	}
	ch <- prometheus.MustNewConstMetric(c.journalFail, prometheus.GaugeValue, flag(s.JournalErr != ""))
}

func flag(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
