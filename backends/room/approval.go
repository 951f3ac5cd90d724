package room

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Approval events: an operator's request that the policy (actions.approvals)
// holds for a commander.
const (
	EvActionAwaiting = "action.awaiting" // the request waits; Fields as action.requested plus "expires"
	EvActionApproved = "action.approved" // Actor approved it; the worker starts
	EvActionRejected = "action.rejected" // Actor rejected it (a reason)
	EvActionExpired  = "action.expired"  // nobody answered in time, or warroom restarted first
)

// needsApproval says whether actor's request of this kind must wait for a
// commander: commanders never wait, and the policy names the incident levels
// at which others do (with no incident open, any listed level applies).
func (st *state) needsApproval(kind string, actor Actor) bool {
	if actor.Role == RoleCommander {
		return false
	}
	levels := st.cfg.Actions.Approvals[kind]
	if len(levels) == 0 {
		return false
	}
	level := st.incidentLevel()
	return level == 0 || slices.Contains(levels, level)
}

// holdForApproval turns a request event into one that waits for approval.
func (st *state) holdForApproval(ev *Event, now time.Time) {
	due := now.Add(st.cfg.Actions.ApprovalExpiry)
	ev.Kind = EvActionAwaiting
	f := ev.ActionFacts()
	f.Expires = due
	ev.Fields = f.Fields()
	ev.Text = fmt.Sprintf("%s asks to %s (%s): waiting for a commander's approval until %s",
		ev.Actor, f.Request.String(), f.ID, due.Format("15:04:05"))
}

// Approve lets an awaiting request run. Only commanders approve, and
// nobody approves their own request.
func (r *Room) Approve(ctx context.Context, id string, actor Actor) error {
	if err := allow(actor, PermApprove); err != nil {
		return err
	}
	var j *job
	err := r.doMany(ctx, func() ([]Event, error) {
		a, err := r.st.awaiting(id, actor)
		if err != nil {
			return nil, err
		}
		j = r.st.held[id]
		return []Event{{At: r.clock.Now(), Kind: EvActionApproved, Subject: subjectOf(a.view.Request), Actor: actor.Name,
			Level: "info", Text: fmt.Sprintf("%s approved %s's %s (%s)", actor.Name, a.view.RequestedBy, a.view.Request.String(), id),
			Fields: ActionFacts{ID: id}.Fields()}}, nil
	}, func([]Event) { r.st.attach(j) })
	if err != nil {
		return err
	}
	if j == nil { // held before a restart: nothing can run it (unfinished expires these)
		return fmt.Errorf("%s cannot start: its worker was lost; ask for it again", id)
	}
	go r.runJob(j)
	return nil
}

// Reject refuses an awaiting request, with a reason for the requester.
func (r *Room) Reject(ctx context.Context, id, reason string, actor Actor) error {
	if err := allow(actor, PermApprove); err != nil {
		return err
	}
	return r.do(ctx, func() (Event, error) {
		a, err := r.st.awaiting(id, actor)
		if err != nil {
			return Event{}, err
		}
		text := fmt.Sprintf("%s rejected %s's %s (%s)", actor.Name, a.view.RequestedBy, a.view.Request.String(), id)
		if reason != "" {
			text += ": " + reason
		}
		return Event{At: r.clock.Now(), Kind: EvActionRejected, Subject: subjectOf(a.view.Request), Actor: actor.Name,
			Level: "warning", Text: text, Fields: ActionFacts{ID: id, Reason: reason}.Fields()}, nil
	})
}

// awaiting finds a request actor may answer.
func (st *state) awaiting(id string, actor Actor) (*actionState, error) {
	a, ok := st.actByID[id]
	switch {
	case !ok:
		return nil, fmt.Errorf("no action %q", id)
	case a.view.State != ActionAwaiting:
		return nil, fmt.Errorf("%s is %s, not awaiting approval", id, a.view.State)
	case a.view.RequestedBy == actor.Name:
		return nil, fmt.Errorf("%s is your own request: another commander must approve it", id)
	}
	return a, nil
}

// expireApprovals ends requests nobody answered in time.
func (st *state) expireApprovals(now time.Time) {
	for _, a := range st.acts {
		if a.view.State == ActionAwaiting && !now.Before(a.view.ApprovalDue) {
			st.expire(a, now, "nobody approved it by "+a.view.ApprovalDue.Format("15:04:05"))
		}
	}
}

func (st *state) expire(a *actionState, now time.Time, why string) {
	st.record(Event{At: now, Kind: EvActionExpired, Subject: subjectOf(a.view.Request), Level: "warning",
		Text:   fmt.Sprintf("%s's %s (%s) expired: %s", a.view.RequestedBy, a.view.Request.String(), a.view.ID, why),
		Fields: ActionFacts{ID: a.view.ID, Why: why}.Fields()})
}

// applyApproval applies the approval events to an action's view.
func (st *state) applyApproval(ev Event, a *actionState) {
	v, f := &a.view, ev.ActionFacts()
	switch ev.Kind {
	case EvActionApproved:
		v.State, v.ApprovedBy, v.ApprovedAt = ActionRequested, ev.Actor, ev.At
	case EvActionRejected:
		v.State, v.EndedAt, v.RejectedBy, v.Err = ActionRejected, ev.At, ev.Actor, f.Reason
		st.release(a)
	case EvActionExpired:
		v.State, v.EndedAt, v.Err = ActionExpired, ev.At, f.Why
		st.release(a)
	}
	if v.State.Ended() {
		delete(st.held, v.ID)
	}
}
