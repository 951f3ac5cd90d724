package room

import (
	"bufio"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"warroom/backends/config"
	"warroom/backends/drill"
	"warroom/backends/journal"
)

// throughJournal journals facts the way the room does (Fields, JSON) and reads
// them back.
func throughJournal[T any](t *testing.T, kind string, fields map[string]string, read func(Event) T) T {
	t.Helper()
	b, err := json.Marshal(Event{Kind: kind, Fields: fields})
	if err != nil {
		t.Fatal(err)
	}
	var back Event
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	return read(back)
}

func TestEveryKindsPayloadSurvivesTheJournal(t *testing.T) {
	at := time.Date(2026, 11, 21, 3, 10, 30, 123456789, time.UTC)
	card := &drill.Scorecard{Scenario: "tokyo-dies", Started: at, Ended: at.Add(time.Minute), EndReason: drill.EndGoalsMet,
		Goals: []drill.GoalScore{{Name: "detect", Target: time.Minute, Achieved: 9 * time.Second, Reached: true, Met: true}}}
	req := Request{Kind: Failover, From: "tokyo", To: "osaka"}
	actionKinds := map[string]ActionFacts{
		EvActionRequested: {ID: "act-1", Request: req, Executor: "edge", Plan: []string{"a", "b"}, Batches: 2,
			RPO: 42 * time.Second, RPOKnown: true, DryRun: true},
		EvActionAwaiting:  {ID: "act-1", Request: Request{Kind: Rollback, Target: "web", Version: "v1"}, Executor: "deploy", Expires: at},
		EvActionApproved:  {ID: "act-1"},
		EvActionRejected:  {ID: "act-1", Reason: "not now"},
		EvActionExpired:   {ID: "act-1", Why: "nobody approved it"},
		EvActionStarted:   {ID: "act-1"},
		EvActionOutput:    {ID: "act-1", Line: "switched"},
		EvActionPaused:    {ID: "act-1", Batch: 1, Error: "w2 refused"},
		EvActionResumed:   {ID: "act-1", Decision: decisionAbort},
		EvActionSucceeded: {ID: "act-1", Request: req, Confirmed: "osaka READY", DryRun: true},
		EvActionFailed:    {ID: "act-1", Request: Request{Kind: Failover}, State: ActionTimedOut, Error: "deadline"},
		EvActionUnknown:   {ID: "act-1"},
		EvActionProposed:  {Request: Request{Kind: Failover, From: "tokyo", To: "osaka", Rule: "auto"}, Reason: "tokyo down"},
		EvActionDismissed: {Request: Request{Rule: "auto"}},
		EvRollbackSeen:    {ID: "act-1", Request: Request{Version: "v1"}},
		// An RPO known to be zero stays known.
		"rpo zero": {ID: "act-2", RPOKnown: true},
	}
	for kind, want := range actionKinds {
		if got := throughJournal(t, kind, want.Fields(), Event.ActionFacts); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", kind, got, want)
		}
	}
	postKinds := map[string]PostFacts{
		EvPostQueued: {ID: "post-1", Channel: "slack", Kind: "slack", Template: "outage", Phase: "investigating",
			Title: "Tokyo down", Text: "moved to osaka", Key: "k1", Drill: true},
		EvPostSending:  {ID: "post-1", Attempt: 1, Merged: []string{"post-1", "post-2"}},
		EvPostSent:     {ID: "post-1", Attempt: 2},
		EvPostRetrying: {ID: "post-1", Attempt: 1, Error: "HTTP 502", RetryAt: at},
		EvPostFailed:   {ID: "post-1", Attempt: 3, Error: "HTTP 400"},
		EvPostUnknown:  {ID: "post-1", Attempt: 1},
		EvPostRequeued: {ID: "post-1"},
	}
	for kind, want := range postKinds {
		if got := throughJournal(t, kind, want.Fields(), Event.PostFacts); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", kind, got, want)
		}
	}
	incidentKinds := map[string]IncidentFacts{
		EvIncidentProposed: {Level: 2, Reason: "critical alert"},
		EvIncidentDeclared: {Level: 2, Title: "tokyo down", Commander: "ana", Drill: true, RTO: 15 * time.Minute,
			RPO: 10 * time.Minute, Detected: at, Serving: []string{"tokyo", "osaka"}},
		EvIncidentLevel:     levelChange(2, 3),
		EvIncidentCommander: {From: "ana", To: "bo"},
		EvIncidentStatus:    {From: StatusInvestigating, To: StatusIdentified, Jump: StatusClosed, ByEvent: EvDrillEnded},
		EvIncidentStep:      {Step: 2, Note: "failover done", Auto: true, ByEvent: EvActionSucceeded, DoneAt: at},
		EvNoteAdded:         {Pinned: true},
		EvNotePinned:        {NoteSeq: 9},
	}
	for kind, want := range incidentKinds {
		if got := throughJournal(t, kind, want.Fields(), Event.IncidentFacts); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", kind, got, want)
		}
	}
	if got := throughJournal(t, EvIncidentLevel, levelChange(2, 3).Fields(), Event.IncidentFacts).LevelTo(); got != 3 {
		t.Errorf("level change read back as level %d", got)
	}
	drillKinds := map[string]DrillFacts{
		EvDrillStarted: {File: "drills/tokyo.yaml", Live: true, Incident: "DRILL-20261121-1", Duration: 20 * time.Minute,
			Description: "tokyo dies"},
		EvDrillFault: {FaultKind: drill.KindMirrorDown, FaultState: FaultApplied, Mirrors: []string{"tokyo", "osaka"}},
		EvDrillEnded: {Reason: "stopped by ana: enough", Scorecard: card, Incident: "DRILL-20261121-1"},
	}
	for kind, want := range drillKinds {
		if got := throughJournal(t, kind, want.Fields(), Event.DrillFacts); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", kind, got, want)
		}
	}
	mirror := MirrorFacts{From: StateUp, To: StateDown, Reason: "unreachable", Since: at}
	if got := throughJournal(t, EvMirrorState, mirror.Fields(), Event.MirrorFacts); !reflect.DeepEqual(got, mirror) {
		t.Errorf("mirror.state: got %+v, want %+v", got, mirror)
	}
	if got := throughJournal(t, EvRoomOpened, MirrorFacts{Mirrors: 3}.Fields(), Event.MirrorFacts); got.Mirrors != 3 {
		t.Errorf("room.opened: %+v", got)
	}
	alert := AlertFacts{Alert: "mirror-down/tokyo", Text: "tokyo down"}
	for _, kind := range []string{EvAlertRaised, EvAlertCleared, EvAlertAcked} {
		if got := throughJournal(t, kind, alert.Fields(), Event.AlertFacts); got != alert {
			t.Errorf("%s: got %+v, want %+v", kind, got, alert)
		}
	}
	presence := map[string]PresenceFacts{
		EvPresenceJoined: {Role: RoleOperator, Via: "ssh", Remote: "10.0.0.7", Presence: "n2/p2", Node: "n2"},
		EvPresenceLeft:   {Role: RoleOperator, Presence: "n2/p2", Node: "n2"},
		EvPenHanded:      {From: "ana", To: "bo"},
	}
	for kind, want := range presence {
		if got := throughJournal(t, kind, want.Fields(), Event.PresenceFacts); got != want {
			t.Errorf("%s: got %+v, want %+v", kind, got, want)
		}
	}
	leader := LeaderFacts{Node: "eu-1", Term: "42"}
	if got := throughJournal(t, EvRoomLeader, leader.Fields(), Event.LeaderFacts); got != leader {
		t.Errorf("room.leader: got %+v, want %+v", got, leader)
	}
}

// Each facts type journals each of its fields under its own key: two
// fields sharing one would overwrite each other.
func TestFactsKeysAreDistinct(t *testing.T) {
	for name, slots := range map[string][]slot{
		"ActionFacts": (&ActionFacts{}).slots(), "PostFacts": (&PostFacts{}).slots(),
		"IncidentFacts": (&IncidentFacts{}).slots(), "DrillFacts": (&DrillFacts{}).slots(),
		"MirrorFacts": (&MirrorFacts{}).slots(), "AlertFacts": (&AlertFacts{}).slots(),
		"PresenceFacts": (&PresenceFacts{}).slots(), "LeaderFacts": (&LeaderFacts{}).slots(),
	} {
		seen := map[string]bool{}
		for _, s := range slots {
			k := reflect.ValueOf(s).Field(0).String()
			if seen[k] {
				t.Errorf("%s: key %q used twice", name, k)
			}
			seen[k] = true
		}
	}
}

// A failure's state is journaled as an identifier; journals written
// before that carry the words and still read back.
func TestActionStateIsJournaledAsAnIdentifier(t *testing.T) {
	f := ActionFacts{ID: "act-1", State: ActionTimedOut}.Fields()
	if f[keyState] != "timed_out" {
		t.Errorf("timed out journaled as %q, want timed_out", f[keyState])
	}
	for _, old := range []string{"timed out", "timed_out"} {
		if got := (Event{Fields: map[string]string{keyState: old}}).ActionFacts().State; got != ActionTimedOut {
			t.Errorf("state %q read as %q", old, got)
		}
	}
}

// oldJournal is testdata/old_journal.jsonl: a worked incident as warroom
// wrote it before payloads were typed (states as words, "drill":"false",
// "attempt":"0", seconds-only stamps).
func oldJournal(t *testing.T) []journal.Record {
	t.Helper()
	f, err := os.Open("testdata/old_journal.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []journal.Record
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		recs = append(recs, journal.Record{Seq: uint64(len(recs) + 1), Data: append([]byte(nil), sc.Bytes()...)})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return recs
}

// rewritten is ev as this build journals it: read through its facts and
// written again.
func rewritten(ev Event) Event {
	fam, _, _ := strings.Cut(ev.Kind, ".")
	switch fam {
	case "action", "rollback":
		ev.Fields = ev.ActionFacts().Fields()
	case "post":
		ev.Fields = ev.PostFacts().Fields()
	case "incident", "note":
		ev.Fields = ev.IncidentFacts().Fields()
	case "drill":
		ev.Fields = ev.DrillFacts().Fields()
	case "mirror", "room":
		ev.Fields = ev.MirrorFacts().Fields()
	case "alert":
		ev.Fields = ev.AlertFacts().Fields()
	case "presence", "pen":
		ev.Fields = ev.PresenceFacts().Fields()
	}
	return ev
}

func replayConfig() *config.Config {
	cfg := actionConfig()
	cfg.Notify.Cadence = 20 * time.Minute
	cfg.Notify.Channels = []config.Channel{{Name: "slack", Kind: "slack", Public: true}, {Name: "ding", Kind: "dingtalk"}}
	cfg.Actions.Pen = true
	return cfg
}

// durable is the part of a snapshot the journal decides, with the events
// kept in it reduced to what does not depend on the payload's spelling.
func durable(s *Snapshot) map[string]any {
	inc := *s.Incident
	inc.Pinned = nil
	for _, e := range s.Incident.Pinned {
		inc.Pinned = append(inc.Pinned, Event{Seq: e.Seq, Kind: e.Kind, Text: e.Text})
	}
	return map[string]any{"actions": s.Actions, "proposals": s.Proposals, "posts": s.Posts, "next": s.NextUpdateDue,
		"pen": s.Pen, "alerts": s.Alerts, "incident": inc}
}

func TestOldJournalReplaysToTheSameState(t *testing.T) {
	old := oldJournal(t)
	var now []journal.Record
	for _, r := range old {
		var ev Event
		if err := json.Unmarshal(r.Data, &ev); err != nil {
			t.Fatalf("record %d: %v", r.Seq, err)
		}
		b, _ := json.Marshal(rewritten(ev))
		now = append(now, journal.Record{Seq: r.Seq, Data: b})
	}
	if !strings.Contains(string(old[17].Data), `"state":"timed out"`) || !strings.Contains(string(now[17].Data), `"state":"timed_out"`) {
		t.Fatalf("want the failure's state in words, rewritten as an identifier:\n%s\n%s", old[17].Data, now[17].Data)
	}
	replay := func(recs []journal.Record) *Snapshot {
		h := startRoom(t, Options{Config: replayConfig(), Journal: &memJournal{}, Outbox: &memOutbox{}, Replay: recs})
		return h.settle()
	}
	was, is := replay(old), replay(now)
	if got, want := durable(is), durable(was); !reflect.DeepEqual(got, want) {
		t.Errorf("replayed state differs:\nold format %+v\nnew format %+v", want, got)
	}
	// And the state is the incident as it was worked.
	if a := was.Actions[0]; a.ID != "act-1" || a.State != ActionTimedOut || a.Err != "context deadline exceeded" {
		t.Errorf("act-1 = %s %q, want timed out", a.State, a.Err)
	}
	if a := was.Actions[1]; a.State != ActionSucceeded || a.Confirmed != "osaka READY" || a.Plan == nil {
		t.Errorf("act-2 = %+v", a)
	}
	inc := was.Incident
	if inc.Level != 3 || inc.Commander != "bo" || inc.Status != StatusIdentified || len(inc.Pinned) != 2 ||
		!inc.Detected.Equal(t0.Add(2*time.Second)) || inc.RTO == 0 {
		t.Errorf("incident = level %d, commander %s, %s, %d pinned, detected %s, rto %s",
			inc.Level, inc.Commander, inc.Status, len(inc.Pinned), inc.Detected, inc.RTO)
	}
	if !inc.Steps[1].Auto || inc.Steps[1].By != EvActionSucceeded || !inc.Steps[2].Done || inc.Steps[3].Note != "customers told by phone" {
		t.Errorf("steps = %+v", inc.Steps)
	}
	if was.Pen != "bo" || len(was.Alerts) != 1 || !was.Alerts[0].Acked {
		t.Errorf("pen %q, alerts %+v", was.Pen, was.Alerts)
	}
}
