package drill

import "time"

// Event is one of the room's events, as the drill needs it for scoring. The
// command converts the room's events into these and passes them to Observe.
type Event struct {
	At      time.Time // zero = now on the runner's clock
	Kind    string
	Subject string // mirror, host or alert subject
	Action  string // action.succeeded: failover, rollback…
	To      string // mirror.state: the state it went to
}

// The room's event kinds the score reads.
const (
	EvAlertRaised     = "alert.raised"     // detect
	EvAlertAcked      = "alert.acked"      // acknowledge
	EvActionSucceeded = "action.succeeded" // failover, rollback (Action)
	EvPostSent        = "post.sent"        // announce
	EvMirrorState     = "mirror.state"     // recover (To == "up")
)
