package panes

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func TestInputEditing(t *testing.T) {
	in := Input{Limit: 10}
	in.Set("hello")
	for _, k := range []tea.KeyMsg{{Type: tea.KeyLeft}, {Type: tea.KeyBackspace}, runes("L\n")} {
		if !in.Key(k) {
			t.Fatalf("%v was not the field's", k)
		}
	}
	if got := in.String(); got != "helL o" {
		t.Fatalf("value %q", got)
	}
	in.Key(runes("0123456789"))
	if got := len([]rune(in.String())); got != 10 {
		t.Fatalf("limit not kept: %d runes", got)
	}
	in.Key(tea.KeyMsg{Type: tea.KeyCtrlW})
	in.Key(tea.KeyMsg{Type: tea.KeyCtrlU})
	if in.String() != "o" {
		t.Fatalf("ctrl+w, ctrl+u left %q", in.String())
	}
	in.Set("ab")
	for _, k := range []tea.KeyMsg{{Type: tea.KeyHome}, {Type: tea.KeyDelete}, {Type: tea.KeyEnd}, {Type: tea.KeySpace}, {Type: tea.KeyCtrlA}, {Type: tea.KeyCtrlK}} {
		in.Key(k)
	}
	if in.String() != "" {
		t.Fatalf("home, delete, end, space, ctrl+a, ctrl+k left %q", in.String())
	}
	for _, k := range []tea.KeyMsg{{Type: tea.KeyEnter}, {Type: tea.KeyEsc}, {Type: tea.KeyUp}, {Type: tea.KeyRunes, Runes: []rune("x"), Alt: true}} {
		if in.Key(k) {
			t.Errorf("%v was taken by the field", k)
		}
	}
}

// Pasted text is cleaned as all outside text is: no escape sequence or
// bidi override reaches the screen, and it stays one line.
func TestInputCleansPaste(t *testing.T) {
	var in Input
	in.Key(tea.KeyMsg{Type: tea.KeyRunes, Paste: true, Runes: []rune("tokyo\x1b[2J\u202edown\r\nnow\tok")})
	if got := in.String(); got != "tokyodown now ok" {
		t.Fatalf("pasted value %q", got)
	}
}

// The field fills exactly its width at every width, keeps the cursor in
// view, and drawing it changes nothing.
func TestInputViewFitsAndMovesNothing(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	var in Input
	in.Set("影响范围：三个镜像不可用")
	for w := 1; w < 30; w++ {
		if got := ansi.StringWidth(in.View(th, w)); got != w {
			t.Fatalf("view at %d is %d wide", w, got)
		}
	}
	if v := in.View(th, 8); !strings.Contains(v, "不可用▏") {
		t.Fatalf("the end of the value is not shown with the cursor: %q", v)
	}
	for range 11 {
		in.Key(tea.KeyMsg{Type: tea.KeyLeft})
	}
	before := in
	first := in.View(th, 8)
	if in.View(th, 8) != first || in.pos != before.pos || in.String() != before.String() {
		t.Fatal("View changed the field")
	}
	if !strings.Contains(first, "响") || strings.Contains(first, "用") {
		t.Fatalf("the cursor's character is not in view: %q", first)
	}
}
