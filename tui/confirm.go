package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"warroom/backends/room"
	"warroom/panes"
	"warroom/themes"
)

// confirmKey handles a key on the confirm step. Nothing confirms before
// the preview is shown or after what the dialog came from is gone. With
// "yes", only the yes key confirms; otherwise the target's exact name must be typed
// (y, enter and every other key just type or do nothing), and pasted text
// is refused: the name is typed by a person who read the preview.
func (d *dialog) confirmKey(m *Model, msg tea.KeyMsg) (modal, tea.Cmd) {
	km := m.km
	if msg.Type != tea.KeyRunes && msg.Type != tea.KeySpace { // letters always type
		switch {
		case key.Matches(msg, untyped(km.Up), km.PageUp):
			d.scroll = max(0, d.scroll-3)
			return d, nil
		case key.Matches(msg, untyped(km.Down), km.PageDown):
			d.scroll += 3 // clamped when drawn
			return d, nil
		}
	}
	if d.preview == nil || d.gone != "" {
		return d, nil // loading, refused by the room, or no longer valid: only esc works
	}
	if msg.Paste {
		d.hint = "pasted text is ignored: type the name"
		return d, nil
	}
	if d.mode == confirmYes {
		if key.Matches(msg, km.Yes) {
			return nil, d.submit(m)
		}
		d.hint = fmt.Sprintf("press %s to confirm, %s to cancel", km.Yes.Help().Key, km.Back.Help().Key)
		return d, nil
	}
	if d.typed.Key(msg) {
		d.hint = ""
		return d, nil
	}
	if key.Matches(msg, km.Confirm) {
		typed := d.typed.String()
		if typed == d.want() {
			return nil, d.submit(m)
		}
		if typed == "" {
			d.hint = fmt.Sprintf("type %s first, then %s", d.want(), km.Confirm.Help().Key)
		} else {
			d.hint = fmt.Sprintf("%q is not %s: type the name exactly (backspace corrects)", typed, d.want())
		}
	}
	return d, nil
}

// submit sends the confirmed request; the dialog closes.
func (d *dialog) submit(m *Model) tea.Cmd { return m.act(d.req) }

// confirmContent is the preview and the confirmation: the reason, exactly
// what will run, the batches, the RPO, the chosen mirror's warnings, and
// the input. The preview scrolls when it does not fit; the input is
// always shown.
func (d *dialog) confirmContent(m *Model, iw, ih int) []string {
	th := m.th
	var top, mid, bottom []string
	if d.reason != "" {
		top = append(top, wrapped(th.Text, "why: "+d.reason, iw)...)
	}
	switch {
	case d.loading:
		mid = append(mid, wrapped(th.Muted, "preparing the preview · nothing runs…", iw)...)
	case d.previewErr != "":
		mid = append(mid, wrapped(th.Crit, fmt.Sprintf("%s cannot %s: %s", themes.Symbol("critical"),
			d.req.String(), d.previewErr), iw)...)
	case d.preview != nil:
		mid = append(mid, d.previewLines(m, iw)...)
	}
	if d.gone != "" {
		bottom = append(bottom, wrapped(th.Crit, themes.Symbol("critical")+" "+d.gone, iw)...)
	}
	bottom = append(bottom, "")
	esc := m.km.Back.Help().Key
	switch {
	case d.preview == nil || d.gone != "":
		bottom = append(bottom, th.Muted.Render(fit(esc+" closes · nothing has run", iw)))
	case d.mode == confirmYes:
		bottom = append(bottom, th.Accent.Render(fit("Press "+m.km.Yes.Help().Key+" to confirm: "+d.req.String(), iw)))
		bottom = append(bottom, d.hintLine(m, fmt.Sprintf("%s confirms · %s cancels · nothing has run yet", m.km.Yes.Help().Key, esc), iw))
	default:
		prompt := fmt.Sprintf("Type %s to confirm: ", d.want())
		bottom = append(bottom, th.Accent.Render(prompt)+d.typed.View(th, max(iw-lipgloss.Width(prompt), 1)))
		bottom = append(bottom, d.hintLine(m, fmt.Sprintf("%s confirms once the name matches · %s cancels · nothing has run yet",
			m.km.Confirm.Help().Key, esc), iw))
	}
	return scrollMiddle(th, top, mid, bottom, &d.scroll, iw, ih)
}

func (d *dialog) hintLine(m *Model, normal string, iw int) string {
	if d.hint != "" {
		return m.th.Warn.Render(fit(themes.Symbol("warning")+" "+d.hint, iw))
	}
	return m.th.Muted.Render(fit(normal, iw))
}

// previewLines say what will run: the executor, every plan line as the
// executor will run it, the batches, the data a switch loses and the
// warnings about the chosen mirror.
func (d *dialog) previewLines(m *Model, iw int) []string {
	th, p := m.th, d.preview
	var out []string
	kind := p.Kind
	if kind != "" {
		kind = " (" + kind + ")"
	}
	out = append(out, wrapped(th.Muted, fmt.Sprintf("runs with executor %s%s · timeout %s · in this order:", p.Executor, kind, shortDuration(p.Timeout)), iw)...)
	for _, l := range p.Plan {
		for _, part := range panes.Wrap(l, iw-2) {
			out = append(out, th.Text.Render(fit("  "+part, iw)))
		}
	}
	if n := len(p.Batches); n > 0 {
		out = append(out, th.Muted.Render(fit(fmt.Sprintf("in %d batches, pausing if one fails:", n), iw)))
		for i, b := range p.Batches {
			out = append(out, wrapped(th.Text, fmt.Sprintf("  %d/%d  %s", i+1, n, strings.Join(b, ", ")), iw)...)
		}
	}
	if d.req.Kind != room.Rollback {
		rpo := th.Bold
		var text string
		switch {
		case !p.RPOKnown:
			rpo = th.Warn
			text = fmt.Sprintf("RPO: unknown · %s's lag cannot be read, so the data lost cannot be told", d.req.To)
		case p.RPO <= 0:
			text = fmt.Sprintf("RPO: none · %s is caught up with the origin", d.req.To)
		default:
			if m.opts.LagWarn > 0 && p.RPO >= m.opts.LagWarn {
				rpo = th.Warn
			}
			text = fmt.Sprintf("RPO: up to %s of changes not yet on %s", p.RPO.Round(time.Second), d.req.To)
		}
		out = append(out, wrapped(rpo, text, iw)...)
		for _, w := range d.warnings(m) {
			out = append(out, wrapped(th.Warn, themes.Symbol("warning")+" "+w, iw)...)
		}
	}
	return out
}

// warnings are the ranking's reasons to think twice about the target.
func (d *dialog) warnings(m *Model) []string {
	for _, c := range room.Rank(m.snap, d.req.From) {
		if c.Mirror.Name == d.req.To {
			return c.Warnings
		}
	}
	return nil
}

// shortDuration is 10s, 2m, 1m30s.
func shortDuration(t time.Duration) string {
	if t >= time.Minute && t%time.Minute == 0 {
		return fmt.Sprintf("%dm", t/time.Minute)
	}
	return t.Round(time.Millisecond).String()
}
