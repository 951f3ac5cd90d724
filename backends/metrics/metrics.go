// Package metrics shows the room to Prometheus. A collector reads the
// room's latest snapshot at each scrape (so the room keeps no state for
// it); counters and a histogram are fed by hooks: the room's OnRecorded
// (actions and posts by outcome) and the journal's OnAppend (append
// latency). Labels are few and bounded: mirror, region, state, severity,
// level, kind, outcome.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"warroom/backends/room"
)

// Options say where the figures come from.
type Options struct {
	// Snapshot returns the room's latest snapshot (nil before the first).
	Snapshot func() *room.Snapshot
	// Channels maps each notify channel's name to its kind (slack,
	// pagerduty, …): posts are counted by kind, never by name.
	Channels map[string]string
	// Inbox says how many inputs wait in the room's inbox (nil: not shown).
	Inbox func() int
}

// Metrics is one room's registry.
type Metrics struct {
	reg      *prometheus.Registry
	snapshot func() *room.Snapshot
	channels map[string]string
	appendS  prometheus.Histogram
	lateS    prometheus.Histogram
	actions  *prometheus.CounterVec
	posts    *prometheus.CounterVec
}

// appendBuckets span a synced append: about 0.2 ms on a quiet SSD up to
// seconds on a disk in trouble.
var appendBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}

// New builds the registry: the room's figures, the hooks' counters, and
// the Go runtime and process collectors.
func New(o Options) *Metrics {
	m := &Metrics{
		reg:      prometheus.NewRegistry(),
		snapshot: o.Snapshot,
		channels: o.Channels,
		appendS: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "warroom_journal_append_seconds",
			Help:    "Time of one synced journal append (write and fdatasync); a batch of events is one append.",
			Buckets: appendBuckets,
		}),
		lateS: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "warroom_probe_start_lateness_seconds",
			Help:    "How late each scheduled probe started against its deadline.",
			Buckets: lateBuckets,
		}),
		actions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "warroom_actions_total",
			Help: "Failovers, failbacks and rollbacks that ended, by kind and outcome (succeeded, failed, timed_out, unknown).",
		}, []string{"kind", "outcome"}),
		posts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "warroom_posts_total",
			Help: "Announcements and pages that ended, by channel kind and outcome (sent, failed, unknown).",
		}, []string{"channel_kind", "outcome"}),
	}
	m.zeroCounters()
	m.reg.MustRegister(newRoomCollector(o.Snapshot), newEngineCollector(o.Snapshot, o.Inbox), m.appendS, m.lateS, m.actions, m.posts,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Gatherer is the registry, for tests and other handlers.
func (m *Metrics) Gatherer() prometheus.Gatherer { return m.reg }

// Handler serves the registry in Prometheus's text format; a few scrapes
// at once at most, each within 10 seconds.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{MaxRequestsInFlight: 4, Timeout: 10 * time.Second})
}

// ObserveAppend is the journal's OnAppend hook.
func (m *Metrics) ObserveAppend(d time.Duration) { m.appendS.Observe(d.Seconds()) }
