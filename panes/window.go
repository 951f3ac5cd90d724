package panes

import (
	"fmt"
	"slices"
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
// (pins: the active mirror, then the down mirrors) are drawn wherever the
// cursor is, as many as fit, earlier in pins first, then in order; the
// others scroll in a window that holds the cursor, moved as little as
// possible from offset; with no cursor (-1, an unfocused pane) the pins
// take every line they need. When rows are hidden, the last line says how
// many. plan is pure: Update stores the offset it returns, and View draws
// from the same inputs without storing anything. It costs the rows it
// walks to the window, not a lookup per row: 10,000 mirrors each frame.
func plan(n, h, cursor, offset int, pins []int) shown {
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
	keep := keptPins(pins, cursor, slots)
	pos := -1 // the cursor among the unpinned rows
	if cursor >= 0 && !slices.Contains(keep, cursor) {
		before, _ := slices.BinarySearch(keep, cursor)
		pos = cursor - before
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
	offset = max(0, min(offset, n-len(keep)-win))
	rows := make([]int, 0, slots)
	k, o := 0, 0 // next kept row; position among the unpinned rows
	for i := 0; i < n && (k < len(keep) || o < offset+win); i++ {
		if k < len(keep) && keep[k] == i {
			rows = append(rows, i)
			k++
			continue
		}
		if o >= offset && o < offset+win {
			rows = append(rows, i)
		}
		o++
	}
	return shown{rows: rows, offset: offset, hidden: n - len(rows)}
}

// keptPins is the pinned rows that fit in slots lines, ascending: a pinned
// cursor first, then pins in order, leaving a line for an unpinned cursor.
func keptPins(pins []int, cursor, slots int) []int {
	capacity := slots - 1
	pinned := cursor >= 0 && slices.Contains(pins, cursor)
	if cursor < 0 || pinned {
		capacity = slots
	}
	var keep []int
	if pinned {
		keep = append(keep, cursor)
	}
	for _, i := range pins {
		if len(keep) >= capacity {
			break
		}
		if !slices.Contains(keep, i) {
			keep = append(keep, i)
		}
	}
	slices.Sort(keep)
	return keep
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
