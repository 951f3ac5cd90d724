package panestest

import (
	"time"

	"warroom/backends/drill"
	"warroom/backends/room"
)

// People are four sessions in the room: the local commander, an operator
// and a comms person over SSH, and an observer; p2 (li.wei) holds the pen.
func People() []room.PresenceView {
	at := Now()
	ago := func(d time.Duration) time.Time { return at.Add(-d) }
	return []room.PresenceView{
		{ID: "p1", Name: "ana", Role: room.RoleCommander, Via: "local", Since: ago(2 * time.Hour), Pane: "incident"},
		{ID: "p2", Name: "li.wei", Role: room.RoleOperator, Via: "ssh", Remote: "10.0.4.17:52144", Since: ago(14 * time.Minute), Pane: "mirrors"},
		{ID: "p3", Name: "mei", Role: room.RoleComms, Via: "ssh", Remote: "10.0.4.22:40022", Since: ago(9 * time.Minute), Pane: "posts"},
		{ID: "p4", Name: "sam", Role: room.RoleObserver, Via: "ssh", Remote: "192.168.7.3:61000", Since: ago(40 * time.Second)},
	}
}

// IncidentSnapshot is Snapshot with the four People present and a level 2
// incident declared by ana 12 minutes ago: identified, its RTO of 30
// minutes counting from the first alert 16 minutes ago (14 minutes left),
// 4m05s of exposure against an RPO of 5 minutes on ams-2, steps 1 (by hand,
// with a note), 2 and 3 (by events) ticked, and two pinned notes.
func IncidentSnapshot() *room.Snapshot {
	s := Snapshot()
	at := Now()
	ago := func(d time.Duration) time.Time { return at.Add(-d) }
	s.Presence = People()
	s.Pen, s.PenRequired = "li.wei", true
	steps := [6]room.StepView{}
	for i, n := range room.StepNames() {
		steps[i].Name = n
	}
	steps[0] = room.StepView{Name: steps[0].Name, Done: true, At: ago(11 * time.Minute), By: "li.wei", Note: "tokyo and osaka only; eu fine"}
	steps[1] = room.StepView{Name: steps[1].Name, Done: true, At: ago(6 * time.Minute), By: room.EvActionSucceeded, Auto: true}
	steps[2] = room.StepView{Name: steps[2].Name, Done: true, At: ago(4 * time.Minute), By: room.EvPostSent, Auto: true}
	s.Incident = &room.IncidentView{
		ID: "INC-20260822-1", Level: 2, Title: "Asia mirrors down", Commander: "ana",
		Status: room.StatusIdentified, Declared: ago(12 * time.Minute), Detected: ago(16 * time.Minute),
		RTO: 30 * time.Minute, RTODue: ago(16 * time.Minute).Add(30 * time.Minute),
		RPO: 5 * time.Minute, Exposure: 4*time.Minute + 5*time.Second, ExposureKnown: true, Serving: "ams-2",
		Steps: steps,
	}
	// Three of the timeline's events become notes: li.wei's and ana's
	// pinned, mei's not.
	notes := []struct {
		i      int
		actor  string
		text   string
		pinned bool
	}{
		{23, "li.wei", "upstream rsync to tokyo stuck since 13:40", true},
		{25, "mei", "customers asking on twitter", false},
		{27, "ana", "next update to customers at 14:20", true},
	}
	for _, n := range notes {
		e := &s.Timeline[n.i]
		*e = room.Event{Seq: e.Seq, At: e.At, Kind: room.EvNoteAdded, Actor: n.actor, Level: "info", Text: n.text}
		if n.pinned {
			e.Fields = room.IncidentFacts{Pinned: true}.Fields()
			s.Incident.Pinned = append(s.Incident.Pinned, *e)
		}
	}
	return s
}

// IncidentProposalSnapshot is Snapshot with no incident open and the room
// proposing level 2 for two minutes.
func IncidentProposalSnapshot() *room.Snapshot {
	s := Snapshot()
	s.Presence = People()
	s.IncidentProposal = &room.IncidentProposal{Level: 2, Reason: "tokyo and osaka down (2 regions)", Since: Now().Add(-2 * time.Minute)}
	return s
}

// DrillSnapshot is IncidentSnapshot turned into the "regional outage"
// drill, 8 minutes in with 12 left: detection met, failover reached late,
// the first announcement pending.
func DrillSnapshot() *room.Snapshot {
	s := IncidentSnapshot()
	at := Now()
	s.Incident.ID, s.Incident.Drill, s.Incident.Title = "DRILL-20260822-1", true, "regional outage (drill)"
	s.Drill = &room.DrillView{
		Name: "regional-outage", File: "examples/drills/regional-outage.yaml", Incident: "DRILL-20260822-1",
		Started: at.Add(-8 * time.Minute), Ends: at.Add(12 * time.Minute),
		Faults: []string{"tokyo down", "osaka down"},
		Goals: []drill.GoalScore{
			{Name: "detect", Target: time.Minute, Achieved: 42 * time.Second, Reached: true, Met: true},
			{Name: "failover", Target: 5 * time.Minute, Achieved: 6*time.Minute + 12*time.Second, Reached: true},
			{Name: "announce", Target: 10 * time.Minute},
		},
	}
	return s
}

// Scorecard is the "regional outage" drill's result: ended at its time
// limit after 20 minutes with one goal met, one late, one never reached.
func Scorecard() *drill.Scorecard {
	at := Now()
	return &drill.Scorecard{
		Scenario: "regional-outage", Started: at.Add(-20 * time.Minute), Ended: at, EndReason: drill.EndTimeLimit,
		Goals: []drill.GoalScore{
			{Name: "detect", Target: time.Minute, Achieved: 42 * time.Second, Reached: true, Met: true},
			{Name: "failover", Target: 5 * time.Minute, Achieved: 6*time.Minute + 12*time.Second, Reached: true},
			{Name: "announce", Target: 10 * time.Minute},
		},
	}
}

// EndedDrillSnapshot is Snapshot after the drill ended: no incident open,
// the Scorecard kept.
func EndedDrillSnapshot() *room.Snapshot {
	s := Snapshot()
	s.Presence = People()
	sc := Scorecard()
	s.Drill = &room.DrillView{Name: sc.Scenario, Started: sc.Started, Ends: sc.Ended, Goals: sc.Goals,
		Ended: true, Reason: sc.EndReason, Scorecard: sc}
	return s
}
