package panes

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/keymaps"
)

// list is the cursor and scroll state shared by the table panes. The cursor
// follows its row's key (a mirror name, an alert id) when a new snapshot or
// a new sort moves that row.
type list struct {
	cursor  int
	offset  int
	sel     string // key of the row under the cursor
	rows    int    // body rows shown last time, for paging
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

// follow puts the cursor back on the row with key sel if it moved, else
// clamps it to n rows. keyAt names row i.
func (l *list) follow(n int, keyAt func(int) string) {
	if n == 0 {
		l.cursor, l.offset = 0, 0
		return
	}
	if l.sel != "" && (l.cursor >= n || keyAt(l.cursor) != l.sel) {
		for i := 0; i < n; i++ {
			if keyAt(i) == l.sel {
				l.cursor = i
				break
			}
		}
	}
	l.cursor = max(0, min(n-1, l.cursor))
}

// remember records the key of the row under the cursor.
func (l *list) remember(n int, keyAt func(int) string) {
	if n > 0 && l.cursor < n {
		l.sel = keyAt(l.cursor)
	}
}

// window returns the rows [start, end) to draw in h lines, keeping the
// cursor visible with as little scrolling as possible.
func (l *list) window(n, h int) (int, int) {
	l.rows = h
	if h <= 0 || n == 0 {
		return 0, 0
	}
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+h {
		l.offset = l.cursor - h + 1
	}
	l.offset = max(0, min(l.offset, n-h))
	return l.offset, min(n, l.offset+h)
}

// marker is the non-colour cursor mark in front of a row.
func marker(selected bool) string {
	if selected {
		return "> "
	}
	return "  "
}
