package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"warroom/keymaps"
)

// runes is keys that arrived in one read, as Bubble Tea v1 delivers them.
func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// quits reports whether cmd, or any command of a batch it returns, quits.
func quits(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	switch msg := cmd().(type) {
	case tea.QuitMsg:
		return true
	case tea.BatchMsg:
		for _, c := range msg {
			if quits(c) {
				return true
			}
		}
	}
	return false
}

// Keys that arrive together act one by one: the filter key opens the
// filter and the rest is typed into it.
func TestKeysArrivingTogetherOpenTheFilterAndTypeIt(t *testing.T) {
	for _, km := range []*keymaps.Keymap{keymaps.Default(), keymaps.Vim()} {
		m := newModel(t, "dark", termenv.Ascii, km, nil)
		size(m, 120, 40)
		m.Update(runes(km.Filter.Keys()[0] + "tok"))
		if !m.panes[paneMirrors].Capturing() || m.mirrors.Filter() != "tok" {
			t.Fatalf("%s: after %q the filter is %q (typing %v), want \"tok\" being typed", km.Name, km.Filter.Keys()[0]+"tok",
				m.mirrors.Filter(), m.panes[paneMirrors].Capturing())
		}
		// Inside the filter, letters that arrive together are typed, quit included.
		if _, cmd := m.Update(runes("yq")); quits(cmd) || m.mirrors.Filter() != "tokyq" {
			t.Fatalf("%s: typing \"yq\" into the filter: filter %q, quit %v", km.Name, m.mirrors.Filter(), quits(cmd))
		}
	}
}

func TestKeysArrivingTogetherEachAct(t *testing.T) {
	km := keymaps.Default()
	m := newModel(t, "dark", termenv.Ascii, km, nil)
	size(m, 120, 40)
	_, cmd := m.Update(runes(km.Zoom.Keys()[0] + km.Quit.Keys()[0]))
	if !m.zoomed || !quits(cmd) {
		t.Fatalf("\"zq\": zoomed %v, quit %v; want both", m.zoomed, quits(cmd))
	}
}

// A bracketed paste is text, never a string of commands.
func TestPasteIsNotKeys(t *testing.T) {
	km := keymaps.Default()
	m := newModel(t, "dark", termenv.Ascii, km, nil)
	size(m, 120, 40)
	paste := runes(km.Zoom.Keys()[0] + km.Quit.Keys()[0])
	paste.Paste = true
	if _, cmd := m.Update(paste); m.zoomed || quits(cmd) {
		t.Fatalf("a pasted \"zq\" acted: zoomed %v, quit %v", m.zoomed, quits(cmd))
	}
}

func TestSplitKeysKeepsSpaceAndSingleKeys(t *testing.T) {
	got := splitKeys(runes("a b"))
	if len(got) != 3 || got[1].Type != tea.KeySpace || got[2].String() != "b" {
		t.Fatalf("split \"a b\" = %v", got)
	}
	for _, k := range []tea.KeyMsg{runes("x"), {Type: tea.KeyEnter}, {Type: tea.KeyRunes, Runes: []rune("ab"), Alt: true}} {
		if got := splitKeys(k); len(got) != 1 || got[0].String() != k.String() {
			t.Fatalf("split %v = %v, want it unchanged", k, got)
		}
	}
}
