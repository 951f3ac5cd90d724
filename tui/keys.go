package tui

import tea "github.com/charmbracelet/bubbletea"

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
