package report

import (
	"time"

	"warroom/backends/drill"
)

// Report is the review of one incident (or drill, or — when nobody declared
// one — of the span from the first alert to the last recovery).
type Report struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Drill    bool   `json:"drill"`
	Declared bool   `json:"declared"` // false: no incident.declared; built from the alerts' span
	Level    int    `json:"level"`    // the last level; 0 when none was declared
	Status   string `json:"status"`   // the last status; "" when none was declared

	DeclaredBy string    `json:"declared_by,omitempty"`
	DeclaredAt time.Time `json:"declared_at,omitzero"`
	FirstAlert time.Time `json:"first_alert,omitzero"` // zero when no alert was raised
	Start      time.Time `json:"start"`                // the first event the report covers
	End        time.Time `json:"end"`                  // the last one
	Closed     bool      `json:"closed"`               // the journal shows the incident closed

	Commanders    []Tenure         `json:"commanders"`
	Levels        []LevelChange    `json:"levels"`
	Responders    []Responder      `json:"responders"`
	Timeline      []Moment         `json:"timeline"`
	Durations     []Measure        `json:"durations"`
	RTO           Objective        `json:"rto"`
	RPO           Objective        `json:"rpo"`
	Steps         []Step           `json:"steps"`
	Actions       []Action         `json:"actions"`
	Announcements []Announcement   `json:"announcements"`
	Notes         []Note           `json:"notes"`
	Silences      []Silence        `json:"silences"`
	Escalations   []Escalation     `json:"escalations"`
	Scenario      *Scenario        `json:"scenario,omitempty"` // the drill's scenario, for drills
	Scorecard     *drill.Scorecard `json:"-"`                  // as drill.ended recorded it
}

// Tenure is one commander's time in command.
type Tenure struct {
	Name string    `json:"name"`
	From time.Time `json:"from"`
	By   string    `json:"by,omitempty"` // who handed command over; "" at declaration
}

// LevelChange is a level the incident took: the declared one first.
type LevelChange struct {
	Level int       `json:"level"`
	At    time.Time `json:"at"`
	By    string    `json:"by,omitempty"`
}

// Responder is one person who acted, with their room role when known.
type Responder struct {
	Name string   `json:"name"`
	Role string   `json:"role,omitempty"` // commander, operator, comms, observer
	Did  []string `json:"did"`            // "acknowledged 2 alerts", "requested failover act-1"
}

// Moment is one line of the timeline.
type Moment struct {
	At   time.Time `json:"at"`
	Kind string    `json:"kind"` // a stable label: first-alert, declared, failover-confirmed, …
	What string    `json:"what"`
	Who  string    `json:"who,omitempty"`
}

// Measure is one duration of the response, from one moment to another.
type Measure struct {
	Name  string        `json:"name"`  // "time to acknowledge"
	Since string        `json:"since"` // what it counts from: "first alert"
	Until string        `json:"until"` // what it counts to: "first acknowledgement"
	Known bool          `json:"known"` // false: the second moment never came
	Took  time.Duration `json:"-"`
}

// Objective is the RTO or the RPO: the target, what happened, and the verdict.
type Objective struct {
	Target   time.Duration `json:"-"`
	Set      bool          `json:"set"`     // a target was declared
	Achieved time.Duration `json:"-"`       // time to restore (RTO) or data exposure (RPO)
	Known    bool          `json:"known"`   // Achieved is measured
	Verdict  string        `json:"verdict"` // met, missed, pending, unknown, no target
	Detail   string        `json:"detail"`  // one sentence saying how it was measured
}

// Verdicts of an Objective.
const (
	Met      = "met"
	Missed   = "missed"
	Pending  = "pending" // not restored yet, still within the target
	Unknown  = "unknown" // nothing to measure
	NoTarget = "no target"
)

// Step is one of the six checklist steps.
type Step struct {
	N    int       `json:"n"`
	Name string    `json:"name"`
	Done bool      `json:"done"`
	At   time.Time `json:"at,omitzero"`
	By   string    `json:"by,omitempty"` // the person, or the event that ticked it
	Auto bool      `json:"auto"`
	Note string    `json:"note,omitempty"`
}

// Action is one failover, failback or rollback and how it ended.
type Action struct {
	ID          string        `json:"id"`
	Kind        string        `json:"kind"` // failover, failback, rollback
	What        string        `json:"what"` // "failover tokyo → osaka"
	Executor    string        `json:"executor,omitempty"`
	RequestedBy string        `json:"requested_by"`
	RequestedAt time.Time     `json:"requested_at"`
	ApprovedBy  string        `json:"approved_by,omitempty"`
	StartedAt   time.Time     `json:"started_at,omitzero"`
	EndedAt     time.Time     `json:"ended_at,omitzero"`
	Outcome     string        `json:"outcome"` // succeeded, failed, timed out, unknown, rejected, expired, awaiting approval, running
	Detail      string        `json:"detail,omitempty"`
	RPO         time.Duration `json:"-"` // the target's sync lag when confirmed
	RPOKnown    bool          `json:"rpo_known"`
}

// Announcement is one update as queued, with its delivery on each channel.
type Announcement struct {
	Title      string     `json:"title"`
	Phase      string     `json:"phase,omitempty"`
	Template   string     `json:"template,omitempty"`
	QueuedBy   string     `json:"queued_by"`
	QueuedAt   time.Time  `json:"queued_at"`
	Drill      bool       `json:"drill"`
	Deliveries []Delivery `json:"deliveries"`
}

// Delivery is an announcement's fate on one channel.
type Delivery struct {
	Channel  string    `json:"channel"`
	PostID   string    `json:"post_id"`
	State    string    `json:"state"` // sent, failed, unknown, queued, sending, retrying
	At       time.Time `json:"at"`    // when it reached that state
	Attempts int       `json:"attempts"`
	Error    string    `json:"error,omitempty"`
}

// Note is a line someone added to the timeline.
type Note struct {
	Seq    uint64    `json:"seq"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Text   string    `json:"text"`
	Pinned bool      `json:"pinned"`
}

// Scenario is the drill that ran as this incident.
type Scenario struct {
	Name    string    `json:"name"`
	File    string    `json:"file,omitempty"`
	Live    bool      `json:"live"`
	Started time.Time `json:"started"`
	Ended   time.Time `json:"ended,omitzero"`
	Reason  string    `json:"reason,omitempty"`
}

// Summary is one line of List: an incident or drill in the journal.
type Summary struct {
	ID         string    `json:"id"`
	Title      string    `json:"title"`
	Level      int       `json:"level"`
	Drill      bool      `json:"drill"`
	Declared   bool      `json:"declared"` // false for the undeclared span
	DeclaredAt time.Time `json:"declared_at,omitzero"`
	Status     string    `json:"status"`
	Scenario   string    `json:"scenario,omitempty"`
}
