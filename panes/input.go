package panes

import (
	"strings"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"warroom/backends/textsafe"
	"warroom/themes"
)

// Input is the one-line text field every dialog and filter uses: typing
// and paste, cursor keys and the usual readline deletions, shown sideways
// scrolled to keep the cursor in view. It is ours rather than bubbles'
// textinput because that one pulls in a clipboard module this build does
// not carry, and its default styles use the global renderer; ours draws
// with the session's theme. The zero value is an empty field with no
// limit.
type Input struct {
	Limit int // most runes kept; 0 for no limit
	value []rune
	pos   int // cursor, in runes
}

// Set replaces the value and puts the cursor at its end.
func (in *Input) Set(v string) {
	in.value = nil
	in.pos = 0
	in.insert([]rune(v))
}

// String is the value as typed (cleaned of terminal controls).
func (in *Input) String() string { return string(in.value) }

// Key applies one key press and reports whether the key was the field's:
// printable keys and paste type, the cursor and deletion keys edit;
// anything else (enter, esc, up…) is left to the caller.
func (in *Input) Key(msg tea.KeyMsg) bool {
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

// insert types rs at the cursor, cleaned as outside text is (a pasted
// escape sequence or bidi override never reaches the screen, a newline or
// tab becomes a space: a field is one line), up to the limit.
func (in *Input) insert(rs []rune) {
	clean := []rune(textsafe.Line(string(rs)))
	if in.Limit > 0 {
		clean = clean[:min(len(clean), max(in.Limit-len(in.value), 0))]
	}
	v := make([]rune, 0, len(in.value)+len(clean))
	v = append(append(append(v, in.value[:in.pos]...), clean...), in.value[in.pos:]...)
	in.value = v
	in.pos += len(clean)
}

// View draws the field in exactly w cells: as much of the text before the
// cursor as fits, the cursor as the character under it in reverse (a bar
// at the end, which shows without colour too), then what follows. It
// changes nothing, so it may be drawn any number of times.
func (in *Input) View(th *themes.Theme, w int) string {
	if w <= 0 {
		return ""
	}
	rw := func(r rune) int { return max(ansi.StringWidth(string(r)), 1) }
	used := 1 // the cursor
	if in.pos < len(in.value) {
		used = rw(in.value[in.pos])
	}
	first := in.pos
	for first > 0 && used+rw(in.value[first-1]) <= w {
		first--
		used += rw(in.value[first])
	}
	var after strings.Builder
	for _, r := range in.value[min(in.pos+1, len(in.value)):] {
		if used+rw(r) > w {
			break
		}
		after.WriteRune(r)
		used += rw(r)
	}
	cur := th.Bold.Render("▏")
	if in.pos < len(in.value) {
		cur = th.Selected.Render(string(in.value[in.pos]))
	}
	bold := func(s string) string {
		if s == "" {
			return "" // no empty styled runs in every frame
		}
		return th.Bold.Render(s)
	}
	return fitLine(bold(string(in.value[first:in.pos]))+cur+bold(after.String()), w)
}
