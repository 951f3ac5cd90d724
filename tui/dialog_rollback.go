package tui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/lipgloss"

	"warroom/panes"
	"warroom/themes"
)

// targetsContent is the rollback dialog's first step when the room has
// more than one target.
func (d *dialog) targetsContent(m *Model, iw, ih int) []string {
	th := m.th
	top := []string{th.Muted.Render(fit("what to roll back:", iw))}
	blocks := make([][]string, len(d.targets))
	for i, t := range d.targets {
		blocks[i] = []string{pickRow(m, cleanText(t), i == d.cursor, iw)}
	}
	bottom := []string{"", th.Muted.Render(fit(fmt.Sprintf("%s/%s choose · %s lists its versions · %s cancels",
		firstHelpKey(m.km.Up), firstHelpKey(m.km.Down), m.km.Confirm.Help().Key, m.km.Back.Help().Key), iw))}
	return append(append(top, windowBlocks(th, blocks, d.cursor, &d.first, max(1, ih-len(top)-len(bottom)))...), bottom...)
}

// versionsContent lists the versions the target's executor offers, newest
// first, with age and label; or says it is loading, or why it failed.
func (d *dialog) versionsContent(m *Model, iw, ih int) []string {
	th := m.th
	var top []string
	if d.reason != "" {
		top = append(top, wrapped(th.Text, "why: "+d.reason, iw)...)
	}
	if d.gone != "" {
		top = append(top, wrapped(th.Crit, themes.Symbol("critical")+" "+d.gone, iw)...)
	}
	esc := m.km.Back.Help().Key
	switch {
	case d.loading:
		return append(top, wrapped(th.Muted, fmt.Sprintf("loading the versions of %s from its executor's list step…", d.target), iw)...)
	case d.loadErr != "":
		top = append(top, wrapped(th.Crit, fmt.Sprintf("%s cannot list the versions of %s: %s", themes.Symbol("critical"), d.target, d.loadErr), iw)...)
		return append(top, "", th.Muted.Render(fit(esc+" closes · nothing has run", iw)))
	case len(d.versions) == 0:
		top = append(top, wrapped(th.Warn, fmt.Sprintf("%s's list step offered no versions to roll back to", d.target), iw)...)
		return append(top, "", th.Muted.Render(fit(esc+" closes · nothing has run", iw)))
	}
	idW := 8
	for _, v := range d.versions {
		idW = max(idW, lipgloss.Width(cleanText(v.ID)))
	}
	idW = min(idW, 28)
	top = append(top, th.Muted.Render(fit(fmt.Sprintf("versions of %s, newest first:", d.target), iw)))
	top = append(top, th.Header.Render(fit(fmt.Sprintf("  %-*s %6s  %s", idW, "VERSION", "AGE", "LABEL"), iw)))
	now := time.Time{}
	if m.snap != nil {
		now = m.snap.At
	}
	blocks := make([][]string, len(d.versions))
	for i, v := range d.versions {
		id := cleanText(v.ID)
		if lipgloss.Width(id) > idW {
			id = truncate(id, idW)
		}
		age := "—"
		if !v.At.IsZero() && !now.IsZero() {
			age = panes.HumanDuration(now.Sub(v.At))
		}
		text := fmt.Sprintf("%-*s %6s  %s", idW, id, age, cleanText(v.Label))
		blocks[i] = []string{pickRow(m, text, i == d.cursor, iw)}
	}
	bottom := []string{"", th.Muted.Render(fit(fmt.Sprintf("%s/%s choose · %s previews · nothing runs yet · %s cancels",
		firstHelpKey(m.km.Up), firstHelpKey(m.km.Down), m.km.Confirm.Help().Key, esc), iw))}
	return append(append(top, windowBlocks(th, blocks, d.cursor, &d.first, max(1, ih-len(top)-len(bottom)))...), bottom...)
}

// pickRow is one row of a pick list, marked and highlighted when chosen.
func pickRow(m *Model, text string, sel bool, iw int) string {
	if sel {
		return m.th.Selected.Render(fit("> "+text, iw))
	}
	return m.th.Text.Render(fit("  "+text, iw))
}
