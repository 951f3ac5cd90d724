package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/journal"
	"warroom/backends/mirrors"
	"warroom/backends/room"
)

// cmdStatus probes the origin and every mirror once and prints the fleet
// as the room knows it: roles come from the journal (a failover moved the
// active marker), read without its lock, so it runs beside a live room
// (cron, CI). The failover executor, when it can, says what the load
// balancer really serves.
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
	var rep statusReport
	records, from, jerr := knownRecords(s.cfg)
	rep.rolesFrom = from
	if jerr != nil {
		rep.journalErr = s.cfg.Mask(jerr.Error())
	}
	if rep.snap, err = probeOnce(ctx, s.cfg, records); err != nil {
		return err
	}
	rep.balancer = readBalancer(ctx, s.cfg, rep.snap)
	return printStatus(stdout, rep, *asJSON)
}

// statusReport is what status prints: the room's snapshot and what it
// could not know from it.
type statusReport struct {
	snap       *room.Snapshot
	rolesFrom  string        // where the roles came from; "" = the running room
	journalErr string        // the journal could not be read (the room's own failure is in snap)
	balancer   *balancerView // nil: no executor that can read back
}

func (r statusReport) critical() bool {
	return r.snap.Critical() || r.journalErr != "" || r.balancer.critical(r.snap)
}

// printStatus writes the report and returns errCritical when it pages.
func printStatus(w io.Writer, rep statusReport, asJSON bool) error {
	var err error
	if asJSON {
		err = writeStatusJSON(w, rep)
	} else {
		err = writeStatusTable(w, rep)
	}
	if err != nil {
		return err
	}
	if rep.critical() {
		return errCritical
	}
	return nil
}

// probeOnce runs one probe of each mirror through a journal-less room in
// which a single probe decides a state, and returns the resulting snapshot.
// records, replayed first, give it what the room knows (roles, incident).
func probeOnce(ctx context.Context, cfg *config.Config, records []journal.Record) (*room.Snapshot, error) {
	one := decisiveConfig(cfg)
	clock := clockwork.NewRealClock()
	r, err := room.New(room.Options{Config: one, Clock: clock, Replay: records})
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

func writeStatusTable(w io.Writer, rep statusReport) error {
	s := rep.snap
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
	var notes []string
	for _, a := range s.Alerts {
		notes = append(notes, fmt.Sprintf("%-8s %s", a.Severity, a.Text))
	}
	notes = append(notes, rep.journalLines()...)
	if rep.balancer != nil {
		notes = append(notes, rep.balancer.lines(s)...)
	}
	if len(notes) > 0 {
		fmt.Fprintf(w, "\n%s\n", strings.Join(notes, "\n"))
	}
	return nil
}

// journalLines say why the room's record cannot be trusted, and where the
// roles shown came from.
func (r statusReport) journalLines() []string {
	var out []string
	if r.snap.JournalErr != "" {
		out = append(out, "critical the room's journal failed, so it is no longer recording: "+r.snap.JournalErr)
	}
	out = append(out, clusterLines(r.snap)...)
	if r.journalErr != "" {
		out = append(out, "critical "+r.journalErr+"; the roles shown are the config's, and the active mirror may differ")
	}
	if r.rolesFrom != "" {
		out = append(out, "info     roles from the "+r.rolesFrom)
	}
	return out
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
	// RolesFrom says where the roles came from (journal or config); empty
	// from a running room. JournalError is why the record cannot be trusted.
	RolesFrom    string        `json:"roles_from,omitempty"`
	JournalError string        `json:"journal_error,omitempty"`
	Cluster      *clusterJSON  `json:"cluster,omitempty"`
	LoadBalancer *balancerView `json:"load_balancer,omitempty"`
	Hosts        []hostJSON    `json:"hosts,omitempty"` // status_hosts.go
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

func writeStatusJSON(w io.Writer, rep statusReport) error {
	s := rep.snap
	out := statusJSON{Site: s.Site, At: s.At, Critical: rep.critical(), Origin: toJSON(s.Origin), Alerts: s.Alerts,
		RolesFrom: rep.rolesFrom, JournalError: rep.journalErr, LoadBalancer: rep.balancer}
	if out.JournalError == "" {
		out.JournalError = s.JournalErr
	}
	out.Cluster = toClusterJSON(s)
	out.Hosts = toHostsJSON(s)
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
