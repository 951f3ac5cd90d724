package room

import (
	"time"

	"warroom/backends/drill"
)

// Incident events: the incident's life, its checklist and the notes of the
// timeline. Incident state is the replay of these.
const (
	EvIncidentProposed  = "incident.proposed"  // alerts crossed a level's threshold; Fields{level, reason}
	EvIncidentDeclared  = "incident.declared"  // Subject = id; Fields{level, title, commander, drill, rto, rpo, detected, serving}
	EvIncidentLevel     = "incident.level"     // Fields{from, to}
	EvIncidentCommander = "incident.commander" // Fields{from, to}
	EvIncidentStatus    = "incident.status"    // Fields{from, to}
	EvIncidentStep      = "incident.step"      // Fields{step, note, auto, by_event}
	EvNoteAdded         = "note.added"         // Text = the note; Fields{pinned}
	EvNotePinned        = "note.pinned"        // Fields{note_seq}
)

// Drill events: a rehearsed outage in the room.
const (
	EvDrillStarted = "drill.started" // Subject = scenario; Fields{file, live, incident}
	EvDrillFault   = "drill.fault"   // Subject = mirror/region/channel; Fields{kind, state: applied|removed}
	EvDrillEnded   = "drill.ended"   // Subject = scenario; Fields{reason, scorecard}
)

// Incident statuses, in the only order an incident may move through them.
const (
	StatusInvestigating = "investigating"
	StatusIdentified    = "identified"
	StatusMitigated     = "mitigated"
	StatusResolved      = "resolved"
	StatusClosed        = "closed"
)

// Statuses lists the incident statuses in order.
func Statuses() []string {
	return []string{StatusInvestigating, StatusIdentified, StatusMitigated, StatusResolved, StatusClosed}
}

// StepNames are the six steps of the playbooks' checklist, in order; step n
// (1–6) is StepNames()[n-1].
func StepNames() [6]string {
	return [6]string{
		"diagnose scope",
		"switch to a backup mirror",
		"notify",
		"root cause and fix",
		"verify and switch back",
		"review",
	}
}

// IncidentSpec is what a person declares.
type IncidentSpec struct {
	Level     int    // 1 (minor) to 3 (major)
	Title     string // one line
	Commander string // "" = the declaring person
}

// IncidentView is the open incident as the panes show it.
type IncidentView struct {
	ID        string // INC-20261121-1, or DRILL-20261121-1 for a drill
	Level     int
	Title     string
	Commander string
	Status    string
	Declared  time.Time
	// Detected is when the first alert still open at declaration was
	// raised; zero when none was open.
	Detected time.Time
	Drill    bool
	RTO      time.Duration
	// RTODue counts from Detected when an alert was open at declaration
	// (the outage began then, not when someone noticed), else from
	// Declared.
	RTODue time.Time
	RPO    time.Duration
	// Restored is when service came back within this incident: every
	// active mirror up again after the outage (or, with no outage, the
	// status reaching mitigated); zero while not restored. The RTO is
	// met only by a restoration, never by a status alone.
	Restored time.Time
	// Exposure is the sync lag of the mirror serving now (the active one,
	// or its stand-in after a failover): the data a user may be missing.
	// Valid when ExposureKnown.
	Exposure      time.Duration
	ExposureKnown bool
	Serving       string // the mirror whose lag Exposure is
	Steps         [6]StepView
	Pinned        []Event // pinned notes, oldest first
	// The playbook's decision clocks (decision_clock.go), from journaled
	// events only: the first critical alert of the incident, the first
	// decision to act and who made it, and when an action then started.
	FirstCritical   time.Time
	DecidedAt       time.Time
	DecidedBy       string
	DecidedAction   string // the act-N decided
	ActionStartedAt time.Time
}

// StepView is one checklist step.
type StepView struct {
	Name string
	Done bool
	At   time.Time
	By   string // the person, or the event kind for an automatic tick
	Note string
	Auto bool // ticked by an event, not by hand
}

// IncidentProposal is the room's suggestion to declare an incident, shown
// while no incident is open and the alerts cross a configured level.
type IncidentProposal struct {
	Level  int
	Reason string // "tokyo and osaka down (2 regions)"
	Since  time.Time
}

// DrillView is the drill running in the room, or the last one's result.
type DrillView struct {
	Name      string
	File      string
	Incident  string // the drill incident's id
	Started   time.Time
	Ends      time.Time // the time limit
	Live      bool      // actions run for real
	Faults    []string  // the faults applied now, one line each
	Goals     []drill.GoalScore
	Ended     bool
	Reason    string           // why it ended
	Scorecard *drill.Scorecard // set once ended
}
