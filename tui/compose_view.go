package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"warroom/panes"
	"warroom/themes"
)

// Composer box geometry: wider than the action dialogs, so fields and the
// preview sit side by side on a wide screen.
const (
	composeMaxWidth = 150
	composeTwoCols  = 100 // inner width from which the preview gets its own column
	composeLabelW   = 17  // "Expected recovery"
)

// composeGeom is the composer box's size in a body of w×h.
type composeGeom struct {
	bw, iw, ih int
	wide       bool
	lw, rw     int // side by side: the fields' and the preview's columns
}

func composeGeometry(w, h int) composeGeom {
	g := composeGeom{bw: min(w-2, composeMaxWidth)}
	bh := h
	if h > 14 {
		bh = h - 2 // a line of the room above and below
	}
	g.iw, g.ih = g.bw-4, bh-2
	g.wide = g.iw >= composeTwoCols
	g.lw, g.rw = g.iw, g.iw
	if g.wide {
		g.lw = g.iw * 9 / 20
		g.rw = g.iw - g.lw - 3
	}
	return g
}

// view draws the composer over a body of w×h.
func (c *composer) view(m *Model, under string, w, h int) string {
	return overlay(under, c.box(m, w, h), w, h)
}

func (c *composer) box(m *Model, w, h int) []string {
	g := composeGeometry(w, h)
	if g.iw < 10 || g.ih < 3 {
		return nil
	}
	var content []string
	title := "Announce: choose a template"
	if c.step == composePick {
		content = c.pickContent(m, g)
	} else {
		title = fmt.Sprintf("Announce · %s (%s · %s)", c.tmpl.Name, phaseName(c.tmpl.Phase), c.tmpl.Lang)
		content = c.editContent(m, g)
	}
	if len(content) > g.ih {
		content = content[:g.ih]
	}
	return drawBox(m.th, title, content, g.bw)
}

// sideBySide joins two columns of lines, lw and rw cells wide, with a rule.
func sideBySide(th *themes.Theme, left, right []string, lw, rw, h int) []string {
	out := make([]string, h)
	rule := th.Muted.Render(" │ ")
	for i := range out {
		var l, r string
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		out[i] = fit(l, lw) + rule + fit(r, rw)
	}
	return out
}

// pickContent is the template list and the highlighted template rendered
// with the room's fields.
func (c *composer) pickContent(m *Model, g composeGeom) []string {
	th := m.th
	top := []string{th.Muted.Render(fit("choose a template · the room fills its fields; you edit them next", g.iw))}
	nameW := 8
	for _, tm := range c.tmpls {
		nameW = max(nameW, lipgloss.Width(tm.Name))
	}
	var rows []string
	for i, tm := range c.tmpls {
		line := fmt.Sprintf("%s%-*s  %s · %s", markOf(i == c.pick), nameW, cleanText(tm.Name), phaseName(tm.Phase), tm.Lang)
		if i == c.pick {
			rows = append(rows, th.Selected.Render(fit(line, g.lw)))
		} else {
			rows = append(rows, th.Text.Render(fit(line, g.lw)))
		}
	}
	bottom := []string{"", th.Muted.Render(fit(fmt.Sprintf("%s/%s choose · %s uses it · %s closes · nothing is sent yet",
		firstHelpKey(m.km.Up), firstHelpKey(m.km.Down), m.km.Confirm.Help().Key, m.km.Back.Help().Key), g.iw))}
	h := g.ih - len(top) - len(bottom)
	var sample []string
	if len(c.tmpls) > 0 {
		p := m.opts.Room.ComposePreview(m.opts.Room.Draft(m.snap, c.tmpls[c.pick].Name), nil)
		if p.Err != "" {
			sample = wrapped(th.Crit, themes.Symbol("critical")+" "+p.Err, g.rw)
		} else {
			sample = messageLines(th, p.Title, p.Text, g.rw)
		}
	}
	var mid []string
	if g.wide {
		mid = sideBySide(th, windowLines(th, rows, c.pick, &c.first, h, g.lw), sample, g.lw, g.rw, h)
	} else {
		listH := min(len(rows), max(3, h/2))
		mid = windowLines(th, rows, c.pick, &c.first, listH, g.iw)
		mid = append(mid, th.Muted.Render(strings.Repeat("─", g.iw)))
		for _, l := range sample {
			if len(mid) < h {
				mid = append(mid, l)
			}
		}
	}
	return append(append(top, mid...), bottom...)
}

// phaseName is a template's phase for people; a template may have none.
func phaseName(p string) string {
	if p == "" {
		return "any phase"
	}
	return p
}

func markOf(sel bool) string {
	if sel {
		return "> "
	}
	return "  "
}

// messageLines are a title and a text as people read them, wrapped to w.
func messageLines(th *themes.Theme, title, text string, w int) []string {
	out := wrapped(th.Bold, title, w)
	out = append(out, "")
	for _, para := range strings.Split(text, "\n") {
		if para == "" {
			out = append(out, "")
			continue
		}
		out = append(out, wrapped(th.Text, para, w)...)
	}
	return out
}

// editContent is the fields and channels, the preview, and the status.
func (c *composer) editContent(m *Model, g composeGeom) []string {
	th := m.th
	status := c.statusLines(m, g.iw)
	h := g.ih - len(status)
	rows, cur := c.rowLines(m, g.lw)
	var body []string
	if g.wide {
		left := windowLines(th, rows, cur, &c.top, h, g.lw)
		body = sideBySide(th, left, c.previewLines(m, g.rw, h), g.lw, g.rw, h)
	} else {
		rowsH := min(len(rows), max(4, h*2/5))
		body = windowLines(th, rows, cur, &c.top, rowsH, g.iw)
		body = append(body, th.Muted.Render(strings.Repeat("─", g.iw)))
		body = append(body, c.previewLines(m, g.iw, h-len(body))...)
	}
	for len(body) < h {
		body = append(body, "")
	}
	return append(body[:h], status...)
}

// rowLines are the field and channel rows, w cells wide, and the display
// line of the cursor.
func (c *composer) rowLines(m *Model, w int) ([]string, int) {
	th := m.th
	valueW := max(w-2-composeLabelW-1, 4)
	var out []string
	cur := 0
	for i, f := range c.shown {
		sel := i == c.row
		label := fmt.Sprintf("%-*s", composeLabelW, f.label)
		if sel {
			cur = len(out)
		}
		switch {
		case sel && c.editing:
			out = append(out, th.Accent.Render("✎ "+label+" ")+c.input.View(th, valueW))
		case sel:
			out = append(out, th.Selected.Render(fit("> "+label+" "+cleanText(c.draft.Field(f.name)), w)))
		default:
			v := cleanText(c.draft.Field(f.name))
			st := th.Text
			if v == "" {
				v, st = "—", th.Muted
			}
			out = append(out, th.Muted.Render("  "+label+" ")+st.Render(truncate(v, valueW)))
		}
	}
	out = append(out, th.Header.Render(fit(fmt.Sprintf("send to · %d of %d channels", len(c.chosen()), len(c.chans)), w)))
	nameW := 0
	for _, ch := range c.chans {
		nameW = max(nameW, lipgloss.Width(cleanText(ch.view.Name)))
	}
	for i, ch := range c.chans {
		sel := len(c.shown)+i == c.row
		if sel {
			cur = len(out)
		}
		box := "[ ]"
		if ch.on {
			box = "[x]"
		}
		note := ch.view.Kind
		switch {
		case ch.view.Drill:
			note += " · drill only"
		case ch.view.Public:
			note += " · public: starts the next-update clock"
		}
		if len(ch.prev.Warnings) > 0 {
			note += fmt.Sprintf(" · %s %s", themes.Symbol("warning"), plural(len(ch.prev.Warnings), "warning"))
		}
		name := cleanText(ch.view.Name)
		line := fmt.Sprintf("%s%s %s%s  %s", markOf(sel), box, name, strings.Repeat(" ", max(nameW-lipgloss.Width(name), 0)), note)
		switch {
		case sel:
			out = append(out, th.Selected.Render(fit(line, w)))
		case len(ch.prev.Warnings) > 0 && ch.on:
			out = append(out, th.Warn.Render(fit(line, w)))
		case ch.on:
			out = append(out, th.Text.Render(fit(line, w)))
		default:
			out = append(out, th.Muted.Render(fit(line, w)))
		}
	}
	return out, cur
}

// previewLines is the preview in h lines of w cells: which view it is,
// then the message or one channel's exact payload with its warnings. A
// template error replaces it all.
func (c *composer) previewLines(m *Model, w, h int) []string {
	th := m.th
	views := len(c.chans) + 1
	nav := fmt.Sprintf("%s/→ next", firstHelpKey(m.km.NextPane))
	var top, mid []string
	switch {
	case c.renderErr != "":
		top = append(top, th.Header.Render(fit("preview", w)))
		mid = append(mid, wrapped(th.Crit, themes.Symbol("critical")+" the template does not render, so nothing can be sent:", w)...)
		mid = append(mid, wrapped(th.Crit, c.renderErr, w)...)
		mid = append(mid, "", th.Muted.Render(fit("edit the field it names, or fix the template in the config", w)))
	case c.showing == 0:
		top = append(top, th.Header.Render(fit(fmt.Sprintf("preview 1/%d · the message · %s", views, nav), w)))
		for _, ch := range c.chans {
			if !ch.on {
				continue
			}
			for _, wn := range ch.prev.Warnings {
				top = append(top, wrapped(th.Warn, fmt.Sprintf("%s %s: %s", themes.Symbol("warning"), ch.view.Name, wn), w)...)
			}
		}
		mid = messageLines(th, c.title, c.text, w)
	default:
		ch := c.chans[c.showing-1]
		target := ""
		if ch.prev.Target != "" {
			target = " → " + ch.prev.Target
		}
		top = append(top, th.Header.Render(fit(fmt.Sprintf("preview %d/%d · %s (%s) · %s", c.showing+1, views, ch.view.Name, ch.view.Kind, nav), w)))
		top = append(top, th.Muted.Render(fit("POST"+cleanText(target)+" · the exact body:", w)))
		if !ch.on {
			top = append(top, wrapped(th.Muted, "not chosen: this channel gets nothing (space on it in the list checks it)", w)...)
		}
		for _, wn := range ch.prev.Warnings {
			top = append(top, wrapped(th.Warn, themes.Symbol("warning")+" "+wn, w)...)
		}
		if ch.prev.Err != "" {
			mid = wrapped(th.Crit, themes.Symbol("critical")+" "+ch.prev.Err, w)
		}
		for _, l := range strings.Split(ch.prev.Payload, "\n") {
			mid = append(mid, wrapIndented(th.Text, l, w)...)
		}
	}
	return scrollLines(th, top, mid, &c.scroll, w, h, m.km.PageDown.Help().Key)
}

// wrapIndented wraps a line of pretty JSON so that its continuation
// lines stay under their key, two cells further in.
func wrapIndented(st lipgloss.Style, line string, w int) []string {
	rest := strings.TrimLeft(line, " ")
	indent := min(len(line)-len(rest)+2, w/2)
	parts := panes.Wrap(rest, max(w-indent, 1))
	out := make([]string, len(parts))
	for i, p := range parts {
		pad := indent
		if i == 0 {
			pad = len(line) - len(rest)
		}
		out[i] = st.Render(strings.Repeat(" ", min(pad, w/2)) + p)
	}
	return out
}

// scrollLines fits top and the scrolled middle into h lines; a last line
// says what is hidden and which key scrolls.
func scrollLines(th *themes.Theme, top, mid []string, scroll *int, w, h int, pgdn string) []string {
	if len(top) >= h {
		*scroll = 0
		return top[:max(h, 0)]
	}
	room := h - len(top)
	if len(mid) <= room {
		*scroll = 0
		return append(top, mid...)
	}
	show := room - 1
	*scroll = max(0, min(*scroll, len(mid)-show))
	out := append(append([]string{}, top...), mid[*scroll:*scroll+show]...)
	below := len(mid) - *scroll - show
	note := fmt.Sprintf("%d more lines · %s scrolls", below, pgdn)
	if below == 0 {
		note = fmt.Sprintf("end · %d lines above", *scroll)
	}
	return append(out, th.Accent.Render(fit(themes.Symbol("warning")+" "+note, w)))
}

// windowLines shows h of lines keeping line cur visible; a last line says
// how many are hidden when not all fit.
func windowLines(th *themes.Theme, lines []string, cur int, top *int, h, w int) []string {
	if len(lines) <= h || h < 2 {
		*top = 0
		if h < len(lines) {
			return lines[:max(h, 0)]
		}
		return lines
	}
	show := h - 1
	if cur < *top {
		*top = cur
	}
	if cur >= *top+show {
		*top = cur - show + 1
	}
	*top = max(0, min(*top, len(lines)-show))
	out := append([]string{}, lines[*top:*top+show]...)
	note := fmt.Sprintf("%d above · %d below", *top, len(lines)-*top-show)
	return append(out, th.Accent.Render(fit("  "+note, w)))
}

// statusLines are the composer's last line: how to send, or what it waits for.
func (c *composer) statusLines(m *Model, w int) []string {
	th, km := m.th, m.km
	esc := km.Back.Help().Key
	switch {
	case c.discard:
		return []string{th.Warn.Render(fit(themes.Symbol("warning")+" discard your edits? y discards · n goes back · nothing was sent", w))}
	case c.editing:
		return []string{th.Accent.Render(fit(fmt.Sprintf("editing %s · %s keeps · %s restores · the preview follows your typing",
			strings.ToLower(c.shown[c.row].label), km.Confirm.Help().Key, esc), w))}
	case c.sending:
		return []string{th.Accent.Render(fit(fmt.Sprintf("%s sending to %s… waiting for the room", themes.Symbol("syncing"), plural(len(c.chosen()), "channel")), w))}
	case c.renderErr != "":
		return []string{th.Crit.Render(fit(themes.Symbol("critical")+" sending is blocked: the template does not render · "+esc+" closes", w))}
	case len(c.chosen()) == 0:
		return []string{th.Warn.Render(fit(themes.Symbol("warning")+" no channel chosen: space checks one · "+esc+" closes", w))}
	}
	return []string{th.Accent.Render(fit(fmt.Sprintf("%s sends to %s: %s · %s closes", m.km.Send.Help().Key,
		plural(len(c.chosen()), "channel"), strings.Join(c.chosen(), ", "), esc), w))}
}
