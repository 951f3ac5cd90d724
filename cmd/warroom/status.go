package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/mirrors"
	"warroom/backends/room"
)

// cmdStatus probes the origin and every mirror once and prints the fleet.
// It takes no journal lock, so it runs beside a live room (cron, CI).
func cmdStatus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f roomFlags
	fs := newFlags("status", stderr)
	fs.StringVar(&f.config, "config", "", "config file")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := load(f)
	if err != nil {
		return err
	}
	snap, err := probeOnce(ctx, s.cfg)
	if err != nil {
		return err
	}
	if *asJSON {
		err = writeStatusJSON(stdout, snap)
	} else {
		err = writeStatusTable(stdout, snap)
	}
	if err != nil {
		return err
	}
	if snap.Critical() {
		return errCritical
	}
	return nil
}

// probeOnce runs one probe of each mirror through a journal-less room in
// which a single probe decides a state, and returns the resulting snapshot.
func probeOnce(ctx context.Context, cfg *config.Config) (*room.Snapshot, error) {
	one := decisiveConfig(cfg)
	clock := clockwork.NewRealClock()
	r, err := room.New(room.Options{Config: one, Clock: clock})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go r.Run(ctx)

	prober := mirrors.NewProber(mirrors.ProberOptions{Clock: clock})
	// The origin first: every mirror's lag is measured against it.
	r.ObserveProbe(prober.Probe(ctx, one.Origin))
	var wg sync.WaitGroup
	for _, m := range one.Mirrors {
		wg.Add(1)
		go func() { defer wg.Done(); r.ObserveProbe(prober.Probe(ctx, m)) }()
	}
	wg.Wait()
	if err := r.Settle(ctx); err != nil {
		return nil, err
	}
	return r.Snapshot(), nil
}

// decisive makes one probe enough to call a mirror up or down.
func decisive(m config.Mirror) config.Mirror {
	m.Health.FailAfter, m.Health.RecoverAfter = 1, 1
	return m
}

func writeStatusTable(w io.Writer, s *room.Snapshot) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "MIRROR\tREGION\tROLE\tSTATE\tHTTP\tLATENCY\tLAG\tSERIAL\tNOTE\n")
	rows := append([]*room.MirrorView{s.Origin}, s.Mirrors...)
	for _, m := range rows {
		note := m.Reason
		if note == "" {
			note = m.SyncErr
		}
		if m.Drift {
			note = "drift: content differs from origin at the same serial"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.Name, m.Region, m.Role, m.State,
			orDash(m.Status != 0, fmt.Sprint(m.Status)), orDash(m.Status != 0, m.Latency.Round(time.Millisecond).String()),
			orDash(m.LagKnown && m.Role != "origin", m.Lag.Round(time.Second).String()),
			orDash(m.Serial != 0, fmt.Sprint(m.Serial)), note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(s.Alerts) > 0 {
		fmt.Fprintln(w)
		for _, a := range s.Alerts {
			fmt.Fprintf(w, "%-8s %s\n", a.Severity, a.Text)
		}
	}
	return nil
}

func orDash(ok bool, s string) string {
	if !ok {
		return "-"
	}
	return s
}

// statusJSON is the stable, script-friendly shape of `status --json`.
type statusJSON struct {
	Site     string       `json:"site"`
	At       time.Time    `json:"at"`
	Critical bool         `json:"critical"`
	Origin   mirrorJSON   `json:"origin"`
	Mirrors  []mirrorJSON `json:"mirrors"`
	Alerts   []room.Alert `json:"alerts"`
}

type mirrorJSON struct {
	Name          string     `json:"name"`
	Region        string     `json:"region,omitempty"`
	Role          string     `json:"role"`
	State         string     `json:"state"`
	Reason        string     `json:"reason,omitempty"`
	Status        int        `json:"http_status,omitempty"`
	LatencyMS     float64    `json:"latency_ms"`
	LagSeconds    *int64     `json:"lag_seconds,omitempty"`
	SerialsBehind *int64     `json:"serials_behind,omitempty"`
	Serial        int64      `json:"serial,omitempty"`
	Drift         bool       `json:"drift"`
	Syncing       bool       `json:"syncing"`
	SyncError     string     `json:"sync_error,omitempty"`
	TLSExpiry     *time.Time `json:"tls_expiry,omitempty"`
}

func toJSON(m *room.MirrorView) mirrorJSON {
	j := mirrorJSON{
		Name: m.Name, Region: m.Region, Role: m.Role, State: string(m.State), Reason: m.Reason,
		Status: m.Status, LatencyMS: float64(m.Latency.Microseconds()) / 1000,
		Serial: m.Serial, Drift: m.Drift, Syncing: m.Syncing, SyncError: m.SyncErr,
	}
	if m.LagKnown && m.Role != "origin" {
		lag := int64(m.Lag.Seconds())
		j.LagSeconds = &lag
	}
	if m.SerialKnown && m.Role != "origin" {
		n := m.SerialsBehind
		j.SerialsBehind = &n
	}
	if !m.TLSExpiry.IsZero() {
		t := m.TLSExpiry
		j.TLSExpiry = &t
	}
	return j
}

func writeStatusJSON(w io.Writer, s *room.Snapshot) error {
	out := statusJSON{Site: s.Site, At: s.At, Critical: s.Critical(), Origin: toJSON(s.Origin), Alerts: s.Alerts}
	if out.Alerts == nil {
		out.Alerts = []room.Alert{}
	}
	for _, m := range s.Mirrors {
		out.Mirrors = append(out.Mirrors, toJSON(m))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
