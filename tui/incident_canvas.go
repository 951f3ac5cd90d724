package tui

import (
	"github.com/charmbracelet/lipgloss"

	"warroom/backends/room"
	"warroom/themes"
)

// canvas collects an incident dialog's lines, w cells wide, at most h.
type canvas struct {
	th    *themes.Theme
	w, h  int
	lines []string
}

func (c *canvas) add(lines ...string) { c.lines = append(c.lines, lines...) }

func (c *canvas) styled(st lipgloss.Style, s string) { c.add(wrapped(st, s, c.w)...) }
func (c *canvas) text(s string)                      { c.styled(c.th.Text, s) }
func (c *canvas) muted(s string)                     { c.styled(c.th.Muted, s) }
func (c *canvas) warn(s string)                      { c.styled(c.th.Warn, themes.Symbol("warning")+" "+s) }
func (c *canvas) crit(s string)                      { c.styled(c.th.Crit, themes.Symbol("critical")+" "+s) }

// list shows rows with the cursor's marked, scrolled to keep it in view.
func (c *canvas) list(rows []string, cursor int) {
	top := max(0, min(cursor-(c.h-len(c.lines)-3)/2, len(rows)-(c.h-len(c.lines)-2)))
	for i := max(top, 0); i < len(rows) && len(c.lines) < c.h-2; i++ {
		if i == cursor {
			c.add(c.th.Selected.Render(fit("> "+cleanText(rows[i]), c.w)))
		} else {
			c.add(c.th.Text.Render(fit("  "+cleanText(rows[i]), c.w)))
		}
	}
}

// view draws the dialog over a body of w×h: the form, then a warning
// when the role may not send it, then why it no longer applies.
func (d *incidentDialog) view(m *Model, under string, w, h int) string {
	bw := min(w-2, 84)
	bh := h
	if h > 14 {
		bh = h - 2
	}
	c := &canvas{th: m.th, w: bw - 4, h: bh - 2}
	if c.w < 10 || c.h < 3 {
		return under
	}
	d.form.draw(m, d, c)
	if perm := d.form.perm(); !m.can(perm) {
		c.warn((&room.ForbiddenError{Actor: m.opts.Actor, Perm: perm}).Error() + ": the room will refuse")
	}
	if d.gone != "" {
		c.crit(d.gone)
	}
	lines := c.lines
	if len(lines) > c.h {
		lines = lines[:c.h]
	}
	return overlay(under, drawBox(m.th, d.form.title(d), lines, bw), w, h)
}
