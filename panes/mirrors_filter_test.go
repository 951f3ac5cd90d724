package panes

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"warroom/keymaps"
	"warroom/panes/panestest"
)

// The filter is the app's one text field: a typo is fixed where it is,
// pasted text is cleaned, and the keymap's confirm key keeps it.
func TestMirrorsFilterEditsLikeEveryField(t *testing.T) {
	km := keymaps.Default()
	if err := km.Override(map[string][]string{"confirm": {"f5"}}); err != nil {
		t.Fatal(err)
	}
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	p := NewMirrors()
	p.Update(panestest.Press(km.Filter), km, s)
	typeText(p, km, s, "tkyo")
	for _, k := range []string{"left", "left", "left"} {
		p.Update(panestest.KeyMsg(k), km, s)
	}
	typeText(p, km, s, "o")
	if p.Filter() != "tokyo" {
		t.Fatalf("filter = %q, want tokyo", p.Filter())
	}
	if line := plain(p.View(s, th, 120, 12, true))[0]; !strings.Contains(line, "/tokyo") {
		t.Fatalf("status line while typing = %q", line)
	}
	p.Update(panestest.KeyMsg("enter"), km, s)
	if !p.Capturing() {
		t.Fatal("enter kept the filter though confirm is f5")
	}
	p.Update(panestest.Press(km.Confirm), km, s)
	if p.Capturing() || p.Filter() != "tokyo" {
		t.Fatalf("confirm: capturing %v filter %q, want the filter kept", p.Capturing(), p.Filter())
	}

	p.Update(panestest.Press(km.Back), km, s)
	p.Update(panestest.Press(km.Filter), km, s)
	p.Update(tea.KeyMsg{Type: tea.KeyRunes, Paste: true, Runes: []rune("to\x1b[31mkyo\u202e")}, km, s)
	if p.Filter() != "tokyo" {
		t.Fatalf("pasted filter = %q, want tokyo without the escapes", p.Filter())
	}
}
