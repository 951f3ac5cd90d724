package panes

import (
	"fmt"
	"math"
	"strings"

	"warroom/backends/room"
	"warroom/themes"
)

// The fleet table's columns: the playbook's figures first, so a narrow
// pane keeps them and drops net, load and the history.
const (
	fleetMarkW = 2
	fleetPctW  = 8  // "▲ 100.0%"
	fleetLatW  = 9  // "▲ 80.0ms"
	fleetNetW  = 13 // "1.21M/46.1M"
	fleetLoadW = 7
	fleetMinNm = 6
	fleetMaxNm = 20
)

// fleetView draws one row per host: this machine first, then those over a
// threshold or not answering, then the rest, each group in the room's
// order; what does not fit is counted on the last line.
func (p *Hosts) fleetView(ik *inks, s *room.Snapshot, w, h int) string {
	rows := fleetOrder(s.Fleet)
	lines := []string{fleetStatus(ik, s.Fleet, w)}
	lines = append(lines, nodeRows(ik, s, w)...)
	g := newFleetGeom(rows, w)
	lines = append(lines, ik.header.paint(fitLine(g.header(), w)))
	space := h - len(lines)
	shown := rows
	if len(rows) > space && space >= 1 {
		shown = rows[:space-1]
	}
	for _, hv := range shown {
		lines = append(lines, g.row(ik, s, hv))
	}
	if len(shown) < len(rows) {
		lines = append(lines, ik.muted.paint(cell(fmt.Sprintf("+%d more hosts", len(rows)-len(shown)), w)))
	}
	return block(lines, w, h)
}

func needsLook(hv *room.HostView) bool {
	o := hv.Over
	return o.CPU || o.Memory || o.Disk || o.DiskLatency || hv.Missed > 0
}

func fleetOrder(all []*room.HostView) []*room.HostView {
	out := make([]*room.HostView, 0, len(all))
	for _, hv := range all {
		if hv.Local {
			out = append(out, hv)
		}
	}
	for _, look := range []bool{true, false} {
		for _, hv := range all {
			if !hv.Local && needsLook(hv) == look {
				out = append(out, hv)
			}
		}
	}
	return out
}

func fleetStatus(ik *inks, all []*room.HostView, w int) string {
	over, stale := 0, 0
	for _, hv := range all {
		if o := hv.Over; o.CPU || o.Memory || o.Disk || o.DiskLatency {
			over++
		}
		if hv.Stale {
			stale++
		}
	}
	var b strings.Builder
	b.WriteString(ik.bold.paint(fmt.Sprintf("%d hosts", len(all))))
	if over > 0 {
		b.WriteString(ik.warn.paint(fmt.Sprintf("  %s %d over a threshold", themes.Symbol("warning"), over)))
	}
	if stale > 0 {
		b.WriteString(ik.warn.paint(fmt.Sprintf("  %s %d stale", themes.Symbol("unknown"), stale)))
	}
	if over == 0 && stale == 0 {
		b.WriteString(ik.muted.paint("  all within thresholds"))
	}
	return fitLine(b.String(), w)
}

// fleetGeom is which columns fit and how wide the name is.
type fleetGeom struct {
	w, nameW        int
	net, load, tail bool
}

func newFleetGeom(rows []*room.HostView, w int) fleetGeom {
	g := fleetGeom{w: w, nameW: fleetMinNm}
	for _, hv := range rows {
		g.nameW = max(g.nameW, cells(hostName(hv)))
	}
	g.nameW = min(g.nameW, fleetMaxNm)
	used := fleetMarkW + g.nameW + 3*fleetPctW + fleetLatW
	if used+fleetNetW <= w {
		g.net, used = true, used+fleetNetW
	}
	if used+fleetLoadW <= w {
		g.load, used = true, used+fleetLoadW
	}
	g.tail = used+10 <= w
	return g
}

func hostName(hv *room.HostView) string {
	name := clean(hv.Name)
	if hv.Local {
		name += " (here)"
	}
	return name
}

func (g fleetGeom) header() string {
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", fleetMarkW))
	b.WriteString(cell("host", g.nameW))
	b.WriteString(cellRight("CPU", fleetPctW) + cellRight("mem", fleetPctW) + cellRight("disk", fleetPctW))
	b.WriteString(cellRight("disk lat", fleetLatW))
	if g.net {
		b.WriteString(cellRight("net rx/tx", fleetNetW))
	}
	if g.load {
		b.WriteString(cellRight("load", fleetLoadW))
	}
	if g.tail {
		b.WriteString("  CPU history")
	}
	return b.String()
}

func (g fleetGeom) row(ik *inks, s *room.Snapshot, hv *room.HostView) string {
	l, o, lim := hv.Latest, hv.Over, hv.Limits
	base := ik.text
	if hv.Stale {
		base = ik.muted // the last answer's figures, old
	}
	var b strings.Builder
	switch {
	case hv.Stale || hv.Missed > 0:
		b.WriteString(ik.warn.paint(cell(themes.Symbol("unknown"), fleetMarkW)))
	case needsLook(hv):
		b.WriteString(ik.warn.paint(cell(themes.Symbol("warning"), fleetMarkW)))
	default:
		b.WriteString(cell("", fleetMarkW))
	}
	b.WriteString(base.paint(cell(hostName(hv), g.nameW)))
	b.WriteString(fleetFigure(ik, base, pctOrDash(l.CPUPercent), o.CPU, overLimit(l.CPUPercent, lim.CPU), fleetPctW))
	b.WriteString(fleetFigure(ik, base, pctOrDash(l.MemPercent), o.Memory, overLimit(l.MemPercent, lim.Memory), fleetPctW))
	b.WriteString(fleetFigure(ik, base, pctOrDash(l.DiskPercent), o.Disk, overLimit(l.DiskPercent, lim.Disk), fleetPctW))
	b.WriteString(fleetFigure(ik, base, ioLatency(l.DiskLatency), o.DiskLatency, overLimit(l.DiskLatency, lim.DiskLatency), fleetLatW))
	if hv.Missed > 0 && !g.tail {
		// Why it does not answer matters more than its old traffic.
		core := fleetMarkW + g.nameW + 3*fleetPctW + fleetLatW + 2
		if g.w > core {
			b.WriteString("  " + ik.warn.paint(cell(missedWhy(s, hv), g.w-core)))
		}
		return fitLine(b.String(), g.w)
	}
	if g.net {
		b.WriteString(base.paint(cellRight(shortRate(l.NetRxBps)+"/"+shortRate(l.NetTxBps), fleetNetW)))
	}
	if g.load {
		load := "—"
		if l.Load1 >= 0 {
			load = fmt.Sprintf("%.2f", l.Load1)
		}
		b.WriteString(base.paint(cellRight(load, fleetLoadW)))
	}
	if g.tail {
		b.WriteString("  ")
		b.WriteString(g.tailCell(ik, s, hv))
	}
	return fitLine(b.String(), g.w)
}

// tailCell is the CPU history, or why the host does not answer.
func (g fleetGeom) tailCell(ik *inks, s *room.Snapshot, hv *room.HostView) string {
	used := fleetMarkW + g.nameW + 3*fleetPctW + fleetLatW + 2
	if g.net {
		used += fleetNetW
	}
	if g.load {
		used += fleetLoadW
	}
	tw := g.w - used
	if hv.Missed == 0 {
		return ik.info.paint(spark(hv.CPU, min(tw, len(hv.CPU)), 0, 100))
	}
	return ik.warn.paint(cell(missedWhy(s, hv), tw))
}

// missedWhy says how long a host has not answered, and why.
func missedWhy(s *room.Snapshot, hv *room.HostView) string {
	why := fmt.Sprintf("no answer ×%d", hv.Missed)
	if hv.Stale {
		why = "stale"
		if !hv.Latest.At.IsZero() && !hv.Latest.NoAnswer {
			why += ", figures " + age(s.At, hv.Latest.At) + " old"
		}
	}
	if hv.Reason != "" {
		why += ": " + clean(hv.Reason)
	}
	return why
}

// fleetFigure is one figure in its cell: marked and coloured while its
// breach is sustained (an alert is up), coloured while merely over.
func fleetFigure(ik *inks, base ink, text string, sustained, over bool, w int) string {
	switch {
	case sustained:
		return ik.warn.paint(cellRight(themes.Symbol("warning")+" "+text, w))
	case over:
		return ik.warn.paint(cellRight(text, w))
	}
	return base.paint(cellRight(text, w))
}

func overLimit(v, limit float64) bool { return limit > 0 && v > limit }

func pctOrDash(v float64) string {
	if v < 0 {
		return "—"
	}
	return percent(v)
}

// ioLatency shows seconds per I/O: 0.4ms, 12.0ms, 1.20s; "—" unknown.
func ioLatency(sec float64) string {
	if sec < 0 || math.IsNaN(sec) {
		return "—"
	}
	ms := sec * 1000
	if ms < 1000 {
		return fmt.Sprintf("%.1fms", ms)
	}
	return fmt.Sprintf("%.2fs", ms/1000)
}

// shortRate is a rate in at most 5 cells: 512, 1.2K, 46M (bytes/s).
func shortRate(v float64) string {
	if v < 0 || math.IsNaN(v) {
		return "—"
	}
	units := []string{"", "K", "M", "G", "T"}
	i := 0
	for v >= 1000 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if i > 0 && v < 10 {
		return fmt.Sprintf("%.1f%s", v, units[i])
	}
	return fmt.Sprintf("%.0f%s", v, units[i])
}
