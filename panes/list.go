package panes

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/keymaps"
)

// list is the cursor and scroll state shared by the table panes. The cursor
// follows its row's key (a mirror name, an alert id) when a new snapshot or
// a new sort moves that row. Update and Sync change it; View only reads it.
type list struct {
	cursor  int
	offset  int    // the window's start among the unpinned rows (see plan)
	sel     string // key of the row under the cursor
	rows    int    // lines for rows in the body, set by Sync, for paging
	version uint64
}

// navigate moves the cursor for a navigation key over n rows and reports
// whether the key was one.
func (l *list) navigate(msg tea.KeyMsg, km *keymaps.Keymap, n int) bool {
	c, ok := Step(msg, km, l.cursor, max(1, l.rows-1), n-1)
	if !ok {
		return false
	}
	c = max(0, min(n-1, c))
	if c != l.cursor {
		l.cursor = c
		l.version++
	}
	return true
}

// Step is where a navigation key moves position pos, one row or one page
// at a time, with last as the bottom; ok is false for any other key. The
// caller clamps. Panes' lists and the app's dialogs move alike with it.
func Step(msg tea.KeyMsg, km *keymaps.Keymap, pos, page, last int) (int, bool) {
	switch {
	case key.Matches(msg, km.Up):
		return pos - 1, true
	case key.Matches(msg, km.Down):
		return pos + 1, true
	case key.Matches(msg, km.PageUp):
		return pos - page, true
	case key.Matches(msg, km.PageDown):
		return pos + page, true
	case key.Matches(msg, km.Top):
		return 0, true
	case key.Matches(msg, km.Bottom):
		return last, true
	}
	return pos, false
}

// at is the cursor's row among n rows: the row with key sel if it moved,
// else the cursor clamped. It changes nothing, so View may call it.
func (l *list) at(n int, keyAt func(int) string) int {
	if n == 0 {
		return 0
	}
	c := l.cursor
	if l.sel != "" && (c >= n || keyAt(c) != l.sel) {
		for i := 0; i < n; i++ {
			if keyAt(i) == l.sel {
				c = i
				break
			}
		}
	}
	return max(0, min(n-1, c))
}

// follow puts the cursor back on its row (see at).
func (l *list) follow(n int, keyAt func(int) string) {
	l.cursor = l.at(n, keyAt)
	if n == 0 {
		l.offset = 0
	}
}

// remember records the key of the row under the cursor.
func (l *list) remember(n int, keyAt func(int) string) {
	if n > 0 && l.cursor < n {
		l.sel = keyAt(l.cursor)
	}
}

// scroll stores the window that keeps the cursor among the rows shown in
// l.rows lines, so View draws the same window without moving anything.
func (l *list) scroll(n int, pins []int) {
	l.offset = plan(n, l.rows, l.cursor, l.offset, pins).offset
}

// tableRows is the lines left for rows in a table body of h lines: a
// status line from 3 lines, a header from 2.
func tableRows(h int) int {
	switch {
	case h >= 3:
		return h - 2
	case h == 2:
		return 1
	}
	return max(h, 0)
}

// marker is the non-colour cursor mark in front of a row.
func marker(selected bool) string {
	if selected {
		return "> "
	}
	return "  "
}
