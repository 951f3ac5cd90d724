package tui

import (
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/keymaps"
)

// splitKeys is msg as the keys a person pressed. Bubble Tea v1 delivers
// printable keys that arrive in one read (fast typing over SSH, a loaded
// machine) as one KeyMsg with several runes, which matches no binding:
// each rune is its own key press, in order. In a text field the single
// runes type the same text. A bracketed paste stays one message: pasted
// text is not a sequence of commands.
func splitKeys(msg tea.KeyMsg) []tea.KeyMsg {
	if msg.Type != tea.KeyRunes || msg.Paste || msg.Alt || len(msg.Runes) < 2 {
		return []tea.KeyMsg{msg}
	}
	out := make([]tea.KeyMsg, len(msg.Runes))
	for i, r := range msg.Runes {
		out[i] = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}
		if r == ' ' {
			out[i].Type = tea.KeySpace // as a space pressed alone arrives
		}
	}
	return out
}

// untyped is b without its keys that type text (single characters), for
// moving in a dialog whose letters type: there vim's k types, ↑ moves.
func untyped(b key.Binding) key.Binding {
	var keys []string
	for _, k := range b.Keys() {
		if utf8.RuneCountInString(k) > 1 {
			keys = append(keys, k)
		}
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keymaps.HelpKeys(keys...), b.Help().Desc))
}

// untypedChoose is the help bar's one entry for moving up and down in a
// list beside a text field.
func untypedChoose(km *keymaps.Keymap) key.Binding {
	up, down := untyped(km.Up), untyped(km.Down)
	return key.NewBinding(key.WithKeys(append(up.Keys(), down.Keys()...)...),
		key.WithHelp(up.Help().Key+"/"+down.Help().Key, "choose"))
}
