package room

import (
	"strconv"
	"time"
)

// IncidentFacts is the payload of the incident.* and note.* events; each
// kind sets the part it needs.
type IncidentFacts struct {
	Level     int    // proposed, declared
	Reason    string // proposed
	Title     string // declared, and the rest of declared's facts
	Commander string
	Drill     bool
	RTO, RPO  time.Duration
	Detected  time.Time // when the trouble began, if known
	Serving   []string  // the mirrors serving when declared

	// From and To are a change of level (as numbers), commander or
	// status; Jump is the status asked for when one passes through several.
	From, To, Jump string
	ByEvent        string // the event kind that made a change or ticked a step

	Step   int // step: its number, from 1
	Note   string
	Auto   bool
	DoneAt time.Time // step: when it was really done, if earlier

	Pinned  bool   // note.added
	NoteSeq uint64 // note.pinned: the note's seq
}

func (i *IncidentFacts) slots() []slot {
	return []slot{num{keyLevel, &i.Level}, text[string]{keyReason, &i.Reason}, text[string]{keyTitle, &i.Title},
		text[string]{keyCommander, &i.Commander}, flag{keyDrill, &i.Drill}, dur{keyRTO, &i.RTO}, dur{keyRPO, &i.RPO},
		stamp{keyDetected, &i.Detected}, list{keyServing, ",", &i.Serving}, text[string]{keyFrom, &i.From},
		text[string]{keyTo, &i.To}, text[string]{keyJump, &i.Jump}, text[string]{keyByEvent, &i.ByEvent},
		num{keyStep, &i.Step}, text[string]{keyNote, &i.Note}, flag{keyAuto, &i.Auto}, stamp{keyDoneAt, &i.DoneAt},
		flag{keyPinned, &i.Pinned}, seq{keyNoteSeq, &i.NoteSeq}}
}

// Fields is the payload as journaled.
func (i IncidentFacts) Fields() map[string]string { return encode(i.slots()) }

// IncidentFacts reads an incident or note event's payload.
func (e Event) IncidentFacts() IncidentFacts { return read[IncidentFacts](e) }

// LevelTo is the level an incident.level event set; 0 if unreadable.
func (i IncidentFacts) LevelTo() int {
	n, _ := strconv.Atoi(i.To)
	return n
}

// Pinned reports whether a note.added event's note was pinned as written.
func (e Event) Pinned() bool { return e.IncidentFacts().Pinned }

// levelChange is incident.level's payload.
func levelChange(from, to int) IncidentFacts {
	return IncidentFacts{From: strconv.Itoa(from), To: strconv.Itoa(to)}
}
