package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"warroom/backends/room"
)

// lateBuckets span a probe's start lateness: sub-millisecond on an idle
// node up to seconds on an overloaded one (issue 17's goal: p99 < 250 ms).
var lateBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}

// engineCollector shows whether the room keeps up: inputs waiting in its
// inbox and the age of this machine's latest sample in its snapshot.
type engineCollector struct {
	snapshot func() *room.Snapshot
	inbox    func() int
	queued   *prometheus.Desc
	hostAge  *prometheus.Desc
}

func newEngineCollector(snapshot func() *room.Snapshot, inbox func() int) *engineCollector {
	return &engineCollector{snapshot: snapshot, inbox: inbox,
		queued: prometheus.NewDesc("warroom_room_inbox_queued",
			"Inputs (probe results, samples, commands) waiting in the room's inbox; near 0 when the room keeps up.", nil, nil),
		hostAge: prometheus.NewDesc("warroom_host_sample_age_seconds",
			"Age of this machine's latest sample in the room's latest snapshot; about the sampling interval when the room keeps up.", nil, nil),
	}
}

func (c *engineCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.queued; ch <- c.hostAge }

func (c *engineCollector) Collect(ch chan<- prometheus.Metric) {
	if c.inbox != nil {
		ch <- prometheus.MustNewConstMetric(c.queued, prometheus.GaugeValue, float64(c.inbox()))
	}
	if s := c.snapshot(); s != nil && s.Host != nil && !s.Host.Latest.At.IsZero() {
		ch <- prometheus.MustNewConstMetric(c.hostAge, prometheus.GaugeValue, time.Since(s.Host.Latest.At).Seconds())
	}
}

// ObserveProbeStart is the scheduler's OnStart hook: how late a probe
// started against its deadline.
func (m *Metrics) ObserveProbeStart(_ string, due time.Time) {
	m.lateS.Observe(max(0, time.Since(due).Seconds()))
}
