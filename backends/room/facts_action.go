package room

import (
	"strconv"
	"time"
)

// ActionFacts is the payload of the action.* and rollback.verified events;
// each kind sets the part it needs (see the kinds' comments).
type ActionFacts struct {
	ID       string  // act-N; empty for proposals and dismissals
	Request  Request // requested, awaiting, proposed, succeeded, failed; Rule alone for dismissed
	Executor string
	Plan     []string
	Batches  int
	RPO      time.Duration // requested: how far behind the target was
	RPOKnown bool
	DryRun   bool          // requested during a dry-run drill
	Expires  time.Time     // awaiting: when the request expires
	Reason   string        // proposed: why; rejected: the commander's reason; paused: pauseSoakOver
	Why      string        // expired
	Line     string        // output
	Soak     time.Duration // output: a rollback batch's soak starts, this long
	Batch    int           // paused: the failed (or soaked) batch; output: the soaked batch
	Error    string        // paused (after a failure), failed
	Decision string        // resumed: retry, continue or abort
	// Confirmed is succeeded's read-back.
	Confirmed string
	// State is failed's outcome: ActionFailed or ActionTimedOut.
	State ActionState
	// Term is started's leader term in a cluster: the fencing token the
	// record was committed under before the executor ran.
	Term string
}

func (a *ActionFacts) slots() []slot {
	r := &a.Request
	return []slot{text[string]{keyID, &a.ID}, text[string]{keyAction, &r.Kind}, text[string]{keyFrom, &r.From},
		text[string]{keyTo, &r.To}, text[string]{keyTarget, &r.Target}, text[string]{keyVersion, &r.Version},
		text[string]{keyRule, &r.Rule}, text[string]{keyExecutor, &a.Executor}, list{keyPlan, "\n", &a.Plan},
		num{keyBatches, &a.Batches}, seconds{keyRPO, &a.RPO, &a.RPOKnown}, flag{keyDryRun, &a.DryRun},
		stamp{keyExpires, &a.Expires}, text[string]{keyReason, &a.Reason}, text[string]{keyWhy, &a.Why},
		text[string]{keyLine, &a.Line}, dur{keyDuration, &a.Soak}, num{keyBatch, &a.Batch}, text[string]{keyError, &a.Error},
		text[string]{keyDecision, &a.Decision}, text[string]{keyConfirmed, &a.Confirmed}, outcome{keyState, &a.State},
		text[string]{keyTerm, &a.Term}}
}

// Fields is the payload as journaled.
func (a ActionFacts) Fields() map[string]string { return encode(a.slots()) }

// ActionFacts reads an action event's payload.
func (e Event) ActionFacts() ActionFacts { return read[ActionFacts](e) }

// seconds is a duration in whole seconds that may be unknown (absent).
type seconds struct {
	k     string
	v     *time.Duration
	known *bool
}

func (s seconds) put(f map[string]string) {
	if *s.known {
		f[s.k] = strconv.FormatFloat(s.v.Seconds(), 'f', 0, 64)
	}
}

func (s seconds) get(f map[string]string) {
	n, err := strconv.ParseFloat(f[s.k], 64)
	*s.v, *s.known = time.Duration(n*float64(time.Second)), err == nil
}

// outcome is an action's state, journaled as an identifier.
type outcome struct {
	k string
	v *ActionState
}

func (s outcome) put(f map[string]string) { putStr(f, s.k, stateID(*s.v)) }
func (s outcome) get(f map[string]string) { *s.v = stateOf(f[s.k]) }

// stateID is the journal's name of an action state: an identifier, where
// the states themselves are words shown to people ("timed out").
func stateID(s ActionState) string {
	switch s {
	case ActionTimedOut:
		return "timed_out"
	case ActionUnknown:
		return "unknown"
	case ActionAwaiting:
		return "awaiting"
	}
	return string(s)
}

// stateOf reads a journaled state: its identifier, or the words older
// journals wrote ("timed out").
func stateOf(s string) ActionState {
	for _, st := range []ActionState{ActionTimedOut, ActionUnknown, ActionAwaiting} {
		if s == stateID(st) || s == string(st) {
			return st
		}
	}
	return ActionState(s)
}

// moveOf is the part of a request an outcome event repeats.
func moveOf(r Request) Request { return Request{Kind: r.Kind, From: r.From, To: r.To} }

// proposalFacts is action.proposed's payload: the rule, what it proposes
// and why.
func proposalFacts(rule string, req Request, reason string) map[string]string {
	req.Rule = rule
	return ActionFacts{Request: req, Reason: reason}.Fields()
}
