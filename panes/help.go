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
	width = min(width, MaxWidth)
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

// helpEntry is one line of the help overlay: a key and what it does, a
// group's heading (desc only, head set), or a blank line (both empty).
type helpEntry struct {
	keys, desc string
	head       bool
}

// helpGroups collects the keymap's actions under their headings, the pane
// keys folded into one line ("1–9" when they are the digits in order).
// The dialogs' own keys come apart, as "key desc" pairs: they take a
// line or two under the columns, not a column of their own.
func helpGroups(km *keymaps.Keymap) (order []string, groups map[string][]helpEntry, modal []string) {
	groups = map[string][]helpEntry{}
	var paneKeys []string
	for _, a := range km.Actions() {
		if !a.Binding.Enabled() {
			continue // switched off for this session (keys its role may not use)
		}
		h := a.Binding.Help()
		if a.Modal {
			modal = append(modal, h.Key+" "+h.Desc)
			continue
		}
		if _, ok := groups[a.Group]; !ok {
			order = append(order, a.Group)
			groups[a.Group] = nil
		}
		if strings.HasPrefix(a.Name, "pane_") {
			paneKeys = append(paneKeys, h.Key)
			if len(paneKeys) == len(km.Pane) {
				groups[a.Group] = append(groups[a.Group], helpEntry{keys: paneList(paneKeys), desc: fmt.Sprintf("focus pane 1–%d", len(km.Pane))})
			}
			continue
		}
		groups[a.Group] = append(groups[a.Group], helpEntry{keys: h.Key, desc: h.Desc})
	}
	return order, groups, modal
}

// joinWrapped joins items with " · " into lines of at most w cells,
// never cutting an item across lines.
func joinWrapped(items []string, w int) []string {
	var out []string
	line := ""
	for _, it := range items {
		switch {
		case line == "":
			line = it
		case cells(line)+3+cells(it) <= w:
			line += " · " + it
		default:
			out, line = append(out, line), it
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

// paneList shows the pane keys, runs of three or more digits in order
// folded: "1–9", "1 2 f3 4–9".
func paneList(keys []string) string {
	var out []string
	for i := 0; i < len(keys); {
		j := i
		for j+1 < len(keys) && keys[j] == fmt.Sprint(j+1) && keys[j+1] == fmt.Sprint(j+2) {
			j++
		}
		if j-i >= 2 {
			out = append(out, keys[i]+"–"+keys[j])
			i = j + 1
			continue
		}
		out = append(out, keys[i])
		i++
	}
	return strings.Join(out, " ")
}

// helpColumns flows the entries into columns of at most rows lines, a
// group's heading repeated ("… cont.") atop a column it continues in, no
// column starting with a blank.
func helpColumns(entries []helpEntry, rows int) [][]helpEntry {
	var cols [][]helpEntry
	var col []helpEntry
	head := ""
	for _, e := range entries {
		if e.head {
			head = e.desc
		}
		if len(col) == rows || (e.head && len(col) == rows-1) { // no heading alone at a column's foot
			cols, col = append(cols, col), nil
		}
		if len(col) == 0 {
			if e.keys == "" && e.desc == "" {
				continue
			}
			if !e.head {
				col = append(col, helpEntry{desc: head + " cont.", head: true})
			}
		}
		col = append(col, e)
	}
	if len(col) > 0 {
		cols = append(cols, col)
	}
	return cols
}

// HelpOverlay is the "?" screen: every action of the keymap under its
// heading, in a box centred in exactly width×height cells. It flows into
// as many columns as the height needs and the width allows.
func HelpOverlay(th *themes.Theme, km *keymaps.Keymap, width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	width, height = Bound(width, height)
	order, groups, modal := helpGroups(km)
	// entries lists the groups, a blank line between them when spaced.
	entries := func(spaced bool) []helpEntry {
		var out []helpEntry
		for i, g := range order {
			if i > 0 && spaced {
				out = append(out, helpEntry{})
			}
			out = append(out, helpEntry{desc: g, head: true})
			out = append(out, groups[g]...)
		}
		return out
	}
	if len(modal) > 0 {
		modal[0] = "in dialogs: " + modal[0]
	}
	dialogs := joinWrapped(modal, max(width-4, 1))
	hi, ki, di, mi, ti := inkOf(th.Header), inkOf(th.HelpKey), inkOf(th.HelpDesc), inkOf(th.Muted), inkOf(th.TitleFocused)

	// Each column is a list of (plain width, styled text) lines.
	type line struct {
		w int
		s string
	}
	render := func(col []helpEntry) ([]line, int) {
		keyW := 0
		for _, e := range col {
			if !e.head {
				keyW = max(keyW, min(cells(e.keys), 16))
			}
		}
		var ls []line
		w := 0
		for _, e := range col {
			var l line
			switch {
			case e.head:
				l = line{cells(e.desc), hi.paint(e.desc)}
			case e.keys == "" && e.desc == "":
			default:
				k := cell(e.keys, keyW)
				l = line{keyW + 2 + cells(e.desc), ki.paint(k) + "  " + di.paint(e.desc)}
			}
			w = max(w, l.w)
			ls = append(ls, l)
		}
		return ls, w
	}
	// layoutFor joins the columns of at most rows lines side by side.
	layoutFor := func(entries []helpEntry, rows, gap int) ([]line, int) {
		var body []line
		total := 0
		for ci, col := range helpColumns(entries, rows) {
			ls, cw := render(col)
			if ci > 0 {
				total += gap
			}
			for i, l := range ls {
				if i >= len(body) {
					body = append(body, line{total, strings.Repeat(" ", total)})
				}
				b := &body[i]
				b.s += strings.Repeat(" ", total-b.w) + l.s
				b.w = total + l.w
			}
			total += cw
		}
		return body, total
	}

	title := "Keys · " + km.Name + " keymap"
	footer := firstKey(km.Back) + " or " + firstKey(km.Help) + " closes"
	// Blank lines around the body when there is room for them.
	chrome := 2 + 2 + 2 + len(dialogs)
	if len(entries(true))+chrome > height && height < 30 {
		chrome -= 2
	}
	avail := max(height-chrome, 1)
	// The fewest columns that fit the height and the width; else the most
	// that fit the width, cut at the bottom. Groups lose the blank lines
	// between them before anything is cut.
	fitted := func(entries []helpEntry) (body []line) {
		for ncol := 1; ncol <= len(entries); ncol++ {
			rows := (len(entries) + ncol - 1) / ncol // balanced: the shortest columns that make ncol
			for len(helpColumns(entries, rows)) > ncol {
				rows++
			}
			b, w := layoutFor(entries, rows, 3)
			if w+4 > width {
				b, w = layoutFor(entries, rows, 2) // tighter columns before fewer
			}
			if w+4 > width && body != nil {
				break
			}
			body = b
			if len(b) <= avail {
				break
			}
		}
		return body
	}
	body := fitted(entries(true))
	if len(body) > avail {
		body = fitted(entries(false))
	}
	content := []line{{cells(title), ti.paint(title)}}
	if chrome == 6+len(dialogs) {
		content = append(content, line{})
	}
	content = append(content, body...)
	if chrome == 6+len(dialogs) {
		content = append(content, line{})
	}
	for _, d := range dialogs {
		content = append(content, line{cells(d), di.paint(d)})
	}
	content = append(content, line{cells(footer), mi.paint(footer)})
	if len(content)+2 > height && len(content) >= 2 {
		// Cut the body, keep the footer.
		content = append(content[:max(height-3, 1)], content[len(content)-1])
	}

	innerW := 0
	for _, l := range content {
		innerW = max(innerW, l.w)
	}
	innerW += 2 // one space of padding each side
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
