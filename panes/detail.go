package panes

import (
	"fmt"
	"math"
	"strings"
	"time"

	"warroom/backends/room"
	"warroom/backends/textsafe"
	"warroom/themes"
)

// detailEvents is how many of a mirror's recent events its detail lists.
const detailEvents = 10

// detailLabel is the width of the detail's label column.
const detailLabel = 10

// Detail is everything about mirror m in s, as lines of w cells for the
// mirror detail view: where it is, its state, each figure's history with
// its forecast, its manifest against the origin's, its certificate, its
// host, its users' traffic and its recent events. lt colours the lag.
func (p *Mirrors) Detail(th *themes.Theme, s *room.Snapshot, m *room.MirrorView, lt LagThresholds, w int) []string {
	if w <= detailLabel || s == nil || m == nil {
		return nil
	}
	ik := p.inks.get(th)
	d := detail{ik: ik, w: w, spark: min(max(w/4, 8), 30)}
	d.line("URL", textsafe.URL(m.URL), ik.text)
	d.line("Role", fmt.Sprintf("%s · region %s · priority %d", clean(m.Role), clean(m.Region), m.Priority), ik.text)
	lvl := string(m.State)
	if m.State == "" {
		lvl = string(room.StateUnknown)
	}
	state := themes.Symbol(lvl) + " " + lvl
	if !m.Since.IsZero() && m.State != room.StateUnknown {
		state += " for " + coarse(s.At.Sub(m.Since))
	}
	if why, _ := reasonCell(m, ik, ik.text); why != "" {
		state += " · " + why
	}
	d.line("State", state, ik.level(lvl))
	for _, extra := range []string{m.Flapping, m.ErrorsHigh} {
		if extra != "" {
			d.line("", clean(extra), ik.warn)
		}
	}
	if len(m.Votes) > 0 {
		votes := make([]string, 0, len(m.Votes))
		for _, v := range m.Votes {
			votes = append(votes, fmt.Sprintf("%s %s %s", clean(v.Region), themes.Symbol(string(v.State)), v.State))
		}
		d.line("Seen from", strings.Join(votes, " · "), ik.text)
	}
	d.blank()
	d.latency(m)
	d.lag(s, m, lt)
	d.serials(m)
	d.manifest(m)
	tls, tlsInk := p.tlsDetail(m, s.At, ik)
	d.line("TLS", tls, tlsInk)
	d.host(s, m)
	d.traffic(m)
	d.blank()
	d.events(s, m)
	return d.out
}

// tlsDetail is when its certificate expires, coloured as in the table.
func (p *Mirrors) tlsDetail(m *room.MirrorView, now time.Time, ik *inks) (string, ink) {
	if m.TLSExpiry.IsZero() {
		return "plain HTTP", ik.muted
	}
	_, k := p.tlsCell(m, now, ik)
	date := m.TLSExpiry.UTC().Format("2006-01-02 15:04 UTC")
	if left := m.TLSExpiry.Sub(now); left > 0 {
		return fmt.Sprintf("certificate expires in %s · %s", coarse(left), date), k
	}
	return fmt.Sprintf("%s certificate expired %s ago · %s", themes.Symbol("critical"), coarse(now.Sub(m.TLSExpiry)), date), k
}

// detail collects the lines of one mirror's detail.
type detail struct {
	ik    *inks
	w     int
	spark int // sparkline width
	out   []string
}

func (d *detail) blank() { d.out = append(d.out, "") }

// line is "Label     text", the text in k, cut to the width.
func (d *detail) line(label, text string, k ink) {
	d.out = append(d.out, d.ik.muted.paint(cell(label, detailLabel))+k.paint(cell(text, d.w-detailLabel)))
}

// history is "Label     ▁▂▅▇ text": a sparkline, then what it says now.
func (d *detail) history(label string, values []float64, text string, k ink) {
	spark := Sparkline(values, d.spark)
	rest := d.w - detailLabel - d.spark - 1
	if rest < 8 { // too narrow for both: the words matter more
		d.line(label, text, k)
		return
	}
	d.out = append(d.out, d.ik.muted.paint(cell(label, detailLabel))+d.ik.info.paint(spark)+" "+k.paint(cell(text, rest)))
}

func (d *detail) latency(m *room.MirrorView) {
	var parts []string
	if m.Status != 0 {
		parts = append(parts, fmt.Sprintf("HTTP %d", m.Status))
	}
	if m.Latency > 0 {
		parts = append(parts, "last "+latency(m.Latency))
	}
	if m.Baseline > 0 {
		parts = append(parts, "baseline "+latency(m.Baseline))
	}
	if !m.LastProbe.IsZero() {
		parts = append(parts, fmt.Sprintf("errors %.1f%%", m.ErrorRate*100))
	}
	text, k := strings.Join(parts, " · "), d.ik.text
	if text == "" {
		text, k = "not probed yet", d.ik.muted
	}
	d.history("Latency", m.LatencyHistory, text, k)
}

func (d *detail) lag(s *room.Snapshot, m *room.MirrorView, lt LagThresholds) {
	if !m.LagKnown {
		why := "unknown"
		if m.SyncErr != "" {
			why += ": " + clean(m.SyncErr)
		}
		d.history("Lag", m.LagHistory, why, d.ik.warn)
		return
	}
	k := d.ik.ok
	switch {
	case m.Lag >= lt.Crit:
		k = d.ik.crit
	case m.Lag >= lt.Warn:
		k = d.ik.warn
	}
	text := HumanDuration(m.Lag) + " behind the origin"
	switch c := m.CatchUp; c.Trend {
	case room.TrendShrinking:
		text += fmt.Sprintf(" · %s caught up in ~%s (gaining %s a second)", themes.Symbol("shrinking"),
			coarse(c.Remaining(s.At)), rateText(-c.Rate))
	case room.TrendGrowing:
		text += fmt.Sprintf(" · %s growing (%s a second)", themes.Symbol("growing"), rateText(c.Rate))
	case room.TrendSteady:
		text += " · steady"
	}
	d.history("Lag", m.LagHistory, text, k)
}

// rateText is a lag's change per second: "2.5s", "300ms".
func rateText(r float64) string {
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return "—"
	}
	return latency(time.Duration(math.Abs(r) * float64(time.Second)))
}

func (d *detail) serials(m *room.MirrorView) {
	var parts []string
	k := d.ik.text
	switch {
	case m.SerialKnown && m.SerialsBehind > 0:
		parts = append(parts, fmt.Sprintf("+%d behind", m.SerialsBehind))
		k = d.ik.warn
	case m.SerialKnown:
		parts = append(parts, "at the origin's serial")
	}
	if m.Serial != 0 {
		parts = append(parts, fmt.Sprintf("serial %d", m.Serial))
	}
	if m.Version != "" {
		parts = append(parts, "version "+clean(m.Version))
	}
	if m.Syncing {
		parts = append(parts, themes.Symbol("syncing")+" syncing now")
	}
	if len(parts) == 0 {
		parts, k = []string{"no serial"}, d.ik.muted
	}
	d.history("Serials", m.SerialHistory, strings.Join(parts, " · "), k)
}

// hashShown is how much of a SHA-256 the detail shows: enough to tell.
const hashShown = 12

func short(hash string) string {
	hash = clean(hash)
	if len(hash) > hashShown {
		return hash[:hashShown]
	}
	return hash
}

func (d *detail) manifest(m *room.MirrorView) {
	switch {
	case m.Manifest == "":
		d.line("Manifest", "not read (no manifest configured, or not fetched yet)", d.ik.muted)
	case m.Drift:
		d.line("Manifest", fmt.Sprintf("%s %s against the origin's %s: content differs", themes.Symbol("drift"),
			short(m.Manifest), orUnknown(short(m.OriginManifest))), d.ik.crit)
	case m.OriginManifest == "":
		d.line("Manifest", short(m.Manifest)+" · the origin's of this cycle not known", d.ik.text)
	case m.OriginManifest == m.Manifest:
		d.line("Manifest", short(m.Manifest)+" = origin's", d.ik.ok)
	case m.DriftPending:
		d.line("Manifest", fmt.Sprintf("%s ≠ origin's %s: waiting for the origin's next reading", short(m.Manifest),
			short(m.OriginManifest)), d.ik.warn)
	default:
		d.line("Manifest", fmt.Sprintf("%s · origin's %s", short(m.Manifest), short(m.OriginManifest)), d.ik.text)
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func (d *detail) traffic(m *room.MirrorView) {
	t := m.Traffic
	if t == nil {
		d.line("Traffic", "no traffic figures (no haproxy executor counts its users)", d.ik.muted)
		return
	}
	if t.Err != "" {
		d.line("Traffic", "unknown: "+clean(t.Err), d.ik.warn)
		return
	}
	parts := []string{fmt.Sprintf("%.1f req/s", t.ReqRate)}
	k := d.ik.text
	if t.Share5xx >= 0 {
		parts = append(parts, fmt.Sprintf("5xx %.1f%% of %d", t.Share5xx*100, t.Answers))
	}
	if t.RespTime >= 0 {
		rt := "response " + latency(t.RespTime)
		if t.Baseline > 0 {
			rt += " (baseline " + latency(t.Baseline) + ")"
		}
		parts = append(parts, rt)
	}
	if t.Errors {
		parts, k = append(parts, themes.Symbol("warning")+" 5xx over threshold"), d.ik.warn
	}
	if t.Slow {
		parts, k = append(parts, themes.Symbol("warning")+" slow"), d.ik.warn
	}
	d.line("Traffic", strings.Join(parts, " · "), k)
}

// events lists the mirror's last events, newest first.
func (d *detail) events(s *room.Snapshot, m *room.MirrorView) {
	var mine []room.Event
	for i := len(s.Timeline) - 1; i >= 0 && len(mine) < detailEvents; i-- {
		if s.Timeline[i].Subject == m.Name {
			mine = append(mine, s.Timeline[i])
		}
	}
	d.out = append(d.out, d.ik.header.paint(cell(fmt.Sprintf("Recent events (last %d)", detailEvents), d.w)))
	if len(mine) == 0 {
		d.out = append(d.out, d.ik.muted.paint(cell("none in the room's recent timeline", d.w)))
		return
	}
	cols := timelineColumns()
	fit(cols, "SUBJECT", cells(clean(m.Name)))
	layout(cols, d.w)
	var rb rowBuilder
	for _, e := range mine {
		d.out = append(d.out, eventRow(&rb, d.ik, cols, e))
	}
}
