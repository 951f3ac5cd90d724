package room

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"warroom/backends/actions"
	"warroom/backends/mirrors"
	"warroom/backends/notify"
)

func operator(name string) Actor { return Actor{Name: name, Role: RoleOperator} }
func observer(name string) Actor { return Actor{Name: name, Role: RoleObserver} }
func comms(name string) Actor    { return Actor{Name: name, Role: RoleComms} }

// downTokyo takes the active mirror down at `at` (two failed probes).
func (h *harness) downTokyo(at time.Time) {
	h.r.ObserveProbe(ok("tokyo", at.Add(-2*time.Second), mirrors.SyncInfo{}))
	h.r.ObserveProbe(fail("tokyo", at.Add(-time.Second)))
	h.r.ObserveProbe(fail("tokyo", at))
}

func (h *harness) declare(level int, title string, actor Actor) string {
	h.t.Helper()
	id, err := h.r.Declare(context.Background(), IncidentSpec{Level: level, Title: title}, actor)
	if err != nil {
		h.t.Fatalf("Declare: %v", err)
	}
	return id
}

// count is how many journaled events have kind and, if given, a field value.
func count(evs []Event, kind, field, value string) int {
	n := 0
	for _, e := range evs {
		if e.Kind == kind && (field == "" || e.Fields[field] == value) {
			n++
		}
	}
	return n
}

func TestIncidentStatusOrderIsEnforced(t *testing.T) {
	j := &memJournal{}
	h := newHarness(t, j, nil)
	ctx := context.Background()
	boss := commander("ana")
	id := h.declare(2, "tokyo unreachable", boss)
	if id != "INC-20261121-1" {
		t.Fatalf("id = %q, want INC-20261121-1 from the room clock", id)
	}
	s := h.settle()
	if s.Incident == nil || s.Incident.Status != StatusInvestigating || s.Incident.Commander != "ana" || s.Incident.Level != 2 {
		t.Fatalf("incident after declaring: %+v", s.Incident)
	}
	// A jump forward records every status passed.
	if err := h.r.Advance(ctx, StatusMitigated, operator("bo")); err != nil {
		t.Fatal(err)
	}
	evs := j.events(t)
	if n := count(evs, EvIncidentStatus, "", ""); n != 2 {
		t.Fatalf("jump to mitigated journaled %d status events, want 2 (identified, mitigated)", n)
	}
	if count(evs, EvIncidentStatus, "to", StatusIdentified) != 1 || count(evs, EvIncidentStatus, "to", StatusMitigated) != 1 {
		t.Fatalf("status events: %v", j.kinds(t))
	}
	for _, back := range []string{StatusIdentified, StatusInvestigating, StatusMitigated} {
		err := h.r.Advance(ctx, back, boss)
		if err == nil {
			t.Fatalf("going to %s from mitigated was accepted", back)
		}
	}
	err := h.r.Advance(ctx, StatusIdentified, boss)
	if !strings.Contains(err.Error(), "cannot go back") {
		t.Errorf("refusal %q should say it cannot go back", err)
	}
	if err := h.r.Advance(ctx, "fixed", boss); err == nil || !strings.Contains(err.Error(), "investigating, identified") {
		t.Errorf("unknown status: %v, want the list of statuses", err)
	}
	// Closing is the commander's.
	var forbidden *ForbiddenError
	if err := h.r.Advance(ctx, StatusClosed, operator("bo")); !errors.As(err, &forbidden) {
		t.Fatalf("operator closed the incident: %v", err)
	}
	if err := h.r.Advance(ctx, StatusResolved, operator("bo")); err != nil {
		t.Fatal(err)
	}
	if err := h.r.Advance(ctx, StatusClosed, boss); err != nil {
		t.Fatal(err)
	}
	if s := h.settle(); s.Incident != nil {
		t.Fatalf("closed incident still shown: %+v", s.Incident)
	}
	if err := h.r.Advance(ctx, StatusResolved, boss); err == nil {
		t.Fatal("advancing with no open incident was accepted")
	}
	if id := h.declare(1, "osaka slow", boss); id != "INC-20261121-2" {
		t.Fatalf("second incident of the day = %q, want INC-20261121-2", id)
	}
}

func TestOneIncidentAtATime(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	first := h.declare(1, "tokyo slow", commander("ana"))
	_, err := h.r.Declare(context.Background(), IncidentSpec{Level: 3, Title: "everything down"}, commander("bo"))
	if err == nil || !strings.Contains(err.Error(), first) || !strings.Contains(err.Error(), "tokyo slow") {
		t.Fatalf("second declaration: %v, want a refusal naming %s", err, first)
	}
	for _, bad := range []IncidentSpec{{Level: 0, Title: "x"}, {Level: 4, Title: "x"}} {
		h2 := newHarness(t, &memJournal{}, nil)
		if _, err := h2.r.Declare(context.Background(), bad, commander("ana")); err == nil || !strings.Contains(err.Error(), "levels are 1") {
			t.Errorf("level %d: %v", bad.Level, err)
		}
	}
}

func TestIncidentCommandsCheckRoles(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	ctx := context.Background()
	var forbidden *ForbiddenError
	if _, err := h.r.Declare(ctx, IncidentSpec{Level: 1, Title: "x"}, observer("ola")); !errors.As(err, &forbidden) ||
		!strings.Contains(err.Error(), "ola is observer") {
		t.Fatalf("observer declared: %v", err)
	}
	if _, err := h.r.Declare(ctx, IncidentSpec{Level: 1, Title: "x"}, comms("cy")); !errors.As(err, &forbidden) {
		t.Fatalf("comms declared: %v", err)
	}
	id := h.declare(1, "tokyo slow", operator("bo"))
	s := h.settle()
	if s.Incident.ID != id || s.Incident.Commander != "bo" {
		t.Fatalf("commander defaults to the declaring person: %+v", s.Incident)
	}
	for name, err := range map[string]error{
		"operator sets level":   h.r.SetLevel(ctx, 2, operator("bo")),
		"operator hands over":   h.r.HandOver(ctx, "ana", operator("bo")),
		"observer ticks":        h.r.Tick(ctx, 4, "", observer("ola")),
		"comms advances":        h.r.Advance(ctx, StatusIdentified, comms("cy")),
		"observer pins":         h.r.Pin(ctx, 1, observer("ola")),
		"operator starts drill": h.r.StartDrill(ctx, nil, "", operator("bo")),
	} {
		if !errors.As(err, &forbidden) {
			t.Errorf("%s: %v, want a ForbiddenError", name, err)
		}
	}
	if _, err := h.r.Note(ctx, "watching", false, observer("ola")); !errors.As(err, &forbidden) {
		t.Errorf("observer added a note: %v", err)
	}
	if _, err := h.r.Note(ctx, "drafting the update", false, comms("cy")); err != nil {
		t.Errorf("comms note: %v", err)
	}
	if err := h.r.Tick(ctx, 4, "bad config push", operator("bo")); err != nil {
		t.Errorf("operator tick: %v", err)
	}
	if err := h.r.SetLevel(ctx, 3, commander("ana")); err != nil {
		t.Errorf("commander level: %v", err)
	}
	if err := h.r.HandOver(ctx, "ana", commander("ana")); err != nil {
		t.Errorf("commander hand over: %v", err)
	}
	s = h.settle()
	if s.Incident.Level != 3 || s.Incident.Commander != "ana" || !s.Incident.Steps[3].Done || s.Incident.Steps[3].By != "bo" ||
		s.Incident.Steps[3].Note != "bad config push" || s.Incident.Steps[3].Auto {
		t.Fatalf("incident: %+v", s.Incident)
	}
	if err := h.r.Tick(ctx, 4, "again", operator("bo")); err == nil || !strings.Contains(err.Error(), "already ticked by bo") {
		t.Errorf("second tick of step 4: %v", err)
	}
	if err := h.r.Tick(ctx, 7, "", operator("bo")); err == nil {
		t.Error("step 7 accepted")
	}
}

// The checklist ticks itself from the room's events, once, and replay
// rebuilds the same incident without recording the ticks again.
func TestChecklistTicksFromEventsAndReplays(t *testing.T) {
	j := &memJournal{}
	out := &memOutbox{}
	exec := &fakeExec{}
	cfg := actionConfig()
	cfg.Notify.Channels = postConfig().Notify.Channels
	opts := Options{Config: cfg, Journal: j, Outbox: out, HungGrace: 20 * time.Millisecond,
		Executors: map[string]actions.Executor{"edge": exec, "deploy": exec}}
	h := startRoom(t, opts)
	ctx := context.Background()
	h.downTokyo(t0.Add(10 * time.Second))
	h.settle()
	id := h.declare(2, "tokyo down", commander("ana"))
	if err := h.r.Ack(ctx, "mirror-down/tokyo", operator("bo")); err != nil {
		t.Fatal(err)
	}
	act, err := h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, commander("ana"))
	if err != nil {
		t.Fatal(err)
	}
	h.waitAction(act, ActionSucceeded)
	ids, err := h.r.Announce(ctx, hello, comms("cy"))
	if err != nil {
		t.Fatal(err)
	}
	h.r.PostReport(notify.Report{PostID: ids[0], Channel: "slack", State: notify.StateSent, Attempt: 1})
	h.r.PostReport(notify.Report{PostID: ids[1], Channel: "ding", State: notify.StateSent, Attempt: 1})
	s := h.settle()
	steps := s.Incident.Steps
	for n, by := range map[int]string{1: EvAlertAcked, 2: EvActionSucceeded, 3: EvPostSent} {
		st := steps[n-1]
		if !st.Done || !st.Auto || st.By != by {
			t.Errorf("step %d (%s) = %+v, want ticked by %s", n, st.Name, st, by)
		}
	}
	if steps[3].Done || steps[4].Done || steps[5].Done {
		t.Errorf("steps 4–6 ticked by themselves: %+v", steps[3:])
	}
	// Failback ticks step 5.
	back, err := h.r.Act(ctx, Request{Kind: Failback, From: "osaka", To: "tokyo"}, commander("ana"))
	if err != nil {
		t.Fatal(err)
	}
	h.waitAction(back, ActionSucceeded)
	s = h.settle()
	if st := s.Incident.Steps[4]; !st.Done || st.By != EvActionSucceeded {
		t.Fatalf("step 5 after failback: %+v", st)
	}
	evs := j.events(t)
	// Automatic ticks keep the timeline's numbers the journal's.
	for _, e := range s.Timeline {
		if e.Seq == 0 || e.Seq > uint64(len(evs)) || evs[e.Seq-1].Kind != e.Kind || evs[e.Seq-1].Text != e.Text {
			t.Fatalf("timeline event %d %s %q is not journal record %d", e.Seq, e.Kind, e.Text, e.Seq)
		}
	}
	if n := count(evs, EvIncidentStep, "auto", "true"); n != 4 {
		t.Fatalf("%d automatic ticks journaled, want 4 (two posts sent tick step 3 once)", n)
	}
	// Replay: the same incident, and no tick recorded again.
	before := len(evs)
	h2 := startRoom(t, Options{Config: cfg, Journal: j, Replay: j.records(), Outbox: &memOutbox{},
		Executors: map[string]actions.Executor{"edge": exec, "deploy": exec}})
	s2 := h2.settle()
	if s2.Incident == nil || s2.Incident.ID != id {
		t.Fatalf("replayed incident: %+v", s2.Incident)
	}
	if !reflect.DeepEqual(s2.Incident.Steps, s.Incident.Steps) || s2.Incident.RTODue != s.Incident.RTODue ||
		s2.Incident.Status != s.Incident.Status || s2.Incident.Commander != s.Incident.Commander {
		t.Fatalf("replay differs:\n got %+v\nwant %+v", s2.Incident, s.Incident)
	}
	evs = j.events(t)
	if n := count(evs[before:], EvIncidentStep, "", ""); n != 0 {
		t.Fatalf("replay recorded %d checklist ticks again", n)
	}
}

func TestRTOClockCountsFromTheFirstAlert(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	origin := mirrors.SyncInfo{Beacon: t0.Add(time.Minute)}
	h.r.ObserveProbe(ok("origin", t0, origin))
	h.r.ObserveProbe(ok("tokyo", t0, mirrors.SyncInfo{Beacon: t0.Add(-20 * time.Second)}))
	downAt := t0.Add(30 * time.Second)
	h.r.ObserveProbe(fail("tokyo", downAt.Add(-time.Second)))
	h.r.ObserveProbe(fail("tokyo", downAt))
	h.settle()
	h.clock.Advance(4 * time.Minute)
	h.declare(2, "tokyo down", commander("ana"))
	s := h.settle()
	inc := s.Incident
	if !inc.Detected.Equal(downAt) {
		t.Fatalf("detected = %v, want the alert's raising %v", inc.Detected, downAt)
	}
	if inc.RTO != 15*time.Minute || !inc.RTODue.Equal(downAt.Add(15*time.Minute)) {
		t.Fatalf("rto %v due %v, want 15m after detection (%v)", inc.RTO, inc.RTODue, downAt.Add(15*time.Minute))
	}
	if inc.RPO != 30*time.Second {
		t.Errorf("rpo = %v, want the configured 30s", inc.RPO)
	}
	if inc.Serving != "tokyo" || !inc.ExposureKnown || inc.Exposure != 80*time.Second {
		t.Errorf("exposure %v (known %v) of %q, want tokyo's lag 80s", inc.Exposure, inc.ExposureKnown, inc.Serving)
	}

	// With no alert open, the clock starts at the declaration.
	h2 := newHarness(t, &memJournal{}, nil)
	h2.clock.Advance(time.Hour)
	h2.declare(1, "users report slowness", commander("ana"))
	s2 := h2.settle()
	if !s2.Incident.Detected.IsZero() || !s2.Incident.RTODue.Equal(t0.Add(time.Hour+15*time.Minute)) {
		t.Fatalf("no alert: detected %v, due %v", s2.Incident.Detected, s2.Incident.RTODue)
	}
}

func TestRoomProposesAnIncidentOncePerCrossing(t *testing.T) {
	j := &memJournal{}
	h := newHarness(t, j, nil)
	if s := h.settle(); s.IncidentProposal != nil {
		t.Fatalf("proposal with nothing wrong: %+v", s.IncidentProposal)
	}
	h.downTokyo(t0.Add(10 * time.Second))
	s := h.settle()
	p := s.IncidentProposal
	if p == nil || p.Level != 1 || !strings.Contains(p.Reason, "tokyo") {
		t.Fatalf("active mirror down: proposal %+v, want level 1 naming tokyo", p)
	}
	for i := 0; i < 5; i++ {
		h.r.ObserveProbe(fail("tokyo", t0.Add(time.Duration(11+i)*time.Second)))
	}
	h.r.ObserveProbe(fail("osaka", t0.Add(20*time.Second)))
	h.r.ObserveProbe(fail("osaka", t0.Add(21*time.Second)))
	s = h.settle()
	if p := s.IncidentProposal; p == nil || p.Level != 3 || !strings.Contains(p.Reason, "every mirror is down (tokyo, osaka)") {
		t.Fatalf("both mirrors down: proposal %+v, want level 3 naming them in config order", p)
	}
	evs := j.events(t)
	if count(evs, EvIncidentProposed, "", "") != 2 || count(evs, EvIncidentProposed, "level", "1") != 1 ||
		count(evs, EvIncidentProposed, "level", "3") != 1 {
		t.Fatalf("want one proposal per crossing (1, then 3): %v", j.kinds(t))
	}
	// Accepting is declaring at that level; the title defaults to the reason.
	id, err := h.r.Declare(context.Background(), IncidentSpec{Level: s.IncidentProposal.Level}, commander("ana"))
	if err != nil {
		t.Fatal(err)
	}
	s = h.settle()
	if s.IncidentProposal != nil || s.Incident.ID != id || !strings.Contains(s.Incident.Title, "every mirror") {
		t.Fatalf("after accepting: proposal %+v, incident %+v", s.IncidentProposal, s.Incident)
	}
	// Closing it while everything is still down proposes again.
	if err := h.r.Advance(context.Background(), StatusClosed, commander("ana")); err != nil {
		t.Fatal(err)
	}
	if p := h.settle().IncidentProposal; p == nil || p.Level != 3 {
		t.Fatalf("after closing with every mirror down: proposal %+v", p)
	}
	if n := count(j.events(t), EvIncidentProposed, "level", "3"); n != 2 {
		t.Fatalf("%d level-3 proposals journaled, want 2 (before and after the incident)", n)
	}
	// With proposals off, nothing is proposed.
	cfg := testConfig()
	cfg.Incident.Propose.Off = true
	h2 := startRoom(t, Options{Config: cfg, Journal: &memJournal{}})
	h2.downTokyo(t0.Add(10 * time.Second))
	if s := h2.settle(); s.IncidentProposal != nil {
		t.Fatalf("proposals off, got %+v", s.IncidentProposal)
	}
}

func TestNotesArePinnedAndReplayed(t *testing.T) {
	j := &memJournal{}
	h := newHarness(t, j, nil)
	ctx := context.Background()
	early, err := h.r.Note(ctx, "osaka answers slowly since 02:50", false, comms("cy"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.r.Note(ctx, "key moment", true, operator("bo")); err == nil {
		t.Fatal("pinned a note with no incident open")
	}
	id := h.declare(1, "osaka slow", commander("ana"))
	if _, err := h.r.Note(ctx, "cause: full disk on osaka", true, operator("bo")); err != nil {
		t.Fatal(err)
	}
	if err := h.r.Pin(ctx, early, commander("ana")); err != nil {
		t.Fatal(err)
	}
	if err := h.r.Pin(ctx, early, commander("ana")); err == nil || !strings.Contains(err.Error(), "already pinned") {
		t.Fatalf("second pin: %v", err)
	}
	if err := h.r.Pin(ctx, 9999, commander("ana")); err == nil {
		t.Fatal("pinned a note that does not exist")
	}
	s := h.settle()
	var texts []string
	for _, p := range s.Incident.Pinned {
		texts = append(texts, p.Text)
	}
	if strings.Join(texts, "|") != "cause: full disk on osaka|osaka answers slowly since 02:50" {
		t.Fatalf("pinned = %q", texts)
	}
	for _, e := range j.events(t) {
		if e.Kind == EvNoteAdded && e.Text == "cause: full disk on osaka" && e.Subject != id {
			t.Errorf("note during the incident has subject %q, want %s", e.Subject, id)
		}
	}
	h2 := newHarness(t, &memJournal{}, j.records())
	s2 := h2.settle()
	if !reflect.DeepEqual(s2.Incident.Pinned, s.Incident.Pinned) {
		t.Fatalf("replayed pins differ:\n got %+v\nwant %+v", s2.Incident.Pinned, s.Incident.Pinned)
	}
}
