package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// The open modal of each type, for tests: nil when none is open.
func dlgOf(m *Model) *dialog { return openOf[*dialog](&m.modals) }

func cmpOf(m *Model) *composer { return openOf[*composer](&m.modals) }

func incOf(m *Model) *incidentDialog { return openOf[*incidentDialog](&m.modals) }

func cardOf(m *Model) *scorecard { return openOf[*scorecard](&m.modals) }

// Precedence is the stack's: with the failover dialog open and the quit
// question over it, keys go to the question, the footer names its keys
// and the screen shows it; once it closes, all three are the dialog's.
func TestTheTopModalTakesKeysFooterAndScreen(t *testing.T) {
	km := keymaps.Default()
	m := hostModel(t, true, "ana", "mei")
	press(m, km.Failover)
	d := dlgOf(m)
	if d == nil {
		t.Fatal("the failover dialog did not open")
	}
	if _, cmd := m.Update(tea.KeyMsg{Type: tea.KeyCtrlC}); quits(cmd) {
		t.Fatal("ctrl+c in a dialog ended the room with two people in it, without asking")
	}
	if _, ok := m.modals.top().(*quitConfirm); !ok || dlgOf(m) != d {
		t.Fatalf("want the quit question over the dialog, have %T on top", m.modals.top())
	}
	sc := screen(m)
	if !strings.Contains(sc, "Quit warroom?") || !strings.Contains(sc, "Fail over from fra-1") {
		t.Fatalf("the screen does not show the question over the dialog:\n%s", sc)
	}
	if f := footerOf(sc); !strings.Contains(f, "keep serving") || strings.Contains(f, "preview") {
		t.Fatalf("footer %q: want the question's keys only", f)
	}
	cursor := d.cursor
	press(m, km.Down)
	if d.cursor != cursor {
		t.Fatal("a key went past the top modal to the dialog under it")
	}
	m.Update(panestest.KeyMsg("n"))
	if m.modals.top() != modal(d) {
		t.Fatalf("n closed %T, want the question closed and the dialog on top", m.modals.top())
	}
	press(m, km.Down)
	if d.cursor == cursor {
		t.Fatal("the dialog, on top again, did not take the key")
	}
	sc = screen(m)
	if strings.Contains(sc, "Quit warroom?") || !strings.Contains(footerOf(sc), "preview") {
		t.Fatalf("the dialog's screen and keys did not come back:\n%s", sc)
	}
	// A second ctrl+c while asking quits: the way out stays two keys.
	m.Update(tea.KeyMsg{Type: tea.KeyCtrlC})
	if _, cmd := m.Update(tea.KeyMsg{Type: tea.KeyCtrlC}); !quits(cmd) {
		t.Fatal("a second ctrl+c did not quit")
	}
}

// An answer to a modal that closed meanwhile is dropped; what the model
// says of it still shows.
func TestAnAnswerToAClosedModalIsDropped(t *testing.T) {
	km := keymaps.Default()
	m := hostModel(t, false)
	press(m, km.Failover)
	d := dlgOf(m)
	press(m, km.Confirm)
	press(m, km.Back)
	said := false
	m.Update(callDone{owner: d.id(), val: room.Preview{Executor: "edge"}, then: func(*Model, any, error) { said = true }})
	if d.preview != nil || m.modals.top() != nil || !said {
		t.Fatalf("late answer: preview %v, open %T, said %t", d.preview, m.modals.top(), said)
	}
}
