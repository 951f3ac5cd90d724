package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// rebound is the default keymap with every key that used to be fixed
// (abort x, and in dialogs y, n, ctrl+s, space, tab) moved elsewhere.
func rebound(t *testing.T) *keymaps.Keymap {
	t.Helper()
	km := keymaps.Default()
	if err := km.Override(map[string][]string{"abort": {"X"}, "yes": {"o"}, "no": {"u"}, "send": {"ctrl+g"},
		"toggle": {"+"}, "toggle_pin": {"ctrl+p"}}); err != nil {
		t.Fatal(err)
	}
	return km
}

func TestReboundAbortKeyAbortsAPausedAction(t *testing.T) {
	km := rebound(t)
	m, r := actModel(t, km, panestest.ActionsSnapshot(), 160, 48)
	press(m, km.Pane[paneActions])
	for range 3 {
		press(m, km.Down) // past the proposal and two actions to act-4, paused
	}
	mustShow(t, m, "X abort")
	runAll(m, typeKeys(m, "x"))
	run(m, press(m, km.Abort))
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.decisions) != 1 || r.decisions[0] != "li.wei:act-4:abort" {
		t.Fatalf("decisions %v, want only li.wei:act-4:abort", r.decisions)
	}
}

func TestReboundYesKeyConfirms(t *testing.T) {
	km := rebound(t)
	m, r := actModel(t, km, panestest.FailbackSnapshot(), 120, 40)
	run(m, press(m, km.Failback))
	mustShow(t, m, "Press o to confirm", "o confirm")
	runAll(m, typeKeys(m, "y"))
	if acts := r.actCalls(); len(acts) != 0 {
		t.Fatalf("the old y key confirmed: %+v", acts)
	}
	runAll(m, typeKeys(m, "o"))
	if acts := r.actCalls(); len(acts) != 1 || acts[0] != (room.Request{Kind: room.Failback, From: "ams-2", To: "fra-1"}) {
		t.Fatalf("Act calls %+v, want the failback", acts)
	}
}

func TestReboundComposerKeys(t *testing.T) {
	km := rebound(t)
	m, r := announceModel(t, km, termenv.Ascii, roomWithChannels(), 120, 40)
	press(m, km.Announce)
	press(m, km.Confirm)
	for cmpOf(m).row < len(cmpOf(m).shown)+3 {
		press(m, km.Down) // to ops-feishu
	}
	m.Update(panestest.KeyMsg(" "))
	mustShow(t, m, "[x] ops-feishu", "+ toggle channel")
	press(m, km.Toggle)
	mustShow(t, m, "[ ] ops-feishu", "ctrl+g send to 3 channels")

	// No and yes at the discard prompt.
	press(m, km.Back)
	mustShow(t, m, "o discard", "u keep editing")
	runAll(m, typeKeys(m, "n"))
	press(m, km.No)
	if c := cmpOf(m); c == nil || c.discard {
		t.Fatal("the rebound no key did not go back to the composer")
	}
	press(m, km.Back)
	runAll(m, typeKeys(m, "y"))
	if cmpOf(m) == nil {
		t.Fatal("the old y key discarded the announcement")
	}
	press(m, km.No)

	if cmd := press(m, keymaps.Default().Send); cmd != nil {
		t.Fatal("the old ctrl+s sent")
	}
	run(m, press(m, km.Send))
	if calls := r.announceCalls(); len(calls) != 1 || len(calls[0].Channels) != 3 {
		t.Fatalf("Announce calls %+v, want one to 3 channels", calls)
	}
}

func TestReboundPinKeyPinsTheNote(t *testing.T) {
	km := rebound(t)
	r := &fakeRoom{}
	opts := incOptions(t, termenv.Ascii, r, room.Actor{Name: "ana", Role: room.RoleCommander}, panestest.IncidentSnapshot())
	opts.Keymap = km
	m := New(opts)
	size(m, 200, 60)
	press(m, km.Note)
	runAll(m, typeKeys(m, "tokyo back"))
	press(m, keymaps.Default().TogglePin)
	mustShow(t, m, "[ ] pin it as a key moment", "ctrl+p pin or not")
	press(m, km.TogglePin)
	mustShow(t, m, "[x] pin it as a key moment")
	run(m, press(m, km.Confirm))
	mustCalls(t, r, `note "tokyo back" pinned=true by ana`)
}

// The typed confirmation is the app's one text field: a typo is fixed
// where it is (left, backspace, type), pasted text is still refused.
func TestTypedConfirmationEditsLikeEveryField(t *testing.T) {
	km := keymaps.Default()
	m, r := actModel(t, km, panestest.ProposalSnapshot(), 120, 40)
	run(m, press(m, km.Review))
	runAll(m, typeKeys(m, "amx-2"))
	for _, k := range []string{"left", "left", "backspace"} {
		m.Update(panestest.KeyMsg(k))
	}
	runAll(m, typeKeys(m, "s"))
	mustShow(t, m, "Type ams-2 to confirm: ams-2 ") // the cursor on the "-", after the fixed letter
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x"), Paste: true})
	mustShow(t, m, "pasted text is ignored: type the name")
	run(m, press(m, km.Confirm))
	if acts := r.actCalls(); len(acts) != 1 || acts[0].To != "ams-2" {
		t.Fatalf("Act calls %+v, want the failover to ams-2", acts)
	}
}

// The reason for a rejection is sent with the keymap's confirm key and
// left with its back key, not with fixed enter and esc.
func TestRejectReasonUsesTheKeymap(t *testing.T) {
	km := keymaps.Default()
	if err := km.Override(map[string][]string{"confirm": {"f5"}, "back": {"f6"}}); err != nil {
		t.Fatal(err)
	}
	m, r := actModel(t, km, actionRoomSnapshot("type-name"), 120, 40)
	m.opts.Actor = room.Actor{Name: "chen.jing", Role: room.RoleCommander}
	m.Update(SnapshotMsg{Snap: awaitingSnapshot()})
	press(m, km.Review)
	press(m, km.Reject)
	typeKeys(m, "osaka lags")
	mustShow(t, m, "f5 reject", "f6 back")
	m.Update(panestest.KeyMsg("enter"))
	m.Update(panestest.KeyMsg("esc"))
	if len(r.answerCalls()) != 0 || openOf[*approval](&m.modals) == nil {
		t.Fatal("enter or esc acted on the rejection")
	}
	run(m, press(m, km.Confirm))
	if got := r.answerCalls(); len(got) != 1 || got[0] != "chen.jing:reject:act-9:osaka lags" {
		t.Fatalf("answers = %v", got)
	}
}

// In the hand-over, letters type the name; the keymap's moving keys that
// do not type (vim's ↑, not its k) choose from the list.
func TestHandOverMovesWithKeysThatDoNotType(t *testing.T) {
	r := &fakeRoom{}
	opts := incOptions(t, termenv.Ascii, r, room.Actor{Name: "ana", Role: room.RoleCommander}, panestest.IncidentSnapshot())
	opts.Keymap = keymaps.Vim()
	m := New(opts)
	size(m, 200, 60)
	press(m, m.km.HandOver)
	mustShow(t, m, "↑/↓ choose")
	runAll(m, typeKeys(m, "kj"))
	mustShow(t, m, "enter hands command to kj")
	for range 2 {
		m.Update(panestest.KeyMsg("backspace"))
	}
	m.Update(panestest.KeyMsg("down"))
	run(m, press(m, m.km.Confirm))
	if got := r.incidentCalls(); len(got) != 1 || got[0] != "hand over to mei by ana" {
		t.Fatalf("calls %v, want mei, second in the list (li.wei, mei)", got)
	}
}
