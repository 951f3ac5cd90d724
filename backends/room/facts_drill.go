package room

import (
	"encoding/json"
	"time"

	"warroom/backends/drill"
)

// DrillFacts is the payload of the drill.* events; each kind sets the
// part it needs.
type DrillFacts struct {
	File        string // started: the scenario's file
	Live        bool
	Incident    string // started, ended: the drill's incident
	Duration    time.Duration
	Description string

	FaultKind  string   // fault
	FaultState string   // fault: applied or removed
	Mirrors    []string // fault: the mirrors it names

	Reason    string           // ended: why, in words
	Scorecard *drill.Scorecard // ended
}

// Fault states of drill.fault.
const (
	FaultApplied = "applied"
	FaultRemoved = "removed"
)

func (d *DrillFacts) slots() []slot {
	return []slot{text[string]{keyFile, &d.File}, flag{keyLive, &d.Live}, text[string]{keyIncident, &d.Incident},
		dur{keyDuration, &d.Duration}, text[string]{keyDescription, &d.Description}, text[string]{keyKind, &d.FaultKind},
		text[string]{keyState, &d.FaultState}, list{keyMirrors, ",", &d.Mirrors}, text[string]{keyReason, &d.Reason},
		scorecard{keyScorecard, &d.Scorecard}}
}

// Fields is the payload as journaled.
func (d DrillFacts) Fields() map[string]string { return encode(d.slots()) }

// DrillFacts reads a drill event's payload; a scorecard that does not
// parse is left out.
func (e Event) DrillFacts() DrillFacts { return read[DrillFacts](e) }

// scorecard is a drill's scorecard as JSON.
type scorecard struct {
	k string
	v **drill.Scorecard
}

func (s scorecard) put(f map[string]string) {
	if *s.v != nil {
		b, _ := json.Marshal(*s.v)
		f[s.k] = string(b)
	}
}

func (s scorecard) get(f map[string]string) {
	*s.v = nil
	var card drill.Scorecard
	if t := f[s.k]; t != "" && json.Unmarshal([]byte(t), &card) == nil {
		*s.v = &card
	}
}
