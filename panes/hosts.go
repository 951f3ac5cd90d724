package panes

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/themes"
)

// Hosts shows the host's CPU, memory, disk, load, network and disk I/O,
// each with its latest value and a sparkline of its history.
type Hosts struct {
	// Warn and Crit are the percentages (CPU, memory, disk) shown as a
	// warning or critical.
	Warn, Crit float64

	inks inkCache
}

// NewHosts returns the hosts pane warning at 80 % and critical at 95 %.
func NewHosts() *Hosts { return &Hosts{Warn: 80, Crit: 95} }

func (p *Hosts) ID() string    { return "hosts" }
func (p *Hosts) Title() string { return "Hosts" }

// Sync does nothing: the pane draws all it has from the snapshot.
func (p *Hosts) Sync(*room.Snapshot, int, int) {}

func (p *Hosts) Capturing() bool                       { return false }
func (p *Hosts) Version() uint64                       { return 0 }
func (p *Hosts) Keys(km *keymaps.Keymap) []key.Binding { return nil }

// Update does nothing: the pane has no view state.
func (p *Hosts) Update(tea.KeyMsg, *keymaps.Keymap, *room.Snapshot) Intent { return Intent{} }

// View draws a status line, then one row per metric while they fit.
func (p *Hosts) View(s *room.Snapshot, th *themes.Theme, w, h int, focused bool) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	w, h = Bound(w, h)
	ik := p.inks.get(th)
	if s != nil && len(s.Fleet) > 1 {
		return p.fleetView(ik, s, w, h)
	}
	if s == nil || s.Host == nil {
		return message(ik, "waiting for first host sample…", w, h)
	}
	hv := s.Host
	l := hv.Latest
	lines := append([]string{p.statusLine(ik, s, w)}, nodeRows(ik, s, w)...)
	if h == 1 {
		lines = nil
	}
	extraW := 0
	if w >= 60 {
		extraW = 22
	}
	// Sparklines are as wide as the longest history, so they end in one
	// column and the memory figures follow them instead of the far edge.
	histW := 0
	for _, h := range [][]float64{hv.CPU, hv.Memory, hv.Disk, hv.NetRx, hv.NetTx, hv.DiskRead, hv.DiskWrite, hv.DiskLatency} {
		histW = max(histW, len(h))
	}
	disk := "Disk"
	if l.DiskPath != "" {
		disk += " " + clean(l.DiskPath)
	}
	memExtra := ""
	if l.MemTotal > 0 {
		memExtra = bytesHuman(float64(l.MemUsed)) + " of " + bytesHuman(float64(l.MemTotal))
	}
	g := rowGeom{w: w, extraW: extraW, histW: histW}
	rows := []string{
		p.pctRow(ik, "CPU", l.CPUPercent, hv.CPU, "", g),
		p.pctRow(ik, "Memory", l.MemPercent, hv.Memory, memExtra, g),
		p.pctRow(ik, disk, l.DiskPercent, hv.Disk, "", g),
		rateRow(ik, "Net rx", l.NetRxBps, hv.NetRx, g),
		rateRow(ik, "Net tx", l.NetTxBps, hv.NetTx, g),
		rateRow(ik, "Disk rd", l.DiskReadBps, hv.DiskRead, g),
		rateRow(ik, "Disk wr", l.DiskWriteBps, hv.DiskWrite, g),
	}
	if len(hv.DiskLatency) > 0 { // the room keeps it; a view built elsewhere may not
		rows = append(rows, latencyRow(ik, l.DiskLatency, hv.DiskLatency, hv.Over.DiskLatency, hv.Limits.DiskLatency, g))
	}
	lines = append(lines, rows...)
	if l.Err != "" {
		errLine := ik.warn.paint(cell(themes.Symbol("warning")+" sampling: "+clean(l.Err), w))
		// Keep the error visible even when the rows don't all fit.
		if len(lines) >= h && h >= 2 {
			lines = append(lines[:h-1], errLine)
		} else {
			lines = append(lines, errLine)
		}
	}
	return block(lines, w, h)
}

func (p *Hosts) statusLine(ik *inks, s *room.Snapshot, w int) string {
	l := s.Host.Latest
	name := clean(l.Host)
	if name == "" {
		name = "local"
	}
	var b strings.Builder
	b.WriteString(ik.bold.paint(name))
	b.WriteString(ik.text.paint(fmt.Sprintf("  load %.2f %.2f %.2f", l.Load1, l.Load5, l.Load15)))
	if !l.At.IsZero() {
		b.WriteString(ik.muted.paint("  sampled " + age(s.At, l.At) + " ago"))
	}
	return fitLine(b.String(), w)
}

// rowGeom is the shared shape of the metric rows.
type rowGeom struct{ w, extraW, histW int }

// metricRow lays out label, value, sparkline and an optional extra text.
func metricRow(ik *inks, label, value string, vk ink, sp func(int) string, extra string, g rowGeom) string {
	const labelW, valueW = 9, 12
	sw := g.w - labelW - valueW - 2
	if extra != "" {
		sw -= g.extraW
	}
	sw = min(sw, g.histW)
	var b strings.Builder
	b.WriteString(ik.text.paint(cell(label, labelW)))
	b.WriteString(vk.paint(cellRight(value, valueW)))
	if sw > 0 {
		b.WriteString("  ")
		b.WriteString(ik.info.paint(sp(sw)))
	}
	if extra != "" && g.extraW > 0 {
		b.WriteString(" ")
		b.WriteString(ik.muted.paint(cell(extra, g.extraW-1)))
	}
	return b.String()
}

func (p *Hosts) pctRow(ik *inks, label string, v float64, hist []float64, extra string, g rowGeom) string {
	lvl := "ok"
	switch {
	case math.IsNaN(v):
		lvl = "unknown"
	case v >= p.Crit:
		lvl = "critical"
	case v >= p.Warn:
		lvl = "warning"
	}
	value := percent(v)
	if lvl == "critical" || lvl == "warning" {
		value = themes.Symbol(lvl) + " " + value
	}
	vk := ik.level(lvl)
	if lvl == "ok" {
		vk = ik.text
	}
	return metricRow(ik, label, value, vk, func(n int) string { return spark(hist, n, 0, 100) }, extra, g)
}

func rateRow(ik *inks, label string, v float64, hist []float64, g rowGeom) string {
	return metricRow(ik, label, bytesRate(v), ik.text, func(n int) string {
		if len(hist) > n {
			hist = hist[len(hist)-n:]
		}
		vals := make([]float64, len(hist))
		for i, x := range hist {
			if x < 0 {
				x = math.NaN() // no sample
			}
			vals[i] = x
		}
		return Sparkline(vals, n)
	}, "", g)
}

// latencyRow is the disk I/O latency, marked while over its limit.
func latencyRow(ik *inks, v float64, hist []float64, sustained bool, limit float64, g rowGeom) string {
	value, vk := ioLatency(v), ik.text
	if sustained {
		value = themes.Symbol("warning") + " " + value
	}
	if sustained || overLimit(v, limit) {
		vk = ik.warn
	}
	return metricRow(ik, "Disk lat", value, vk, func(n int) string { return Sparkline(tail(hist, n), n) }, "", g)
}

// tail is the last n values.
func tail(vs []float64, n int) []float64 {
	if len(vs) > n {
		return vs[len(vs)-n:]
	}
	return vs
}

// nodeRows are one line per node of a cluster, its machine's latest
// figures, a stale one muted with its age (none outside a cluster).
func nodeRows(ik *inks, s *room.Snapshot, w int) []string {
	var out []string
	for _, nh := range s.Hosts {
		l := nh.Latest
		name := clean(nh.Node)
		if nh.Self {
			name += " (here)"
		}
		text := fmt.Sprintf("%-12s %-16s CPU %s  mem %s  disk %s  load %.2f", name, clean(l.Host),
			percent(l.CPUPercent), percent(l.MemPercent), percent(l.DiskPercent), l.Load1)
		k := ik.text
		if !nh.Stale.IsZero() {
			text += "  stale " + age(s.At, nh.Stale)
			k = ik.muted
		}
		out = append(out, k.paint(cell(text, w)))
	}
	return out
}
