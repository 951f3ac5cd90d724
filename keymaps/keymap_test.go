package keymaps

import (
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// press turns a binding's first key into the KeyMsg Bubble Tea would send.
func press(t *testing.T, b key.Binding) tea.KeyMsg {
	t.Helper()
	k := b.Keys()[0]
	for typ := tea.KeyType(-100); typ < 200; typ++ {
		if typ == tea.KeyRunes {
			continue
		}
		if (tea.Key{Type: typ}).String() == k {
			return tea.KeyMsg{Type: typ}
		}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func TestBuiltinsHaveNoConflictsAndEveryActionAKey(t *testing.T) {
	for _, name := range Names() {
		km, err := ByName(name)
		if err != nil {
			t.Fatal(err)
		}
		if errs := km.conflicts(); len(errs) > 0 {
			t.Errorf("keymap %s: %v", name, errs)
		}
		for _, a := range km.Actions() {
			if len(a.Binding.Keys()) == 0 || a.Binding.Help().Key == "" || a.Binding.Help().Desc == "" {
				t.Errorf("keymap %s action %s: keys %v help %+v", name, a.Name, a.Binding.Keys(), a.Binding.Help())
			}
			for _, k := range a.Binding.Keys() {
				if !validKey(k) {
					t.Errorf("keymap %s action %s: key %q is not one Bubble Tea sends", name, a.Name, k)
				}
			}
			if !key.Matches(press(t, *a.Binding), *a.Binding) {
				t.Errorf("keymap %s action %s: pressing %q does not match", name, a.Name, a.Binding.Keys()[0])
			}
		}
	}
}

func TestActionsStableAndComplete(t *testing.T) {
	km := Default()
	var names []string
	for _, a := range km.Actions() {
		names = append(names, a.Name)
	}
	want := "quit help back next_pane prev_pane zoom pane_1 pane_2 pane_3 pane_4 pane_5 pane_6 pane_7 pane_8 pane_9 up down page_up page_down top bottom filter sort ack silence confirm detail failover failback rollback abort announce retry approve reject pen review declare level hand_over advance tick note pin report drill kill_leader yes no send toggle toggle_pin"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("Actions() = %s\nwant        %s", got, want)
	}
	// Binding points into the keymap.
	km.Actions()[0].Binding.SetKeys("x")
	if km.Quit.Keys()[0] != "x" {
		t.Error("Action.Binding does not point into the Keymap")
	}
}

func TestVimMotions(t *testing.T) {
	km := Vim()
	for b, k := range map[*key.Binding]string{&km.Up: "k", &km.Down: "j", &km.Top: "g", &km.Bottom: "G", &km.PageUp: "ctrl+u", &km.PageDown: "ctrl+d", &km.NextPane: "l", &km.PrevPane: "h"} {
		if !key.Matches(press(t, key.NewBinding(key.WithKeys(k))), *b) {
			t.Errorf("vim: %q does not trigger %s", k, b.Help().Desc)
		}
	}
	if !key.Matches(tea.KeyMsg{Type: tea.KeyUp}, km.Up) {
		t.Error("vim: arrow up no longer moves up")
	}
}

func TestByNameUnknown(t *testing.T) {
	_, err := ByName("emacs")
	if err == nil || !strings.Contains(err.Error(), "emacs") || !strings.Contains(err.Error(), "vim") {
		t.Fatalf("ByName(emacs) = %v, want an error naming emacs and the choices", err)
	}
}

func TestOverrideRebindsAndUpdatesHelp(t *testing.T) {
	km := Default()
	if err := km.Override(map[string][]string{"quit": {"ctrl+q"}, "up": {"up", "w"}, "pane_1": {"f1"}, "sort": {"space"}}); err != nil {
		t.Fatal(err)
	}
	if !key.Matches(tea.KeyMsg{Type: tea.KeyCtrlQ}, km.Quit) || key.Matches(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")}, km.Quit) {
		t.Errorf("quit keys = %v, want only ctrl+q", km.Quit.Keys())
	}
	if h := km.Quit.Help(); h.Key != "ctrl+q" || h.Desc != "quit" {
		t.Errorf("quit help = %+v, want key ctrl+q desc quit", h)
	}
	if h := km.Up.Help(); h.Key != "↑/w" {
		t.Errorf("up help key = %q, want ↑/w", h.Key)
	}
	if !key.Matches(tea.KeyMsg{Type: tea.KeyF1}, km.Pane[0]) {
		t.Error("pane_1 is not f1")
	}
	if !key.Matches(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune(" ")}, km.Sort) || km.Sort.Help().Key != "space" {
		t.Errorf("sort = %v help %q, want space", km.Sort.Keys(), km.Sort.Help().Key)
	}
	// Untouched actions keep their keys.
	if km.Help.Keys()[0] != "?" {
		t.Error("help lost its key")
	}
	// Other keymaps are not affected.
	if Default().Quit.Keys()[0] != "q" {
		t.Error("Override changed a fresh Default()")
	}
}

func TestOverrideSwapIsNotAConflict(t *testing.T) {
	km := Default()
	if err := km.Override(map[string][]string{"sort": {"a"}, "ack": {"s"}}); err != nil {
		t.Fatalf("swapping sort and ack: %v", err)
	}
}

func TestOverrideErrors(t *testing.T) {
	cases := []struct {
		name string
		ov   map[string][]string
		want []string
	}{
		{"unknown action", map[string][]string{"jump": {"x"}}, []string{`"jump"`, "next_pane", "pane_6"}},
		{"empty", map[string][]string{"quit": {}}, []string{`"quit"`, "no keys"}},
		{"conflict", map[string][]string{"zoom": {"a"}}, []string{`"a"`, "zoom", "ack"}},
		{"conflict between overrides", map[string][]string{"zoom": {"x"}, "sort": {"x"}}, []string{`"x"`, "zoom", "sort"}},
		{"bad key name", map[string][]string{"quit": {"ctlr+c"}}, []string{`"ctlr+c"`, "quit"}},
		{"all at once", map[string][]string{"jump": {"x"}, "quit": nil, "help": {"ctrl+"}}, []string{`"jump"`, `"quit"`, `"ctrl+"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			km := Default()
			before := km.Zoom.Keys()[0] + km.Quit.Keys()[0] + km.Sort.Keys()[0]
			err := km.Override(c.ov)
			if err == nil {
				t.Fatal("Override succeeded, want an error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %s", err, w)
				}
			}
			if after := km.Zoom.Keys()[0] + km.Quit.Keys()[0] + km.Sort.Keys()[0]; after != before {
				t.Errorf("failed Override changed the keymap: %q → %q", before, after)
			}
		})
	}
}

// The key names accepted must be exactly the ones Bubble Tea v1 produces.
func TestKeyNamesMatchBubbleTea(t *testing.T) {
	sent := map[string]bool{}
	for typ := tea.KeyType(-100); typ < 200; typ++ {
		s := tea.Key{Type: typ}.String()
		if s == "" || s == "runes" || s == " " {
			continue
		}
		sent[s] = true
		if !keyNames()[s] {
			t.Errorf("Bubble Tea key %q is not accepted", s)
		}
	}
	for n := range keyNames() {
		if !sent[n] {
			t.Errorf("accepted key %q is never sent by Bubble Tea", n)
		}
	}
}

// Every Override problem names the overridden action it belongs to, so a
// config can point at that action's line.
func TestOverrideErrorsNameTheirAction(t *testing.T) {
	err := Default().Override(map[string][]string{"jump": {"x"}, "help": {"ctrl+"}, "zoom": {"q"}})
	want := map[string]bool{"jump": true, "help": true}
	var got []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var be *BindingError
		if !errors.As(e, &be) {
			t.Fatalf("%v is not a *BindingError", e)
		}
		got = append(got, be.Action)
		if !want[be.Action] {
			t.Errorf("error for action %q: %v", be.Action, be)
		}
	}
	if len(got) != 2 {
		t.Errorf("errors for %v, want jump and help", got)
	}
	// A clash with a default binding is the overridden action's fault.
	err = Default().Override(map[string][]string{"zoom": {"q"}})
	var be *BindingError
	if !errors.As(err, &be) || be.Action != "zoom" || !strings.Contains(be.Msg, "quit and zoom") {
		t.Errorf("clash: %#v", err)
	}
}

// Dialog keys may repeat keys read outside dialogs, but not each other's
// nor those every dialog reads (back, confirm, moving).
func TestModalKeysClashOnlyInsideDialogs(t *testing.T) {
	km := Default()
	if err := km.Override(map[string][]string{"zoom": {"y"}, "toggle": {"s"}}); err != nil {
		t.Errorf("a dialog key on an outside key: %v", err)
	}
	for _, ov := range []map[string][]string{{"yes": {"n"}}, {"send": {"esc"}}, {"toggle": {"enter"}}, {"no": {"down"}}} {
		var be *BindingError
		if err := Default().Override(ov); !errors.As(err, &be) {
			t.Errorf("Override(%v) = %v, want a clash", ov, err)
		}
	}
}

// Every action says what a role needs: dangerous ones a permission, and
// dialog keys nothing (the dialog was allowed when it opened).
func TestEveryActionSaysWhatItNeeds(t *testing.T) {
	used := map[Perm]bool{}
	for _, a := range Default().Actions() {
		used[a.Perm] = true
		if a.Dangerous && a.Perm == Anyone {
			t.Errorf("%s is dangerous but needs no permission", a.Name)
		}
		if a.Modal && (a.Perm != Anyone || a.Dangerous) {
			t.Errorf("dialog key %s needs %q", a.Name, a.Perm)
		}
	}
	for _, p := range Perms() {
		if !used[p] {
			t.Errorf("no action needs %q", p)
		}
	}
	want := map[string]Perm{"failover": PermAct, "abort": PermAct, "ack": PermAck, "silence": PermAck, "announce": PermAnnounce, "approve": PermApprove,
		"level": PermCommand, "note": PermNote, "drill": PermDrill, "pen": PermPen, "tick": PermIncident, "quit": Anyone, "review": Anyone}
	for _, a := range Default().Actions() {
		if p, ok := want[a.Name]; ok && a.Perm != p {
			t.Errorf("%s needs %q, want %q", a.Name, a.Perm, p)
		}
	}
}

// detail and confirm share enter (each is read on its own panes), and
// only each other: detail on another action's key is a clash.
func TestDetailSharesEnterWithConfirmOnly(t *testing.T) {
	for _, km := range []*Keymap{Default(), Vim()} {
		if km.Detail.Keys()[0] != "enter" || km.Confirm.Keys()[0] != "enter" {
			t.Errorf("%s: detail %v, confirm %v, want both on enter", km.Name, km.Detail.Keys(), km.Confirm.Keys())
		}
	}
	if err := Default().Override(map[string][]string{"detail": {"v"}}); err != nil {
		t.Errorf("detail on its own key: %v", err)
	}
	var be *BindingError
	if err := Default().Override(map[string][]string{"detail": {"s"}}); !errors.As(err, &be) || !strings.Contains(be.Msg, "sort and detail") {
		t.Errorf("detail on sort's key: %v, want a clash", err)
	}
	if err := Default().Override(map[string][]string{"filter": {"enter"}}); !errors.As(err, &be) || !strings.Contains(be.Msg, "filter") {
		t.Errorf("filter on enter: %v, want a clash", err)
	}
}
