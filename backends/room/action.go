package room

import (
	"time"
)

// Action kinds.
const (
	Failover = "failover"
	Failback = "failback"
	Rollback = "rollback"
)

// ActionState is where an action is in its life.
type ActionState string

// Action states, in order; an action ends in one of the last four.
const (
	ActionRequested ActionState = "requested"
	ActionRunning   ActionState = "running"
	ActionPaused    ActionState = "paused" // a batch failed or soaked: waiting for a person to say how to go on
	ActionSucceeded ActionState = "succeeded"
	ActionFailed    ActionState = "failed"
	ActionTimedOut  ActionState = "timed out"
	ActionUnknown   ActionState = "outcome unknown"   // the process died while it ran: verify by hand
	ActionAwaiting  ActionState = "awaiting approval" // an operator's request waits for a commander
	ActionRejected  ActionState = "rejected"          // a commander said no
	ActionExpired   ActionState = "expired"           // nobody approved it in time
)

// Ended reports whether the action is over.
func (s ActionState) Ended() bool {
	switch s {
	case ActionSucceeded, ActionFailed, ActionTimedOut, ActionUnknown, ActionRejected, ActionExpired:
		return true
	}
	return false
}

// Request asks for an action. Failover and failback move traffic From → To;
// rollback takes Target back to Version.
type Request struct {
	Kind     string
	From, To string
	Target   string // rollback target; "" for failover/failback (the site)
	Version  string
	Rule     string // the rule that proposed it, if any
}

// Preview is what a request will do, shown before anyone confirms it.
type Preview struct {
	Request
	Executor string
	Kind     string // the executor's kind: haproxy, dns, exec, http
	Plan     []string
	Timeout  time.Duration
	Batches  [][]string    // rollback in batches: the instances of each
	Soak     time.Duration // rollback in batches: the wait after each but the last
	RPO      time.Duration
	RPOKnown bool
}

// ActionView is one action as views show it.
type ActionView struct {
	ID          string
	Request     Request
	Executor    string
	Plan        []string
	RPO         time.Duration
	RPOKnown    bool
	RequestedBy string
	RequestedAt time.Time
	State       ActionState
	StartedAt   time.Time
	EndedAt     time.Time
	Output      []string // the last lines of the executor's output
	OutputLines int      // lines of output so far; Output holds the last of them
	Confirmed   string   // what the read-back saw
	Err         string
	Batch       int // rollback in batches: the batch running or paused (1-based)
	Batches     int
	// SoakUntil: a rollback soaking after batch Batch, until then; zero
	// otherwise. Soaked: paused because that soak ended (not a failure),
	// so the choice is continue or abort.
	SoakUntil time.Time
	Soaked    bool
	Watching  []string // rollback: mirrors not yet reporting the version
	Verified  bool     // rollback: every watched mirror reports the version
	// Approval: when an operator's request waits for a commander, until
	// ApprovalDue; who approved (or rejected) it.
	ApprovalDue time.Time
	ApprovedBy  string
	ApprovedAt  time.Time
	RejectedBy  string
	// Urgent: approved (or needing no approval) and still not started
	// StartWithin later (decision_clock.go).
	Urgent bool
}

// Proposal is an action a rule suggests; it runs when a person confirms it
// (or at once, if the rule is automatic).
type Proposal struct {
	Rule    string
	Request Request
	Reason  string
	At      time.Time
}

// FailbackOffer says the original primary is healthy and caught up again.
type FailbackOffer struct {
	Request Request
	Reason  string
}
