package panes

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"warroom/keymaps"
	"warroom/themes"
)

// HelpBar is one line of "key desc" pairs, as many as fit in width.
func HelpBar(th *themes.Theme, bindings []key.Binding, width int) string {
	if width <= 0 {
		return ""
	}
	ki, di, mi := inkOf(th.HelpKey), inkOf(th.HelpDesc), inkOf(th.Muted)
	var b strings.Builder
	used := 0
	for _, kb := range bindings {
		h := kb.Help()
		if !kb.Enabled() || h.Key == "" {
			continue
		}
		sep := 0
		if used > 0 {
			sep = 3
		}
		need := sep + cells(h.Key) + 1 + cells(h.Desc)
		if used+need > width {
			break
		}
		if sep > 0 {
			b.WriteString(mi.paint(" · "))
		}
		b.WriteString(ki.paint(h.Key) + " " + di.paint(h.Desc))
		used += need
	}
	b.WriteString(strings.Repeat(" ", width-used))
	return b.String()
}

// helpEntry is one line of the help overlay.
type helpEntry struct{ keys, desc string }

// helpGroups collects the keymap's actions under their headings, the six
// pane keys folded into one line.
func helpGroups(km *keymaps.Keymap) ([]string, map[string][]helpEntry) {
	var order []string
	groups := map[string][]helpEntry{}
	var paneKeys []string
	for _, a := range km.Actions() {
		if !a.Binding.Enabled() {
			continue // switched off for this session (a read-only room's actions)
		}
		if _, ok := groups[a.Group]; !ok {
			order = append(order, a.Group)
			groups[a.Group] = nil
		}
		h := a.Binding.Help()
		if strings.HasPrefix(a.Name, "pane_") {
			paneKeys = append(paneKeys, h.Key)
			if len(paneKeys) == len(km.Pane) {
				groups[a.Group] = append(groups[a.Group], helpEntry{strings.Join(paneKeys, " "), fmt.Sprintf("focus pane 1–%d", len(km.Pane))})
			}
			continue
		}
		groups[a.Group] = append(groups[a.Group], helpEntry{h.Key, h.Desc})
	}
	return order, groups
}

// HelpOverlay is the "?" screen: every action of the keymap under its
// heading, in a box centred in exactly width×height cells. It uses two
// columns when one does not fit the height.
func HelpOverlay(th *themes.Theme, km *keymaps.Keymap, width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	order, groups := helpGroups(km)
	keyW := 0
	for _, g := range order {
		for _, e := range groups[g] {
			keyW = max(keyW, cells(e.keys))
		}
	}
	keyW = min(keyW, 16)
	hi, ki, di, mi, ti := inkOf(th.Header), inkOf(th.HelpKey), inkOf(th.HelpDesc), inkOf(th.Muted), inkOf(th.TitleFocused)

	// Each column is a list of (plain width, styled text) lines.
	type line struct {
		w int
		s string
	}
	section := func(g string) []line {
		ls := []line{{cells(g), hi.paint(g)}}
		for _, e := range groups[g] {
			k := cell(e.keys, keyW)
			ls = append(ls, line{keyW + 2 + cells(e.desc), ki.paint(k) + "  " + di.paint(e.desc)})
		}
		return ls
	}
	stack := func(gs []string) []line {
		var ls []line
		for i, g := range gs {
			if i > 0 {
				ls = append(ls, line{})
			}
			ls = append(ls, section(g)...)
		}
		return ls
	}
	colW := func(ls []line) int {
		w := 0
		for _, l := range ls {
			w = max(w, l.w)
		}
		return w
	}

	var body []line
	one := stack(order)
	const chrome = 2 + 2 + 2 // border, title + blank, blank + footer
	if len(one)+chrome <= height || len(order) < 2 {
		body = one
	} else {
		half := (len(order) + 1) / 2
		left, right := stack(order[:half]), stack(order[half:])
		lw := colW(left)
		for i := 0; i < max(len(left), len(right)); i++ {
			var l, r line
			if i < len(left) {
				l = left[i]
			}
			if i < len(right) {
				r = right[i]
			}
			pad := strings.Repeat(" ", lw-l.w+4)
			body = append(body, line{lw + 4 + r.w, l.s + pad + r.s})
		}
	}
	title := "Keys · " + km.Name + " keymap"
	footer := firstKey(km.Back) + " or " + firstKey(km.Help) + " closes"
	content := append([]line{{cells(title), ti.paint(title)}, {}}, body...)
	content = append(content, line{}, line{cells(footer), mi.paint(footer)})

	innerW := max(colW(content), cells(title)) + 2 // one space of padding each side
	boxW := min(width, innerW+2)
	innerW = boxW - 2
	boxH := min(height, len(content)+2)
	var box []string
	if boxW >= 2 && boxH >= 2 {
		bi := inkOf(th.BorderFocused)
		box = append(box, bi.paint("╭"+strings.Repeat("─", innerW)+"╮"))
		for i := 0; i < boxH-2; i++ {
			box = append(box, bi.paint("│")+fitLine(" "+content[i].s, innerW)+bi.paint("│"))
		}
		box = append(box, bi.paint("╰"+strings.Repeat("─", innerW)+"╯"))
	} else {
		for _, l := range content {
			box = append(box, l.s)
		}
	}
	top := max(0, (height-len(box))/2)
	left := strings.Repeat(" ", max(0, (width-boxW)/2))
	lines := make([]string, top, height)
	for _, l := range box {
		lines = append(lines, left+l)
	}
	return block(lines, width, height)
}
