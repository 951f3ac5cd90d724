package main

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"warroom/backends/config"
	"warroom/backends/metrics"
	"warroom/backends/room"
)

// roomMetrics is the /metrics registry of a room people keep open
// (warroom, warroom serve) when metrics.listen is set; nil otherwise. It
// reads the room through at, which startLive fills once the room exists.
func roomMetrics(cfg *config.Config, o liveOptions, at *atomic.Pointer[room.Room]) *metrics.Metrics {
	if !cfg.Metrics.Enabled() || !o.control || o.lookOnly {
		return nil
	}
	kinds := make(map[string]string, len(cfg.Notify.Channels))
	for _, c := range cfg.Notify.Channels {
		kinds[c.Name] = c.Kind
	}
	latest := func() *room.Snapshot {
		if r := at.Load(); r != nil {
			return r.Snapshot()
		}
		return nil
	}
	inbox := func() int {
		if r := at.Load(); r != nil {
			return r.InboxQueued()
		}
		return 0
	}
	return metrics.New(metrics.Options{Snapshot: latest, Channels: kinds, Inbox: inbox})
}

// hookMetrics feeds m from the room's journaled events; nothing when m is nil.
func hookMetrics(m *metrics.Metrics, opts *room.Options) {
	if m != nil {
		opts.OnRecorded = m.Recorded
	}
}

// listenMetrics binds metrics.listen. A port already taken is said on
// stderr and the room runs on without /metrics: the war room matters more
// than its figures, and Prometheus shows the target down (up == 0).
func listenMetrics(cfg *config.Config, m *metrics.Metrics, stderr io.Writer) *metrics.Server {
	if m == nil {
		return nil
	}
	srv, err := metrics.Listen(cfg.Metrics.Listen, m.Handler())
	if err != nil {
		fmt.Fprintf(stderr, "warroom: %v; /metrics is not served (the room runs on)\n", err)
		return nil
	}
	return srv
}

// serveMetrics answers scrapes until ctx ends.
func serveMetrics(ctx context.Context, srv *metrics.Server, stderr io.Writer) {
	if err := srv.Serve(ctx); err != nil {
		fmt.Fprintf(stderr, "warroom: /metrics stopped: %v\n", err)
	}
}

// onProbeStart is the scheduler's OnStart: each probe's lateness to
// /metrics and the debug figures, whichever are on; nil when neither.
func onProbeStart(m *metrics.Metrics, d *debugVars) func(string, time.Time) {
	switch {
	case m != nil && d != nil:
		return func(name string, due time.Time) { m.ObserveProbeStart(name, due); d.onStart(name, due) }
	case m != nil:
		return m.ObserveProbeStart
	case d != nil:
		return d.onStart
	}
	return nil
}
