package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"warroom/backends/textsafe"
	"warroom/keymaps"
	"warroom/panes"
	"warroom/themes"
)

// Dialog box size: as wide as useful, never wider than the screen.
const dialogMaxWidth = 110

// box draws the dialog as a box of lines for a body of w×h.
func (d *dialog) box(m *Model, w, h int) []string {
	bw := min(w-2, dialogMaxWidth)
	bh := h
	if h > 14 {
		bh = h - 2 // a line of the room above and below
	}
	iw, ih := bw-4, bh-2
	if iw < 10 || ih < 3 {
		return nil
	}
	var content []string
	switch d.step {
	case stepCandidates:
		content = d.candidatesContent(m, iw, ih)
	case stepTargets:
		content = d.targetsContent(m, iw, ih)
	case stepVersions:
		content = d.versionsContent(m, iw, ih)
	default:
		content = d.confirmContent(m, iw, ih)
	}
	if len(content) > ih {
		content = content[:ih]
	}
	return drawBox(m.th, d.title(), content, bw)
}

// drawBox frames content (lines of bw-4 cells) in a focused border bw
// cells wide with title in its top edge.
func drawBox(th *themes.Theme, title string, content []string, bw int) []string {
	iw := bw - 4
	border := th.BorderFocused
	title = cleanText(title)
	if lipgloss.Width(title) > bw-6 {
		title = truncate(title, bw-6)
	}
	top := border.Render("╭─ ") + th.TitleFocused.Render(title) + border.Render(" "+strings.Repeat("─", max(0, bw-5-lipgloss.Width(title)))+"╮")
	box := []string{top}
	side := border.Render("│")
	for _, l := range content {
		box = append(box, side+" "+fit(l, iw)+" "+side)
	}
	box = append(box, border.Render("╰"+strings.Repeat("─", bw-2)+"╯"))
	return box
}

// overlay puts box in the middle of body (h lines of w cells).
func overlay(body string, box []string, w, h int) string {
	if len(box) == 0 {
		return body
	}
	lines := strings.Split(body, "\n")
	bw := lipgloss.Width(box[0])
	x := max(0, (w-bw)/2)
	y := max(0, (h-len(box))/2)
	for i, b := range box {
		j := y + i
		if j >= len(lines) {
			break
		}
		l := lines[j]
		left, right := ansi.Truncate(l, x, ""), ansi.TruncateLeft(l, x+bw, "")
		if strings.Contains(l, "\x1b") {
			// End the pane's styles at the box's edges, so a selected
			// row's background does not bleed into it or out of it.
			left, b = left+"\x1b[0m", b+"\x1b[0m"
		}
		lines[j] = left + b + right
	}
	return strings.Join(lines, "\n")
}

// wrapped is text wrapped to w cells, each line in style st.
func wrapped(st lipgloss.Style, text string, w int) []string {
	parts := panes.Wrap(text, w)
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = st.Render(p)
	}
	return out
}

// cleanText keeps untrusted text to one line without escape sequences.
func cleanText(s string) string { return textsafe.Line(s) }

// scrollMiddle fits top, middle and bottom into h lines: top and bottom
// always show, the middle scrolls (by *scroll, clamped here) with a note
// of what is above and below.
func scrollMiddle(th *themes.Theme, top, mid, bottom []string, scroll *int, w, h int) []string {
	room := h - len(top) - len(bottom)
	if len(mid) <= room || room < 3 {
		*scroll = 0
		return append(append(append([]string{}, top...), mid...), bottom...)
	}
	show := room - 1 // one line says what is hidden
	*scroll = max(0, min(*scroll, len(mid)-show))
	out := append([]string{}, top...)
	out = append(out, mid[*scroll:*scroll+show]...)
	above, below := *scroll, len(mid)-*scroll-show
	note := fmt.Sprintf("%d more lines below · ↓/pgdn scrolls", below)
	if below == 0 {
		note = fmt.Sprintf("%d lines above · ↑/pgup scrolls back", above)
	} else if above > 0 {
		note = fmt.Sprintf("%d lines above, %d below · ↑/↓ scroll", above, below)
	}
	out = append(out, th.Accent.Render(fit(themes.Symbol("warning")+" "+note, w)))
	return append(out, bottom...)
}

// keys are the help bar's keys for the dialog.
func (d *dialog) keys(m *Model) []key.Binding {
	km := m.km
	nav := chooseKey(km)
	cancel := relabel(km.Back, "cancel")
	switch d.step {
	case stepCandidates, stepTargets, stepVersions:
		next := "preview"
		if d.step == stepTargets {
			next = "versions"
		}
		return []key.Binding{nav, relabel(km.Confirm, next), cancel}
	}
	if d.preview == nil || d.gone != "" {
		return []key.Binding{relabel(km.Back, "close")}
	}
	if d.mode == confirmYes {
		return []key.Binding{relabel(km.Yes, "confirm"), cancel}
	}
	// A help entry only: typing is not a binding (an empty key never matches).
	typeThenEnter := key.NewBinding(key.WithKeys(""), key.WithHelp("type "+d.want()+" + "+km.Confirm.Help().Key, "confirm"))
	return []key.Binding{typeThenEnter, cancel}
}

// chooseKey is up and down as one footer entry.
func chooseKey(km *keymaps.Keymap) key.Binding {
	return key.NewBinding(key.WithKeys(append(append([]string{}, km.Up.Keys()...), km.Down.Keys()...)...),
		key.WithHelp(firstHelpKey(km.Up)+"/"+firstHelpKey(km.Down), "choose"))
}

func relabel(b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
}

// firstHelpKey is the first key of a binding's help ("k" of "k/↑").
func firstHelpKey(b key.Binding) string {
	h := b.Help().Key
	if i := strings.Index(h, "/"); i > 0 {
		return h[:i]
	}
	return h
}
