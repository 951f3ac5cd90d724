package room

import "time"

// Event kinds. Events are the durable facts of the room: appended to the
// journal before they take effect, replayed at start, shown in the timeline.
const (
	EvRoomOpened   = "room.opened"
	EvMirrorState  = "mirror.state" // a mirror changed state (up/degraded/down)
	EvAlertRaised  = "alert.raised" // raised, or escalated to a higher severity
	EvAlertCleared = "alert.cleared"
	EvAlertAcked   = "alert.acked"
)

// Event is one durable fact. Seq is the journal's sequence number.
type Event struct {
	Seq     uint64            `json:"seq,omitempty"`
	At      time.Time         `json:"at"`
	Kind    string            `json:"kind"`
	Subject string            `json:"subject,omitempty"` // mirror, host or alert id
	Actor   string            `json:"actor,omitempty"`   // the person; empty for the world
	Level   string            `json:"level,omitempty"`   // up, degraded, down, warning, critical, info
	Text    string            `json:"text"`              // one human line for the timeline
	Fields  map[string]string `json:"fields,omitempty"`  // machine-readable details
}
