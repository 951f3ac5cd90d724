package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"warroom/panes"
	"warroom/themes"
)

// lineInput is the dialogs' text field: panes.Input, the one text input
// of the app, under the names the dialogs were written with.
type lineInput struct {
	limit int // most runes kept; 0 for no limit
	in    panes.Input
}

// set replaces the value and puts the cursor at its end.
func (l *lineInput) set(v string) {
	l.in.Limit = l.limit
	l.in.Set(v)
}

func (l *lineInput) String() string { return l.in.String() }

// key applies one key press and reports whether the key was the input's.
func (l *lineInput) key(msg tea.KeyMsg) bool {
	l.in.Limit = l.limit
	return l.in.Key(msg)
}

// view draws the field in exactly w cells.
func (l *lineInput) view(th *themes.Theme, w int) string { return l.in.View(th, w) }
