package tui

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// actionRoomSnapshot is the fixture in a room that can fail over, with
// confirmation by typing the name and two rollback targets.
func actionRoomSnapshot(confirm string) *room.Snapshot {
	s := panestest.Snapshot()
	s.CanFailover, s.Confirm = true, confirm
	s.RollbackTargets = []string{"web", "api"}
	return s
}

func fixtureVersions() []room.Version {
	now := panestest.Now()
	return []room.Version{
		{ID: "2026.08.21", Label: "current release", At: now.Add(-26 * time.Hour)},
		{ID: "2026.08.20", Label: "last known good", At: now.Add(-50 * time.Hour)},
		{ID: "2026.08.14", Label: "", At: time.Time{}},
	}
}

// actModel is a model over s at w×h with a fake room that records calls.
func actModel(t *testing.T, km *keymaps.Keymap, s *room.Snapshot, w, h int) (*Model, *fakeRoom) {
	t.Helper()
	r := &fakeRoom{versions: fixtureVersions()}
	m := newModel(t, "dark", termenv.Ascii, km, r)
	m.Update(SnapshotMsg{Snap: s})
	size(m, w, h)
	return m, r
}

// run delivers a command's messages back to the model, as Bubble Tea
// would, until none is left (a few at most).
func run(m *Model, cmd tea.Cmd) {
	for i := 0; cmd != nil && i < 10; i++ {
		_, cmd = m.Update(cmd())
	}
}

// typeKeys sends each character as its own key press.
func typeKeys(m *Model, text string) []tea.Cmd {
	var cmds []tea.Cmd
	for _, r := range text {
		_, cmd := m.Update(panestest.KeyMsg(string(r)))
		cmds = append(cmds, cmd)
	}
	return cmds
}

func screen(m *Model) string { return plain(m.View()) }

func mustShow(t *testing.T, m *Model, wants ...string) {
	t.Helper()
	sc := screen(m)
	for _, w := range wants {
		if !strings.Contains(sc, w) {
			t.Fatalf("screen lacks %q:\n%s", w, sc)
		}
	}
}

func noActs(t *testing.T, r *fakeRoom, when string) {
	t.Helper()
	if acts := r.actCalls(); len(acts) != 0 {
		t.Fatalf("%s: Act was called: %+v", when, acts)
	}
}

// runAll runs every command (typed keys may return some) and fails if any
// of them called Act.
func runAll(m *Model, cmds []tea.Cmd) {
	for _, c := range cmds {
		run(m, c)
	}
}

func TestFailoverConfirmNeedsTheExactNameTypedAfterThePreview(t *testing.T) {
	km := keymaps.Default()
	m, r := actModel(t, km, actionRoomSnapshot("type-name"), 120, 40)
	if cmd := press(m, km.Failover); cmd != nil {
		t.Fatal("opening the failover dialog did I/O")
	}
	best := room.Rank(m.snap, "fra-1")[0].Mirror.Name
	mustShow(t, m, "Fail over from fra-1", "fra-1 serves traffic now: ● up", "> ● up       "+best[:18], "staler than fra-1")

	// Keys typed before the preview is shown never count.
	preview := press(m, km.Confirm)
	if preview == nil {
		t.Fatal("enter on a candidate asked for no preview")
	}
	runAll(m, typeKeys(m, best))
	run(m, press(m, km.Confirm))
	noActs(t, r, "name typed before the preview")
	mustShow(t, m, "preparing the preview")

	run(m, preview)
	mustShow(t, m, "Fail over fra-1 → "+best, "set server mirrors/"+best+" state ready", "RPO: up to 4m5s of changes not yet on "+best,
		"Type "+best+" to confirm: ▏")
	run(m, press(m, km.Confirm))
	noActs(t, r, "enter with nothing typed")
	mustShow(t, m, "type "+best+" first")

	runAll(m, typeKeys(m, "y"))
	run(m, press(m, km.Confirm))
	noActs(t, r, "y in type-name mode")

	m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
	runAll(m, typeKeys(m, strings.ToUpper(best)))
	run(m, press(m, km.Confirm))
	noActs(t, r, "the name in the wrong case")
	mustShow(t, m, "is not "+best)

	m.Update(tea.KeyMsg{Type: tea.KeyCtrlU})
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(best), Paste: true})
	run(m, press(m, km.Confirm))
	noActs(t, r, "a pasted name")

	// Typed in one burst (as a terminal delivers fast typing), then enter.
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(best)})
	run(m, press(m, km.Confirm))
	acts := r.actCalls()
	if len(acts) != 1 || acts[0] != (room.Request{Kind: room.Failover, From: "fra-1", To: best}) {
		t.Fatalf("Act calls %+v, want one failover fra-1 → %s", acts, best)
	}
	mustShow(t, m, "failover act-3 started")
	if dlgOf(m) != nil {
		t.Fatal("dialog still open after confirming")
	}
}

func TestEscCancelsEveryStepAndNothingRuns(t *testing.T) {
	km := keymaps.Vim()
	steps := []struct {
		name string
		s    *room.Snapshot
		open func(m *Model)
	}{
		{"candidates", actionRoomSnapshot("type-name"), func(m *Model) { press(m, km.Failover) }},
		{"preview loading", actionRoomSnapshot("type-name"), func(m *Model) { press(m, km.Failover); press(m, km.Confirm) }},
		{"name typed", actionRoomSnapshot("type-name"), func(m *Model) {
			press(m, km.Failover)
			run(m, press(m, km.Confirm))
			runAll(m, typeKeys(m, dlgOf(m).want()))
		}},
		{"yes mode", actionRoomSnapshot("yes"), func(m *Model) { press(m, km.Failover); run(m, press(m, km.Confirm)) }},
		{"rollback targets", actionRoomSnapshot("type-name"), func(m *Model) { press(m, km.Rollback) }},
		{"versions loading", actionRoomSnapshot("type-name"), func(m *Model) { press(m, km.Rollback); press(m, km.Confirm) }},
		{"versions", actionRoomSnapshot("type-name"), func(m *Model) { press(m, km.Rollback); run(m, press(m, km.Confirm)) }},
		{"rollback name typed", actionRoomSnapshot("type-name"), func(m *Model) {
			press(m, km.Rollback)
			run(m, press(m, km.Confirm))
			run(m, press(m, km.Confirm))
			runAll(m, typeKeys(m, "web"))
		}},
		{"failback", panestest.FailbackSnapshot(), func(m *Model) { run(m, press(m, km.Failback)) }},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			m, r := actModel(t, km, st.s, 120, 40)
			st.open(m)
			if dlgOf(m) == nil {
				t.Fatalf("no dialog open at step %s:\n%s", st.name, screen(m))
			}
			run(m, press(m, km.Back))
			if dlgOf(m) != nil {
				t.Fatal("esc did not close the dialog")
			}
			mustShow(t, m, "nothing ran")
			// Keys after esc go to the room view, never to a dialog.
			run(m, press(m, km.Confirm))
			runAll(m, typeKeys(m, "y"))
			noActs(t, r, "after esc")
		})
	}
}

func TestYesModeOnlyYConfirms(t *testing.T) {
	km := keymaps.Default()
	m, r := actModel(t, km, actionRoomSnapshot("yes"), 120, 40)
	press(m, km.Failover)
	runAll(m, typeKeys(m, "y")) // on the candidate list: nothing
	preview := press(m, km.Confirm)
	runAll(m, typeKeys(m, "y")) // before the preview: nothing
	noActs(t, r, "y before the preview")
	run(m, preview)
	mustShow(t, m, "Press y to confirm: failover fra-1 →")
	run(m, press(m, km.Confirm))
	runAll(m, typeKeys(m, "nY"))
	mustShow(t, m, "press y to confirm")
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y"), Paste: true})
	noActs(t, r, "enter, n, Y or a pasted y in yes mode")
	runAll(m, typeKeys(m, "y"))
	if len(r.actCalls()) != 1 {
		t.Fatalf("y did not confirm: %+v", r.actCalls())
	}
}

func TestFailoverOnlyFromTheActiveMirror(t *testing.T) {
	km := keymaps.Default()
	m, _ := actModel(t, km, actionRoomSnapshot("type-name"), 120, 40)
	press(m, km.Down) // ams-2, a backup
	press(m, km.Failover)
	if dlgOf(m) != nil {
		t.Fatal("failover dialog opened on a backup mirror")
	}
	mustShow(t, m, "ams-2 does not serve traffic; the active mirror is fra-1")

	s := actionRoomSnapshot("type-name")
	s.CanFailover = false
	m, _ = actModel(t, km, s, 120, 40)
	press(m, km.Failover)
	mustShow(t, m, "failover is not configured")
}

func TestRefusalIsShown(t *testing.T) {
	km := keymaps.Default()
	m, r := actModel(t, km, actionRoomSnapshot("type-name"), 120, 40)
	r.actErr = errors.New("failover act-1 is already running: started by li.wei at 03:00:00; wait for it to end")
	press(m, km.Failover)
	run(m, press(m, km.Confirm))
	runAll(m, typeKeys(m, dlgOf(m).want()))
	run(m, press(m, km.Confirm))
	mustShow(t, m, "already running: started by li.wei at 03:00:00")
}

func TestReadOnlyHidesAndRefusesActions(t *testing.T) {
	km := keymaps.Default()
	s := panestest.ActionsSnapshot()
	s.ReadOnly, s.CanFailover = true, false
	m, r := actModel(t, km, s, 160, 48)
	for _, b := range []struct {
		name string
		k    func() tea.Cmd
	}{
		{"failover", func() tea.Cmd { return press(m, km.Failover) }},
		{"failback", func() tea.Cmd { return press(m, km.Failback) }},
		{"rollback", func() tea.Cmd { return press(m, km.Rollback) }},
	} {
		if cmd := b.k(); cmd != nil || dlgOf(m) != nil {
			t.Fatalf("%s in a read-only room opened something", b.name)
		}
		mustShow(t, m, "read-only room: actions are disabled")
	}
	press(m, km.Pane[paneActions])
	for _, k := range []tea.KeyMsg{panestest.Press(km.Confirm), panestest.Press(km.Back)} {
		if _, cmd := m.Update(k); cmd != nil {
			t.Fatalf("%s on a proposal in a read-only room sent a command", k)
		}
	}
	sc := screen(m)
	footer := sc[strings.LastIndex(sc, "\n")+1:]
	for _, hidden := range []string{"fail over", "fail back", "roll back", "review", "dismiss"} {
		if strings.Contains(footer, hidden) {
			t.Fatalf("help bar shows %q in a read-only room: %s", hidden, footer)
		}
	}
	press(m, km.Help)
	sc = screen(m)
	if strings.Contains(sc, "fail over") || strings.Contains(sc, "roll back") || !strings.Contains(sc, "acknowledge") {
		t.Fatalf("help overlay in a read-only room:\n%s", sc)
	}
	press(m, km.Back)
	// A proposal arriving in a read-only room does not pop up.
	next := *panestest.ProposalSnapshot()
	next.ReadOnly = true
	m.Update(SnapshotMsg{Snap: &next})
	if dlgOf(m) != nil {
		t.Fatal("a proposal popped up in a read-only room")
	}
	if len(r.actCalls()) != 0 || r.previews != 0 {
		t.Fatal("a read-only room reached the room's action calls")
	}

	// Without a room to command, the same.
	m = newModel(t, "dark", termenv.Ascii, km, nil)
	m.Update(SnapshotMsg{Snap: actionRoomSnapshot("type-name")})
	size(m, 120, 40)
	press(m, km.Failover)
	mustShow(t, m, "read-only room: actions are disabled")
}

// A rule's proposal never opens by itself: it waits in a banner naming the
// review key, and keys meant for something else never reach it.
func TestProposalWaitsInABannerUntilTheReviewKey(t *testing.T) {
	km := keymaps.Default()
	m, r := actModel(t, km, actionRoomSnapshot("type-name"), 120, 40)
	s := panestest.ProposalSnapshot()
	if _, cmd := m.Update(SnapshotMsg{Snap: s}); cmd != nil || modalOpen(m) {
		t.Fatal("a new proposal opened by itself")
	}
	mustShow(t, m, "press ! to review · proposal: rule active-down proposes failover fra-1 → ams-2", "! review what waits")
	runAll(m, typeKeys(m, "ams-2")) // typing meant for the room, not for a dialog
	if modalOpen(m) {
		t.Fatal("keys opened the proposal")
	}
	noActs(t, r, "keys typed while a proposal waits")

	run(m, press(m, km.Review))
	mustShow(t, m, "Rule active-down proposes failover fra-1 → ams-2", "why: active mirror fra-1 down since 14:03:40",
		"set server mirrors/ams-2 state ready", "Type ams-2 to confirm")
	run(m, press(m, km.Back))
	mustShow(t, m, "rule active-down's proposal stays in pane 6 Actions")
	if !strings.Contains(screen(m), "press ! to review") {
		t.Fatal("the banner went away while the proposal still waits")
	}
	// From the Actions pane, enter reviews it too; the typed name confirms it.
	press(m, km.Pane[paneActions])
	run(m, press(m, km.Confirm))
	runAll(m, typeKeys(m, "ams-2"))
	run(m, press(m, km.Confirm))
	acts := r.actCalls()
	if len(acts) != 1 || acts[0] != s.Proposals[0].Request {
		t.Fatalf("Act calls %+v, want the proposal's request", acts)
	}
}

// Only those who may act see a proposal's banner, and the review key
// says so when nothing waits.
func TestProposalBannerOnlyForThoseWhoMayAct(t *testing.T) {
	km := keymaps.Default()
	m, _ := actModel(t, km, panestest.ProposalSnapshot(), 120, 40)
	m.opts.Actor.Role = room.RoleObserver
	m.stale = true
	if out := screen(m); strings.Contains(out, "to review") {
		t.Fatalf("an observer is asked to review:\n%s", out)
	}
	m, _ = actModel(t, km, actionRoomSnapshot("type-name"), 120, 40)
	press(m, km.Review)
	mustShow(t, m, "nothing waits for your review")
}

func TestWithdrawnProposalCannotBeConfirmed(t *testing.T) {
	km := keymaps.Default()
	m, r := actModel(t, km, actionRoomSnapshot("type-name"), 120, 40)
	m.Update(SnapshotMsg{Snap: panestest.ProposalSnapshot()})
	run(m, press(m, km.Review))
	runAll(m, typeKeys(m, "ams-2"))
	cleared := *panestest.ProposalSnapshot()
	cleared.Seq, cleared.Proposals = 44, nil
	m.Update(SnapshotMsg{Snap: &cleared})
	run(m, press(m, km.Confirm))
	noActs(t, r, "a withdrawn proposal")
	mustShow(t, m, "proposal was withdrawn")
}

func TestProposalLeavesAnOpenDialogAlone(t *testing.T) {
	km := keymaps.Default()
	m, _ := actModel(t, km, actionRoomSnapshot("type-name"), 120, 40)
	press(m, km.Rollback)
	m.Update(SnapshotMsg{Snap: panestest.ProposalSnapshot()})
	if dlgOf(m).kind != room.Rollback {
		t.Fatal("a proposal replaced the open dialog")
	}
	mustShow(t, m, "press ! to review")
	press(m, km.Back)
	next := *panestest.ProposalSnapshot()
	next.Seq++
	m.Update(SnapshotMsg{Snap: &next})
	if dlgOf(m) != nil {
		t.Fatal("the proposal opened by itself once the dialog closed")
	}
}

func TestActionsPaneKeysReachTheRoom(t *testing.T) {
	km := keymaps.Default()
	m, r := actModel(t, km, panestest.ActionsSnapshot(), 160, 48)
	mustShow(t, m, "proposal: rule web-5xx proposes rollback web")
	press(m, km.Pane[paneActions])
	run(m, press(m, km.Back)) // on the proposal: dismiss
	for i := 0; i < 3; i++ {
		press(m, km.Down) // to act-4, paused
	}
	mustShow(t, m, "r retry batch", "enter continue", "x abort")
	run(m, press(m, km.Retry))
	mustShow(t, m, "act-4: retry sent")
	run(m, press(m, km.Confirm))
	run(m, press(m, km.Abort))
	r.mu.Lock()
	defer r.mu.Unlock()
	if got := strings.Join(r.dismissed, ","); got != "li.wei:web-5xx" {
		t.Fatalf("dismissed %s", got)
	}
	if got := strings.Join(r.decisions, ","); got != "li.wei:act-4:retry,li.wei:act-4:continue,li.wei:act-4:abort" {
		t.Fatalf("decisions %s", got)
	}
}

func TestFailbackSaysWhyOrConfirms(t *testing.T) {
	km := keymaps.Default()
	s := actionRoomSnapshot("yes")
	s.Actions = panestest.FailbackSnapshot().Actions // failed over from fra-1 to ams-2; fra-1 …
	m, r := actModel(t, km, s, 120, 40)
	press(m, km.Failback)
	if dlgOf(m) != nil {
		t.Fatal("failback opened without an offer")
	}
	if acts := r.actCalls(); len(acts) != 0 {
		t.Fatalf("failback without an offer called Act: %+v", acts)
	}
	mustShow(t, m, "failback to fra-1 not offered yet")

	m, r = actModel(t, km, panestest.FailbackSnapshot(), 120, 40)
	run(m, press(m, km.Failback))
	mustShow(t, m, "Fail back ams-2 → fra-1", "why: fra-1 is healthy and 12s behind the origin", "Press y")
	runAll(m, typeKeys(m, "y"))
	if acts := r.actCalls(); len(acts) != 1 || acts[0] != (room.Request{Kind: room.Failback, From: "ams-2", To: "fra-1"}) {
		t.Fatalf("failback Act calls %+v", acts)
	}
}

func TestRollbackPicksTargetAndVersionThenTypesTheTarget(t *testing.T) {
	km := keymaps.Default()
	m, r := actModel(t, km, actionRoomSnapshot("yes"), 120, 40)
	press(m, km.Rollback)
	mustShow(t, m, "Roll back: choose a target", "> web", "  api")
	press(m, km.Down)
	versions := press(m, km.Confirm)
	mustShow(t, m, "Roll back api: choose a version", "loading the versions of api")
	if dlgOf(m).step != stepVersions || versions == nil {
		t.Fatal("choosing a target did not ask for its versions")
	}
	run(m, press(m, km.Confirm)) // enter while loading: nothing
	run(m, versions)
	mustShow(t, m, "> 2026.08.21  1d02h  current release", "2026.08.20  2d02h  last known good", "2026.08.14      —")
	press(m, km.Down)
	run(m, press(m, km.Confirm))
	mustShow(t, m, "Roll back api to 2026.08.20", "in 3 batches, pausing if one fails:", "1/3  w1", "3/3  w3, w4",
		"batch 2/3: /usr/local/bin/deploy-web --version 2026.08.20 --hosts w2", "Type api to confirm")
	runAll(m, typeKeys(m, "y")) // the room confirms with y, but a rollback types its target
	noActs(t, r, "y on a rollback")
	m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
	runAll(m, typeKeys(m, "api"))
	run(m, press(m, km.Confirm))
	if acts := r.actCalls(); len(acts) != 1 || acts[0] != (room.Request{Kind: room.Rollback, Target: "api", Version: "2026.08.20"}) {
		t.Fatalf("rollback Act calls %+v", acts)
	}
	mustShow(t, m, "rollback act-3 started")
}

func TestLateRepliesToAClosedDialogAreDropped(t *testing.T) {
	km := keymaps.Default()
	m, _ := actModel(t, km, actionRoomSnapshot("type-name"), 120, 40)
	press(m, km.Failover)
	old := press(m, km.Confirm)
	press(m, km.Back)
	press(m, km.Failover)
	press(m, km.Confirm)
	run(m, old) // the first dialog's preview arrives late
	if dlgOf(m) == nil || dlgOf(m).preview != nil {
		t.Fatal("a closed dialog's preview filled the new one")
	}
}

func TestLongPlanScrollsAndTheInputStaysInView(t *testing.T) {
	km := keymaps.Default()
	m, r := actModel(t, km, actionRoomSnapshot("type-name"), 80, 24)
	r.long = 30
	press(m, km.Failover)
	run(m, press(m, km.Confirm))
	mustShow(t, m, "more lines below", "to confirm: ▏")
	if strings.Contains(screen(m), "step 30 of a long plan") {
		t.Fatal("the whole long plan fits at 80x24?")
	}
	for i := 0; i < 20; i++ {
		press(m, km.PageDown)
	}
	mustShow(t, m, "step 30 of a long plan", "lines above", "to confirm: ▏")
	noActs(t, r, "scrolling")
}
