package metrics

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"warroom/backends/room"
)

// bigRoom is a snapshot of n mirrors over 20 regions, every fifth one down
// and lagging unknown, with alerts and an incident.
func bigRoom(n int) *room.Snapshot {
	s := &room.Snapshot{At: t0, Incident: &room.IncidentView{Level: 2},
		Origin: &room.MirrorView{Name: "origin", Region: "eu", State: room.StateUp, Status: 200, LastProbe: t0, Latency: time.Millisecond}}
	for i := range n {
		m := &room.MirrorView{Name: fmt.Sprintf("mirror-%04d", i), Region: fmt.Sprintf("region-%02d", i%20),
			State: room.StateUp, Status: 200, LastProbe: t0, Latency: time.Duration(i) * time.Microsecond,
			Lag: time.Duration(i) * time.Second, LagKnown: true}
		if i%5 == 0 {
			m.State, m.Status, m.LagKnown = room.StateDown, 0, false
			s.Alerts = append(s.Alerts, room.Alert{ID: "mirror-down/" + m.Name, Severity: room.Warning})
		}
		s.Mirrors = append(s.Mirrors, m)
	}
	return s
}

// render serves one scrape of h (plain text, as curl asks) and fails on
// anything but 200.
func render(b *testing.B, h http.Handler) int {
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		b.Fatalf("scrape: %d %s", w.Code, w.Body.String())
	}
	return w.Body.Len()
}

// BenchmarkMetrics2000Mirrors is one scrape of the room's /metrics with
// 2,000 mirrors: the collector builds every series from the snapshot.
func BenchmarkMetrics2000Mirrors(b *testing.B) {
	s := bigRoom(2000)
	h := New(Options{Snapshot: func() *room.Snapshot { return s }}).Handler()
	b.ReportAllocs()
	size := 0
	for b.Loop() {
		size = render(b, h)
	}
	b.ReportMetric(float64(size), "bytes/scrape")
}

// BenchmarkPlainGauges2000Mirrors is the baseline: the same series kept
// in client_golang's own gauge vectors (set ahead, as an app that updates
// them on every change would), plus the same Go and process collectors.
func BenchmarkPlainGauges2000Mirrors(b *testing.B) {
	s := bigRoom(2000)
	reg := prometheus.NewRegistry()
	vec := func(name string, labels ...string) *prometheus.GaugeVec {
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: name}, labels)
		reg.MustRegister(g)
		return g
	}
	up, state := vec("warroom_mirror_up", "mirror", "region"), vec("warroom_mirror_state", "mirror", "region", "state")
	lag, drift := vec("warroom_mirror_lag_seconds", "mirror", "region"), vec("warroom_mirror_drift", "mirror", "region")
	latency := vec("warroom_probe_latency_seconds", "mirror", "region")
	for _, m := range append([]*room.MirrorView{s.Origin}, s.Mirrors...) {
		up.WithLabelValues(m.Name, m.Region).Set(flag(m.State == room.StateUp))
		for _, st := range mirrorStates {
			state.WithLabelValues(m.Name, m.Region, string(st)).Set(flag(m.State == st))
		}
		if m.LagKnown {
			lag.WithLabelValues(m.Name, m.Region).Set(m.Lag.Seconds())
		}
		drift.WithLabelValues(m.Name, m.Region).Set(flag(m.Drift))
		if m.Status != 0 {
			latency.WithLabelValues(m.Name, m.Region).Set(m.Latency.Seconds())
		}
	}
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	h := promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	b.ReportAllocs()
	size := 0
	for b.Loop() {
		size = render(b, h)
	}
	b.ReportMetric(float64(size), "bytes/scrape")
}
