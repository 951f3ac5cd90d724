package room

import "time"

// MirrorFacts is the payload of mirror.state (and room.opened's count).
type MirrorFacts struct {
	From, To State
	Reason   string
	Since    time.Time // down or degraded: the streak's first sign
	Mirrors  int       // room.opened: how many mirrors the room watches
	Votes    []Vote    // judged over several vantages: each one's verdict
	Quiet    bool      // a flapping mirror's change: kept for replay, off the timeline
}

func (m *MirrorFacts) slots() []slot {
	return []slot{text[State]{keyFrom, &m.From}, text[State]{keyTo, &m.To}, text[string]{keyReason, &m.Reason},
		stamp{keySince, &m.Since}, num{keyMirrors, &m.Mirrors}, votes{keyVantages, &m.Votes}, flag{keyQuiet, &m.Quiet}}
}

// Fields is the payload as journaled.
func (m MirrorFacts) Fields() map[string]string { return encode(m.slots()) }

// MirrorFacts reads a mirror.state or room.opened event's payload.
func (e Event) MirrorFacts() MirrorFacts { return read[MirrorFacts](e) }

// AlertFacts is the payload of alert.raised, alert.cleared and alert.acked.
type AlertFacts struct {
	Alert string // the alert's id, e.g. mirror-down/tokyo
	Text  string // raised: the alert's line
}

func (a *AlertFacts) slots() []slot {
	return []slot{text[string]{keyAlert, &a.Alert}, text[string]{keyText, &a.Text}}
}

// Fields is the payload as journaled.
func (a AlertFacts) Fields() map[string]string { return encode(a.slots()) }

// AlertFacts reads an alert event's payload.
func (e Event) AlertFacts() AlertFacts { return read[AlertFacts](e) }

// PresenceFacts is the payload of presence.joined, presence.left and
// pen.handed.
type PresenceFacts struct {
	Role     Role
	Via      string // local or ssh
	Remote   string // the SSH client's address
	Presence string // the session's presence id
	Node     string // in a cluster: the node hosting the session
	From, To string // pen.handed: the holders
}

func (p *PresenceFacts) slots() []slot {
	return []slot{text[Role]{keyRole, &p.Role}, text[string]{keyVia, &p.Via}, text[string]{keyRemote, &p.Remote},
		text[string]{keyPresence, &p.Presence}, text[string]{keyNode, &p.Node}, text[string]{keyFrom, &p.From}, text[string]{keyTo, &p.To}}
}

// Fields is the payload as journaled.
func (p PresenceFacts) Fields() map[string]string { return encode(p.slots()) }

// PresenceFacts reads a presence or pen event's payload.
func (e Event) PresenceFacts() PresenceFacts { return read[PresenceFacts](e) }
