package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"warroom/backends/room"
)

// debugVars are the figures cmd/warroom-load reads from a running serve
// once a second, cheaply (a /metrics scrape of 10,000 mirrors is not).
type debugVars struct {
	room atomic.Pointer[room.Room]
	late [len(lateBounds) + 1]atomic.Int64 // probes that started ≤ each bound late; the last: later
}

var lateBounds = [...]time.Duration{time.Millisecond, 5 * time.Millisecond, 25 * time.Millisecond,
	100 * time.Millisecond, 250 * time.Millisecond, time.Second}

// startDebug serves Go's profiles and debugVars on WARROOM_PPROF
// (host:port) when it is set: for measuring the real binary, never on by
// default, as profiles show the process's inner workings. nil when unset.
func startDebug(stderr io.Writer) *debugVars {
	addr := os.Getenv("WARROOM_PPROF")
	if addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(stderr, "warroom: WARROOM_PPROF=%s: %v; no profiles served\n", addr, err)
		return nil
	}
	d := &debugVars{}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/engine", d.serve)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return d
}

// onStart is the scheduler's OnStart hook.
func (d *debugVars) onStart(_ string, due time.Time) {
	late, i := time.Since(due), 0
	for i < len(lateBounds) && late > lateBounds[i] {
		i++
	}
	d.late[i].Add(1)
}

// serve writes "name value" lines: the inbox, the host sample's age and
// the lateness counts (cumulative, like a Prometheus histogram).
func (d *debugVars) serve(w http.ResponseWriter, _ *http.Request) {
	if r := d.room.Load(); r != nil {
		fmt.Fprintf(w, "inbox_queued %d\n", r.InboxQueued())
		if s := r.Snapshot(); s != nil && s.Host != nil && !s.Host.Latest.At.IsZero() {
			fmt.Fprintf(w, "host_sample_age_seconds %.3f\n", time.Since(s.Host.Latest.At).Seconds())
		}
	}
	var n int64
	for i := range d.late {
		n += d.late[i].Load()
		le := "+Inf"
		if i < len(lateBounds) {
			le = strconv.FormatFloat(lateBounds[i].Seconds(), 'g', -1, 64)
		}
		fmt.Fprintf(w, "start_lateness_bucket{le=%q} %d\n", le, n)
	}
}
