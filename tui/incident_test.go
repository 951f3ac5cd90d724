package tui

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"warroom/backends/drill"
	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
	"warroom/themes"
)

// incidentCalls records the incident commands the fake room was sent,
// refused ones too: "declare 2 \"Asia down\" by li.wei", "tick 4 \"…\" by
// sam: refused".
type incidentCalls struct {
	calls []string
	err   error // every allowed command fails with it when set
}

// incident checks the role as the room does, then records the call.
func (f *fakeRoom) incident(perm room.Perm, a room.Actor, call string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !a.Role.Can(perm) {
		f.inc.calls = append(f.inc.calls, call+" by "+a.Name+": refused")
		return &room.ForbiddenError{Actor: a, Perm: perm}
	}
	f.inc.calls = append(f.inc.calls, call+" by "+a.Name)
	return f.inc.err
}

func (f *fakeRoom) incidentCalls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.inc.calls...)
}

func (f *fakeRoom) Declare(_ context.Context, spec room.IncidentSpec, a room.Actor) (string, error) {
	if err := f.incident(room.PermIncident, a, fmt.Sprintf("declare %d %q", spec.Level, spec.Title)); err != nil {
		return "", err
	}
	return "INC-20260822-2", nil
}

func (f *fakeRoom) SetLevel(_ context.Context, level int, a room.Actor) error {
	return f.incident(room.PermCommand, a, fmt.Sprintf("level %d", level))
}

func (f *fakeRoom) HandOver(_ context.Context, to string, a room.Actor) error {
	return f.incident(room.PermCommand, a, "hand over to "+to)
}

func (f *fakeRoom) Advance(_ context.Context, status string, a room.Actor) error {
	perm := room.PermIncident
	if status == room.StatusClosed {
		perm = room.PermCommand
	}
	return f.incident(perm, a, "advance to "+status)
}

func (f *fakeRoom) Tick(_ context.Context, step int, note string, a room.Actor) error {
	return f.incident(room.PermIncident, a, fmt.Sprintf("tick %d %q", step, note))
}

func (f *fakeRoom) Note(_ context.Context, text string, pinned bool, a room.Actor) (uint64, error) {
	return 40, f.incident(room.PermNote, a, fmt.Sprintf("note %q pinned=%t", text, pinned))
}

func (f *fakeRoom) Pin(_ context.Context, seq uint64, a room.Actor) error {
	return f.incident(room.PermNote, a, fmt.Sprintf("pin %d", seq))
}

func (f *fakeRoom) StartScenario(_ context.Context, sc room.Scenario, a room.Actor) error {
	return f.incident(room.PermDrill, a, fmt.Sprintf("start drill %s from %s", sc.Name, sc.File))
}

func (f *fakeRoom) StopDrill(_ context.Context, reason string, a room.Actor) error {
	return f.incident(room.PermDrill, a, "stop drill: "+reason)
}

// fixtureScenario is a small drill for the drill dialog, as the room describes it.
func fixtureScenario() room.Scenario {
	return room.ScenarioOf(&drill.Scenario{
		Name: "regional-outage", Description: "every mirror in ap-northeast goes down", Duration: 20 * time.Minute,
		Goals: []drill.Goal{{Name: drill.GoalDetect, Within: time.Minute}, {Name: drill.GoalFailover, Within: 5 * time.Minute}},
		Faults: []drill.Fault{{Kind: "region-down", Region: "ap-northeast", At: 30 * time.Second, For: 10 * time.Minute},
			{Kind: "webhook-fail", Channel: "ops-slack", At: 2 * time.Minute}},
	}, "examples/drills/regional-outage.yaml")
}

// incModel is a session of actor (name, role) over s at w×h, with drills
// and reports wired, on a fake room.
func incModel(t *testing.T, name string, role room.Role, s *room.Snapshot, w, h int) (*Model, *fakeRoom) {
	t.Helper()
	r := &fakeRoom{}
	m := New(incOptions(t, termenv.Ascii, r, room.Actor{Name: name, Role: role}, s))
	size(m, w, h)
	return m, r
}

func incOptions(t *testing.T, profile termenv.Profile, r Room, a room.Actor, s *room.Snapshot) Options {
	t.Helper()
	rend := lipgloss.NewRenderer(io.Discard)
	rend.SetColorProfile(profile)
	th, err := themes.New("dark", rend)
	if err != nil {
		t.Fatal(err)
	}
	return Options{Room: r, Theme: th, Keymap: keymaps.Default(), Actor: a, Snapshot: s, PresenceID: "p2",
		Drills: []string{"dns-failure", "regional-outage"},
		LoadDrill: func(name string) (room.Scenario, error) {
			if name != "regional-outage" {
				return room.Scenario{}, fmt.Errorf("no drill %q", name)
			}
			return fixtureScenario(), nil
		},
		Report: func(context.Context) (string, error) { return "/var/lib/warroom/reports/INC-20260822-1.md", nil },
	}
}

func footerText(m *Model) string {
	lines := strings.Split(screen(m), "\n")
	return lines[len(lines)-1]
}

func mustCalls(t *testing.T, r *fakeRoom, want ...string) {
	t.Helper()
	if got := r.incidentCalls(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("room calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDeclareFromTheProposal(t *testing.T) {
	m, r := incModel(t, "li.wei", room.RoleOperator, panestest.IncidentProposalSnapshot(), 200, 60)
	km := m.km
	// The proposal brings the Incident pane into view and names the key.
	mustShow(t, m, "▲ Level 2 proposed: tokyo and osaka down (2 regions)", "press I to declare")
	if !strings.Contains(footerText(m), "I declare proposed incident") {
		t.Fatalf("footer lacks the declare key: %q", footerText(m))
	}
	run(m, press(m, km.Declare))
	mustCalls(t, r) // opening sends nothing
	mustShow(t, m, "Declare an incident", "The room proposes level 2", "> 2  level 2 (major)")
	press(m, km.Down)
	mustShow(t, m, "> 3  level 3 (critical)")
	typeKeys(m, "1") // a digit chooses too
	mustShow(t, m, "> 1  level 1 (minor)")
	press(m, km.Down)
	press(m, km.Confirm)
	mustShow(t, m, "Declare an incident at level 2 (major)", "tokyo and osaka down (2 regions)")
	mustCalls(t, r)

	m.Update(tea.KeyMsg{Type: tea.KeyCtrlU})
	run(m, press(m, km.Confirm))
	mustCalls(t, r) // an empty title is not sent
	mustShow(t, m, "type a title")
	runAll(m, typeKeys(m, "Asia mirrors down"))
	run(m, press(m, km.Confirm))
	mustCalls(t, r, `declare 2 "Asia mirrors down" by li.wei`)
	mustShow(t, m, "declared INC-20260822-2 at level 2: Asia mirrors down")
	if incOf(m) != nil {
		t.Fatal("the dialog stayed open after the room declared")
	}
}

func TestEscCancelsEveryIncidentDialogAtEveryStep(t *testing.T) {
	km := keymaps.Default()
	drillRunning := func() *room.Snapshot { return panestest.DrillSnapshot() }
	cases := []struct {
		name string
		snap func() *room.Snapshot
		keys func(m *Model)
	}{
		{"declare level", panestest.IncidentProposalSnapshot, func(m *Model) { press(m, km.Declare); press(m, km.Down) }},
		{"declare title", panestest.IncidentProposalSnapshot, func(m *Model) {
			press(m, km.Declare)
			press(m, km.Confirm)
			typeKeys(m, " now")
		}},
		{"level", panestest.IncidentSnapshot, func(m *Model) { press(m, km.Level); press(m, km.Down) }},
		{"hand over", panestest.IncidentSnapshot, func(m *Model) { press(m, km.HandOver); typeKeys(m, "bob") }},
		{"advance", panestest.IncidentSnapshot, func(m *Model) { press(m, km.Advance) }},
		{"tick", panestest.IncidentSnapshot, func(m *Model) { press(m, km.Tick); typeKeys(m, "found it") }},
		{"note", panestest.IncidentSnapshot, func(m *Model) {
			press(m, km.Note)
			typeKeys(m, "a line")
			m.Update(tea.KeyMsg{Type: tea.KeyTab})
		}},
		{"pin", panestest.IncidentSnapshot, func(m *Model) { press(m, km.Pin) }},
		{"drill pick", panestest.Snapshot, func(m *Model) { press(m, km.Drill); press(m, km.Down) }},
		{"drill confirm", panestest.Snapshot, func(m *Model) {
			press(m, km.Drill)
			press(m, km.Down)
			run(m, press(m, km.Confirm))
		}},
		{"drill stop", drillRunning, func(m *Model) { press(m, km.Drill) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, r := incModel(t, "ana", room.RoleCommander, c.snap(), 120, 40)
			c.keys(m)
			if incOf(m) == nil {
				t.Fatalf("no dialog open:\n%s", screen(m))
			}
			run(m, press(m, km.Back))
			if incOf(m) != nil {
				t.Fatal("esc left the dialog open")
			}
			mustCalls(t, r)
			mustShow(t, m, "cancelled · nothing sent")
		})
	}
}

func TestObserverSeesNoIncidentKeysAndIsRefusedByTheRoom(t *testing.T) {
	m, r := incModel(t, "sam", room.RoleObserver, panestest.IncidentSnapshot(), 200, 60)
	km := m.km
	press(m, km.Pane[paneIncident])
	foot := footerText(m)
	for _, k := range []string{"tick step", "add note", "advance", "change level", "hand over", "write report", "drill", "declare"} {
		if strings.Contains(foot, k) {
			t.Fatalf("observer's footer offers %q: %q", k, foot)
		}
	}
	press(m, km.Help)
	help := screen(m)
	for _, k := range []string{"declare incident", "tick step", "add note", "pin note", "change level", "hand over command", "advance status", "write report", "start/stop drill"} {
		if strings.Contains(help, k) {
			t.Fatalf("observer's help lists %q:\n%s", k, help)
		}
	}
	press(m, km.Back)

	// A forced key is refused at once with who may: nothing opens and
	// nothing reaches the room.
	if cmd := press(m, km.Tick); cmd != nil {
		t.Fatal("a refused key made a command")
	}
	mustShow(t, m, "✖ sam is observer: only commanders and operators may declare incidents and work the checklist")
	if incOf(m) != nil {
		t.Fatal("a refused key opened a dialog")
	}
	mustCalls(t, r)
	run(m, press(m, km.Report))
	mustShow(t, m, "sam is observer: only commanders and operators may declare incidents and work the checklist")
}

func TestCommanderFooterOffersTheIncidentKeys(t *testing.T) {
	m, _ := incModel(t, "ana", room.RoleCommander, panestest.IncidentSnapshot(), 200, 60)
	press(m, m.km.Pane[paneIncident])
	press(m, m.km.Down)
	press(m, m.km.Down)
	press(m, m.km.Down)
	foot := footerText(m)
	for _, k := range []string{"t tick step", "S → mitigated", "n add note", "m pin note", "L change level", "H hand over command"} {
		if !strings.Contains(foot, k) {
			t.Fatalf("footer lacks %q: %q", k, foot)
		}
	}
	// On a ticked step there is nothing to tick.
	press(m, m.km.Top)
	if foot := footerText(m); strings.Contains(foot, "tick step") {
		t.Fatalf("footer offers to tick a done step: %q", foot)
	}
}

func TestIncidentCommandsReachTheRoom(t *testing.T) {
	km := keymaps.Default()
	m, r := incModel(t, "ana", room.RoleCommander, panestest.IncidentSnapshot(), 120, 40)
	press(m, km.Pane[paneIncident])

	// Tick the step under the cursor, with a note.
	press(m, km.Down)
	press(m, km.Down)
	press(m, km.Down)
	press(m, km.Tick)
	mustShow(t, m, "Tick step 4: root cause and fix")
	runAll(m, typeKeys(m, "rsync restarted"))
	run(m, press(m, km.Confirm))

	// Advance: the dialog names the next status.
	press(m, km.Advance)
	mustShow(t, m, "INC-20260822-1 is identified. Move it to mitigated?", "[identified] · → MITIGATED")
	run(m, press(m, km.Confirm))

	// Change the level: the current one is marked and refused.
	press(m, km.Level)
	mustShow(t, m, "> 2  level 2 (major) · now")
	run(m, press(m, km.Confirm))
	mustShow(t, m, "already level 2")
	press(m, km.Down)
	run(m, press(m, km.Confirm))

	// Hand over: the people present who may command, or a typed name.
	press(m, km.HandOver)
	mustShow(t, m, "Commander now: ana", "> li.wei", "mei")
	if got := strings.Join(incOf(m).form.(*handOverForm).names, " "); got != "li.wei mei" {
		t.Fatalf("offered command to %q, want li.wei and mei (not the observer sam)", got)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyDown})
	mustShow(t, m, "enter hands command to mei")
	run(m, press(m, km.Confirm))
	press(m, km.HandOver)
	runAll(m, typeKeys(m, "bob"))
	run(m, press(m, km.Confirm))

	// A pinned note, then pinning the one unpinned note of the timeline.
	press(m, km.Note)
	runAll(m, typeKeys(m, "tokyo back at 14:10"))
	m.Update(tea.KeyMsg{Type: tea.KeyTab})
	mustShow(t, m, "[x] pin it as a key moment")
	run(m, press(m, km.Confirm))
	press(m, km.Pin)
	mustShow(t, m, "> 13:58 mei        customers asking on twitter")
	run(m, press(m, km.Confirm))

	// The report: where it went.
	run(m, press(m, km.Report))
	mustShow(t, m, "report written to /var/lib/warroom/reports/INC-20260822-1.md")

	mustCalls(t, r,
		`tick 4 "rsync restarted" by ana`,
		"advance to mitigated by ana",
		"level 3 by ana",
		"hand over to mei by ana",
		"hand over to bob by ana",
		`note "tokyo back at 14:10" pinned=true by ana`,
		"pin 26 by ana",
	)
}

func TestRoomErrorKeepsATypedDialogOpen(t *testing.T) {
	m, r := incModel(t, "ana", room.RoleCommander, panestest.Snapshot(), 120, 40)
	r.inc.err = fmt.Errorf("journal: disk full")
	press(m, m.km.Note)
	runAll(m, typeKeys(m, "a note"))
	run(m, press(m, m.km.Confirm))
	mustShow(t, m, "✖ journal: disk full", "a note")
	if incOf(m) == nil {
		t.Fatal("the note was lost with the room's error")
	}
}

func TestDrillStartsWithItsGoalsShownAndEveryoneSeesTheBanner(t *testing.T) {
	km := keymaps.Default()
	m, r := incModel(t, "ana", room.RoleCommander, panestest.Snapshot(), 120, 40)
	press(m, km.Drill)
	mustShow(t, m, "Start a drill", "> dns-failure", "regional-outage")
	press(m, km.Down)
	load := press(m, km.Confirm)
	mustShow(t, m, "loading regional-outage…")
	run(m, press(m, km.Confirm)) // nothing to start before it is loaded
	mustCalls(t, r)
	run(m, load)
	mustShow(t, m, "Start drill regional-outage", "every mirror in ap-northeast goes down", "lasts at most 20m",
		"actions run dry", "detect within 1m", "failover within 5m",
		"at 30s: region-down region ap-northeast for 10m", "at 2m: webhook-fail channel ops-slack until the end")
	run(m, press(m, km.Confirm))
	mustCalls(t, r, "start drill regional-outage from examples/drills/regional-outage.yaml by ana")

	// Every session, whatever its role, shows the banner while it runs.
	for _, role := range []room.Role{room.RoleCommander, room.RoleObserver} {
		o, _ := incModel(t, "sam", role, panestest.DrillSnapshot(), 80, 24)
		if head := strings.Split(screen(o), "\n")[0]; !strings.Contains(head, "DRILL") || !strings.Contains(head, "12m left") {
			t.Fatalf("%s: header lacks the DRILL banner: %q", role, head)
		}
		w, _ := incModel(t, "sam", role, panestest.DrillSnapshot(), 160, 48)
		if head := strings.Split(screen(w), "\n")[0]; !strings.Contains(head, "DRILL regional-outage · 12m left") {
			t.Fatalf("%s: wide header lacks the drill's name: %q", role, head)
		}
	}
}

// endedDrill is the drill of DrillSnapshot ended, as the room keeps it:
// its incident's id stays with it.
func endedDrill() *room.Snapshot {
	s := panestest.EndedDrillSnapshot()
	s.Seq = panestest.DrillSnapshot().Seq + 1
	s.Drill.Incident = "DRILL-20260822-1"
	return s
}

// A drill's end never opens its scorecard by itself (it took the next key
// in every session): it waits in the banner, for every role, until the
// review key opens it, and once closed it stays closed.
func TestScorecardWaitsInTheBannerUntilTheReviewKey(t *testing.T) {
	m, _ := incModel(t, "sam", room.RoleObserver, panestest.DrillSnapshot(), 200, 60)
	ended := endedDrill()
	if _, cmd := m.Update(SnapshotMsg{Snap: ended}); cmd != nil || cardOf(m) != nil {
		t.Fatal("the scorecard opened by itself when the drill ended")
	}
	mustShow(t, m, "▲ press ! to review · drill DRILL-20260822-1 ended: 1 of 3 goals met (regional-outage)", "! review what waits")
	if strings.Contains(screen(m), "Drill scorecard") {
		t.Fatal("the scorecard shows before the review key")
	}
	press(m, m.km.Help) // an observer's help lists the key too
	if !strings.Contains(screen(m), "review what waits") {
		t.Fatalf("the help lacks the review key:\n%s", screen(m))
	}
	press(m, m.km.Back)
	press(m, m.km.Pane[panePresence]) // a key meant for the room still reaches it
	if m.focus != panePresence || cardOf(m) != nil {
		t.Fatalf("the key went elsewhere: focus %d, scorecard open %t", m.focus, cardOf(m) != nil)
	}

	press(m, m.km.Review)
	mustShow(t, m, "Drill scorecard: regional-outage", "failover", "✖ missed (1m12s late)", "1 of 3 goals met")
	if strings.Contains(screen(m), "to review") {
		t.Fatal("the banner still offers the scorecard shown")
	}
	press(m, m.km.Back)
	m.Update(SnapshotMsg{Snap: next(ended, func(*room.Snapshot) {})})
	press(m, m.km.Pane[paneIncident])
	if out := screen(m); strings.Contains(out, "Drill scorecard") || strings.Contains(out, "to review") {
		t.Fatalf("the scorecard came back after it was closed:\n%s", out)
	}
	mustShow(t, m, "last drill: regional-outage · 1 of 3 goals met")
	press(m, m.km.Review)
	mustShow(t, m, "nothing waits for your review")
}

// The scorecard waits behind what asks for an answer: a rule's proposal
// acts on the real room now, the drill's result does not expire.
func TestReviewKeyOpensTheScorecardAfterAProposal(t *testing.T) {
	km := keymaps.Default()
	m, _ := actModel(t, km, panestest.ProposalSnapshot(), 160, 48)
	m.Update(SnapshotMsg{Snap: next(m.snap, func(s *room.Snapshot) { s.Drill = endedDrill().Drill })})
	mustShow(t, m, "press ! to review (2 waiting) · proposal: rule active-down")
	run(m, press(m, km.Review))
	mustShow(t, m, "Rule active-down proposes failover")
	if cardOf(m) != nil {
		t.Fatal("the scorecard opened with the proposal")
	}
	run(m, press(m, km.Back))
	press(m, km.Pane[paneActions])
	run(m, press(m, km.Back)) // sets the proposal aside
	mustShow(t, m, "press ! to review · drill DRILL-20260822-1 ended")
	press(m, km.Review)
	mustShow(t, m, "Drill scorecard: regional-outage")
}

// On a small screen a declared incident stays behind its key in the
// hosts' place (the title marks it); the key shows it.
func TestIncidentShowsInTheHostsPlaceOnItsKey(t *testing.T) {
	m, _ := incModel(t, "ana", room.RoleCommander, panestest.Snapshot(), 80, 24)
	mustShow(t, m, "3 Hosts")
	m.Update(SnapshotMsg{Snap: panestest.IncidentSnapshot()})
	mustShow(t, m, "3 Hosts · 8 ▲ L2 identified · 9")
	press(m, m.km.Pane[paneIncident])
	mustShow(t, m, "[ 8 Incident", "L2 Asia mirrors down")
	press(m, m.km.Pane[panePresence])
	mustShow(t, m, "[ 9 People", "li.wei (you)")
	press(m, m.km.Pane[paneHosts])
	mustShow(t, m, "[ 3 Hosts")
	// A wide, tall screen shows them all.
	size(m, 160, 48)
	mustShow(t, m, "8 Incident", "3 Hosts", "RTO 30m: 14m left")
}
