package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"warroom/backends/room"
	"warroom/panes"
	"warroom/themes"
)

// candidatesContent is the failover dialog's first step: the failing
// mirror, then every mirror the traffic could go to, best first, each with
// its state, lag (the RPO), serial, latency, error rate, last error and
// warnings. The list scrolls to keep the chosen one whole.
func (d *dialog) candidatesContent(m *Model, iw, ih int) []string {
	th, s := m.th, m.snap
	var top []string
	if from := mirrorNamed(s, d.from); from != nil {
		st := string(from.State)
		text := fmt.Sprintf("%s serves traffic now: %s %s", from.Name, themes.Symbol(st), st)
		if from.Reason != "" && from.State != room.StateUp {
			text += " · " + from.Reason
		}
		top = append(top, wrapped(th.ForLevel(st), cleanText(text), iw)...)
	}
	if d.gone != "" {
		top = append(top, wrapped(th.Crit, themes.Symbol("critical")+" "+d.gone, iw)...)
	}
	if _, any := room.Best(d.cands); !any && len(d.cands) > 0 {
		top = append(top, wrapped(th.Crit, themes.Symbol("critical")+
			" no mirror is fit to take the traffic (each is drifted, down, flapping or erring): choosing one anyway is on you", iw)...)
	}
	top = append(top, th.Muted.Render(fit("move it to · best first: fit, healthy, least lag (the data a switch loses)", iw)))

	wide := iw >= 96
	nameW := 6
	for _, c := range d.cands {
		nameW = max(nameW, lipgloss.Width(cleanText(c.Mirror.Name)))
	}
	nameW = min(nameW, 20)
	head := fmt.Sprintf("  %-10s %-*s %9s %-10s %7s %6s", "STATE", nameW, "MIRROR", "LAG (RPO)", "SERIAL", "LATENCY", "ERR")
	if wide {
		head += "  LAST ERROR"
	}
	top = append(top, th.Header.Render(fit(head, iw)))

	blocks := make([][]string, len(d.cands))
	for i, c := range d.cands {
		blocks[i] = candidateBlock(m, c, i == d.cursor, nameW, wide, iw)
	}
	bottom := []string{"", th.Muted.Render(fit(fmt.Sprintf("%s/%s choose · %s previews · nothing runs yet · %s cancels",
		firstHelpKey(m.km.Up), firstHelpKey(m.km.Down), m.km.Confirm.Help().Key, m.km.Back.Help().Key), iw))}
	room := max(1, ih-len(top)-len(bottom))
	return append(append(top, windowBlocks(th, blocks, d.cursor, &d.first, room)...), bottom...)
}

// candidateBlock is one candidate: its row, its last error when the row
// has no room for it, and its warnings.
func candidateBlock(m *Model, c room.Candidate, sel bool, nameW int, wide bool, iw int) []string {
	th, mv := m.th, c.Mirror
	st := string(mv.State)
	if st == "" {
		st = "unknown"
	}
	lag := "—"
	if c.RPOKnown {
		lag = panes.HumanDuration(c.RPO)
	}
	serial := "—"
	if mv.SerialKnown {
		serial = fmt.Sprint(mv.Serial)
	}
	lat, errRate := "—", "—"
	if mv.Status != 0 {
		lat = fmt.Sprintf("%dms", mv.Latency.Milliseconds())
	}
	if !mv.LastProbe.IsZero() || mv.Status != 0 {
		errRate = fmt.Sprintf("%.1f%%", mv.ErrorRate*100)
	}
	lastErr := mv.Reason
	if mv.State == room.StateUp || mv.State == room.StateUnknown {
		lastErr = ""
	}
	if lastErr == "" {
		lastErr = mv.SyncErr
	}
	mark := "  "
	if sel {
		mark = "> "
	}
	name := cleanText(mv.Name)
	if lipgloss.Width(name) > nameW {
		name = truncate(name, nameW)
	}
	name += strings.Repeat(" ", max(0, nameW-lipgloss.Width(name)))
	state := fmt.Sprintf("%-10s", themes.Symbol(st)+" "+st)
	rest := fmt.Sprintf(" %s %9s %-10s %7s %6s", name, lag, serial, lat, errRate)
	if wide {
		le := cleanText(lastErr)
		if le == "" {
			le = "—"
		}
		rest += "  " + le
	}
	var row string
	if sel {
		row = th.Selected.Render(fit(mark+state+rest, iw))
	} else {
		row = fit(mark+th.ForLevel(st).Render(state)+th.Text.Render(rest), iw)
	}
	out := []string{row}
	if !wide && lastErr != "" {
		out = append(out, wrapped(th.Muted, "    last error: "+cleanText(lastErr), iw)...)
	}
	for i, w := range c.Warnings {
		if i < len(c.Unfit) { // "not recommended: …" comes first
			out = append(out, wrapped(th.Crit, "    "+themes.Symbol("critical")+" "+w, iw)...)
			continue
		}
		out = append(out, wrapped(th.Warn, "    "+themes.Symbol("warning")+" "+w, iw)...)
	}
	return out
}

// windowBlocks shows whole blocks in h lines, starting at *first and moved
// just enough to keep block cur visible. When some do not fit, the last
// line says how many are above and below.
func windowBlocks(th *themes.Theme, blocks [][]string, cur int, first *int, h int) []string {
	if len(blocks) == 0 {
		return nil
	}
	total := 0
	for _, b := range blocks {
		total += len(b)
	}
	room := h
	if total > h && h > 1 {
		room = h - 1
	}
	*first = max(0, min(*first, cur))
	height := func(from, to int) int {
		n := 0
		for i := from; i <= to; i++ {
			n += len(blocks[i])
		}
		return n
	}
	for *first < cur && height(*first, cur) > room {
		*first++
	}
	var out []string
	last := *first - 1
	for i := *first; i < len(blocks) && len(out) < room; i++ {
		for _, l := range blocks[i] {
			if len(out) < room {
				out = append(out, l)
			}
		}
		last = i
	}
	if room < h {
		below := len(blocks) - 1 - last
		note := fmt.Sprintf("%d above · %d below · %s/%s scroll", *first, below, "↑", "↓")
		if *first == 0 {
			note = fmt.Sprintf("%d more below · ↓ scrolls", below)
		} else if below == 0 {
			note = fmt.Sprintf("%d more above · ↑ scrolls", *first)
		}
		out = append(out, th.Accent.Render("    "+note))
	}
	return out
}
