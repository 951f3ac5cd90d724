package panestest

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Press is the KeyMsg Bubble Tea sends for b's first key, so tests press
// actions through the keymap and survive rebinding.
func Press(b key.Binding) tea.KeyMsg {
	return KeyMsg(b.Keys()[0])
}

// KeyMsg is the KeyMsg whose String() is k: a named key ("pgup",
// "ctrl+u", "alt+x") or typed characters ("j", "tok").
func KeyMsg(k string) tea.KeyMsg {
	alt := false
	name := k
	if len(name) > 4 && name[:4] == "alt+" {
		alt, name = true, name[4:]
	}
	for t := tea.KeyType(-100); t < 200; t++ {
		if t == tea.KeyRunes || t == tea.KeySpace {
			continue
		}
		if (tea.Key{Type: t}).String() == name {
			return tea.KeyMsg{Type: t, Alt: alt}
		}
	}
	if name == " " {
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune(" "), Alt: alt}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name), Alt: alt}
}
