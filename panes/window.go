package panes

import (
	"fmt"
	"sort"
)

// shown is what a list draws in its lines: rows (positions in display
// order, ascending), the window's start among the unpinned rows, and how
// many rows are hidden (said on a last "+N more" line).
type shown struct {
	rows   []int
	offset int
	hidden int
}

// plan picks the rows of an n-row list to draw in h lines. Pinned rows
// (pin > 0: the active mirror, down mirrors) are drawn wherever the cursor
// is, as many as fit, lower pin first (the active mirror before the down
// ones), then in order; the others scroll in a window that holds the cursor, moved
// as little as possible from offset; with no cursor (-1, an unfocused
// pane) the pins take every line they need. When rows are hidden, the
// last line says how many. plan is pure: Update stores the offset it returns, and
// View draws from the same inputs without storing anything.
func plan(n, h, cursor, offset int, pin func(int) int) shown {
	if n <= 0 || h <= 0 {
		return shown{}
	}
	cursor = min(n-1, cursor)
	if n <= h {
		rows := make([]int, n)
		for i := range rows {
			rows[i] = i
		}
		return shown{rows: rows}
	}
	slots := h
	if h >= 2 {
		slots = h - 1 // the "+N more" line
	}
	keep := make(map[int]bool)
	if pin != nil {
		capacity := slots - 1 // a line stays for an unpinned cursor row
		if cursor < 0 || pin(cursor) > 0 {
			capacity = slots
		}
		if cursor >= 0 && pin(cursor) > 0 {
			keep[cursor] = true
		}
		var pins []int
		for i := 0; i < n; i++ {
			if pin(i) > 0 {
				pins = append(pins, i)
			}
		}
		sort.SliceStable(pins, func(a, b int) bool { return pin(pins[a]) < pin(pins[b]) })
		for _, i := range pins {
			if len(keep) >= capacity {
				break
			}
			keep[i] = true
		}
	}
	others := make([]int, 0, n-len(keep))
	pos := -1
	for i := 0; i < n; i++ {
		if keep[i] {
			continue
		}
		if i == cursor {
			pos = len(others)
		}
		others = append(others, i)
	}
	win := slots - len(keep)
	if pos >= 0 {
		if pos < offset {
			offset = pos
		}
		if pos >= offset+win {
			offset = pos - win + 1
		}
	}
	offset = max(0, min(offset, len(others)-win))
	rows := make([]int, 0, slots)
	o := offset
	for i := 0; i < n; i++ {
		if keep[i] || (o < len(others) && o < offset+win && others[o] == i) {
			rows = append(rows, i)
			if !keep[i] {
				o++
			}
		}
	}
	return shown{rows: rows, offset: offset, hidden: n - len(rows)}
}

// moreLine says how many rows a list hides ("" when none is).
func moreLine(ik *inks, hidden, w int) string {
	if hidden == 0 {
		return ""
	}
	return ik.muted.paint(cell(fmt.Sprintf("  +%d more", hidden), w))
}

// span is the window [start, end) of n rows shown in h lines that holds
// the cursor, moved as little as possible from offset; for lists that
// show no "+N more" line. Pure, like plan.
func span(n, h, cursor, offset int) (int, int) {
	if h <= 0 || n == 0 {
		return 0, 0
	}
	if cursor < offset {
		offset = cursor
	}
	if cursor >= offset+h {
		offset = cursor - h + 1
	}
	offset = max(0, min(offset, n-h))
	return offset, min(n, offset+h)
}

// viewCursor is the cursor a View windows around: none for an unfocused
// pane (it shows no cursor), so its pinned rows get every line.
func viewCursor(focused bool, cur int) int {
	if focused {
		return cur
	}
	return -1
}
