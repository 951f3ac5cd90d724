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
	// Paging and silences.
	EvAlertEscalated = "alert.escalated" // unacknowledged past ack_within; sent to the route's escalate receivers
	EvSilenceAdded   = "silence.added"
	EvSilenceExpired = "silence.expired" // ended by itself or by a person (Actor)
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

// Action events: every step of a failover, failback or rollback.
const (
	EvActionRequested = "action.requested" // confirmed by Actor; Fields carry the request and plan
	EvActionStarted   = "action.started"   // journaled before the executor runs
	EvActionOutput    = "action.output"    // one line of the executor's output
	EvActionPaused    = "action.paused"    // a batch failed; waiting for a decision
	EvActionResumed   = "action.resumed"   // a person decided: retry, continue or abort
	EvActionSucceeded = "action.succeeded" // the read-back confirmed it
	EvActionFailed    = "action.failed"    // failed or timed out (Fields["state"])
	EvActionUnknown   = "action.unknown"   // was running when the process died
	EvActionProposed  = "action.proposed"  // a rule proposes an action
	EvActionDismissed = "action.dismissed" // a person set a proposal aside
	EvRollbackSeen    = "rollback.verified"
)

// Announcement events: the outbox. A post is recorded before it is sent
// and its outcome after, so a restart knows what may have gone out.
const (
	EvPostQueued   = "post.queued"   // Actor asked for it; Fields carry channel, title, text
	EvPostSending  = "post.sending"  // journaled before each attempt
	EvPostSent     = "post.sent"     // the platform accepted it
	EvPostRetrying = "post.retrying" // an attempt failed and will be retried
	EvPostFailed   = "post.failed"   // final: a rejection, or out of attempts
	EvPostUnknown  = "post.unknown"  // was being sent when warroom stopped
	EvPostRequeued = "post.requeued" // a person asked to send a failed post again
)
