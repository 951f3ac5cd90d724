package tui

import (
	"strings"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"warroom/themes"
)

// lineInput is a one-line text field: typing, paste, cursor keys and the
// usual readline deletions, scrolled sideways to keep the cursor in view.
// It is ours rather than bubbles' textinput because that one pulls in a
// clipboard module this build does not carry, and its default styles use
// the global renderer; ours draws with the session's theme.
type lineInput struct {
	value  []rune
	pos    int // cursor, in runes
	offset int // first rune shown
	limit  int // most runes kept
}

// set replaces the value and puts the cursor at its end.
func (in *lineInput) set(v string) {
	in.value, in.offset = []rune(v), 0
	if in.limit > 0 && len(in.value) > in.limit {
		in.value = in.value[:in.limit]
	}
	in.pos = len(in.value)
}

func (in *lineInput) String() string { return string(in.value) }

// key applies one key press and reports whether the key was the input's.
func (in *lineInput) key(msg tea.KeyMsg) bool {
	switch msg.Type {
	case tea.KeyRunes, tea.KeySpace:
		if msg.Alt {
			return false
		}
		rs := msg.Runes
		if msg.Type == tea.KeySpace && len(rs) == 0 {
			rs = []rune{' '}
		}
		in.insert(rs)
	case tea.KeyBackspace, tea.KeyCtrlH:
		if in.pos > 0 {
			in.value = append(in.value[:in.pos-1], in.value[in.pos:]...)
			in.pos--
		}
	case tea.KeyDelete, tea.KeyCtrlD:
		if in.pos < len(in.value) {
			in.value = append(in.value[:in.pos], in.value[in.pos+1:]...)
		}
	case tea.KeyLeft, tea.KeyCtrlB:
		in.pos = max(in.pos-1, 0)
	case tea.KeyRight, tea.KeyCtrlF:
		in.pos = min(in.pos+1, len(in.value))
	case tea.KeyHome, tea.KeyCtrlA:
		in.pos = 0
	case tea.KeyEnd, tea.KeyCtrlE:
		in.pos = len(in.value)
	case tea.KeyCtrlU:
		in.value, in.pos = append([]rune{}, in.value[in.pos:]...), 0
	case tea.KeyCtrlK:
		in.value = in.value[:in.pos]
	case tea.KeyCtrlW:
		i := in.pos
		for i > 0 && unicode.IsSpace(in.value[i-1]) {
			i--
		}
		for i > 0 && !unicode.IsSpace(in.value[i-1]) {
			i--
		}
		in.value = append(in.value[:i], in.value[in.pos:]...)
		in.pos = i
	default:
		return false
	}
	return true
}

// insert types rs at the cursor; control characters (a pasted newline,
// a tab) become spaces, since a field is one line.
func (in *lineInput) insert(rs []rune) {
	clean := make([]rune, 0, len(rs))
	for _, r := range rs {
		if unicode.IsControl(r) {
			r = ' '
		}
		clean = append(clean, r)
	}
	if in.limit > 0 {
		clean = clean[:min(len(clean), max(in.limit-len(in.value), 0))]
	}
	v := make([]rune, 0, len(in.value)+len(clean))
	v = append(append(append(v, in.value[:in.pos]...), clean...), in.value[in.pos:]...)
	in.value = v
	in.pos += len(clean)
}

// view draws the field in exactly w cells: the text around the cursor,
// the cursor as the character under it in reverse (a bar at the end, which
// shows without colour too).
func (in *lineInput) view(th *themes.Theme, w int) string {
	if w <= 0 {
		return ""
	}
	rw := func(r rune) int { return max(ansi.StringWidth(string(r)), 1) }
	in.offset = min(in.offset, in.pos)
	for {
		used := 1 // the cursor
		for _, r := range in.value[in.offset:in.pos] {
			used += rw(r)
		}
		if used <= w || in.offset >= in.pos {
			break
		}
		in.offset++
	}
	// Widened, or the text before the cursor got shorter: show more of it.
	for in.offset > 0 {
		used := 1 + rw(in.value[in.offset-1])
		for _, r := range in.value[in.offset:in.pos] {
			used += rw(r)
		}
		if used > w {
			break
		}
		in.offset--
	}
	var before, after strings.Builder
	used := 0
	for _, r := range in.value[in.offset:in.pos] {
		before.WriteRune(r)
		used += rw(r)
	}
	cur := th.Bold.Render("▏")
	if in.pos < len(in.value) {
		cur = th.Selected.Render(string(in.value[in.pos]))
		used += rw(in.value[in.pos])
	} else {
		used++
	}
	if in.pos+1 < len(in.value) {
		for _, r := range in.value[in.pos+1:] {
			if used+rw(r) > w {
				break
			}
			after.WriteRune(r)
			used += rw(r)
		}
	}
	return fit(th.Bold.Render(before.String())+cur+th.Bold.Render(after.String()), w)
}
