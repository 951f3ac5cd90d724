package report

import (
	"fmt"

	"warroom/backends/room"
)

// actionEvent follows one failover, failback or rollback through its events.
func (b *builder) actionEvent(ev room.Event) {
	f := ev.ActionFacts()
	id := f.ID
	switch ev.Kind {
	case room.EvActionRequested, room.EvActionAwaiting, room.EvActionApproved, room.EvActionRejected,
		room.EvActionExpired, room.EvActionStarted, room.EvActionResumed, room.EvActionSucceeded,
		room.EvActionFailed, room.EvActionUnknown:
	default:
		return
	}
	a := b.action(id)
	if a == nil {
		return
	}
	switch ev.Kind {
	case room.EvActionRequested, room.EvActionAwaiting:
		if ev.Kind == room.EvActionAwaiting {
			a.Outcome = string(room.ActionAwaiting)
		}
		b.moment(ev, "action-requested", fmt.Sprintf("%s requested (%s)", a.What, a.ID), ev.Actor)
		b.people.did(ev.Actor, fmt.Sprintf("requested %s (%s)", a.What, a.ID))
	case room.EvActionApproved:
		a.ApprovedBy, a.Outcome = ev.Actor, "approved"
		b.moment(ev, "action-approved", fmt.Sprintf("%s approved (%s)", a.What, a.ID), ev.Actor)
		b.people.did(ev.Actor, "approved "+a.ID)
	case room.EvActionRejected:
		a.EndedAt, a.Outcome, a.Detail = ev.At, string(room.ActionRejected), f.Reason
		b.moment(ev, "action-rejected", fmt.Sprintf("%s rejected (%s)", a.What, a.ID), ev.Actor)
		b.people.did(ev.Actor, "rejected "+a.ID)
	case room.EvActionExpired:
		a.EndedAt, a.Outcome, a.Detail = ev.At, string(room.ActionExpired), "no commander approved it in time"
	case room.EvActionStarted:
		a.StartedAt, a.Outcome = ev.At, string(room.ActionRunning)
		b.moment(ev, a.Kind+"-started", fmt.Sprintf("%s started (%s)", a.What, a.ID), "")
	case room.EvActionResumed:
		b.people.did(ev.Actor, fmt.Sprintf("chose to %s %s", f.Decision, a.ID))
	case room.EvActionSucceeded:
		a.EndedAt, a.Outcome, a.Detail = ev.At, string(room.ActionSucceeded), f.Confirmed
		b.moment(ev, a.Kind+"-confirmed", fmt.Sprintf("%s confirmed (%s)", a.What, a.ID), "")
		if (a.Kind == room.Failover || a.Kind == room.Rollback) && b.mitigated.IsZero() {
			b.mitigated, b.mitigatedBy = ev.At, a.Kind+" confirmed"
		}
	case room.EvActionFailed:
		a.EndedAt, a.Outcome, a.Detail = ev.At, string(room.ActionFailed), f.Error
		if f.State == room.ActionTimedOut {
			a.Outcome = string(room.ActionTimedOut)
		}
		b.moment(ev, "action-failed", fmt.Sprintf("%s %s (%s): %s", a.What, a.Outcome, a.ID, a.Detail), "")
	case room.EvActionUnknown:
		a.EndedAt, a.Outcome = ev.At, string(room.ActionUnknown)
		a.Detail = "it was running when warroom stopped: check the target"
		b.moment(ev, "action-unknown", fmt.Sprintf("%s outcome unknown (%s)", a.What, a.ID), "")
	}
}

// action returns the report's entry for id, adding it from its request.
func (b *builder) action(id string) *Action {
	if i, ok := b.actions[id]; ok {
		return &b.r.Actions[i]
	}
	req, ok := b.requests[id]
	if !ok {
		return nil
	}
	f := req.ActionFacts()
	a := Action{ID: id, Kind: f.Request.Kind, Executor: f.Executor, RequestedBy: req.Actor,
		RequestedAt: req.At, Outcome: string(room.ActionRequested), RPO: f.RPO, RPOKnown: f.RPOKnown}
	if a.Kind == room.Rollback {
		a.What = fmt.Sprintf("rollback %s to %s", f.Request.Target, f.Request.Version)
	} else {
		a.What = fmt.Sprintf("%s %s → %s", a.Kind, f.Request.From, f.Request.To)
	}
	b.actions[id] = len(b.r.Actions)
	b.r.Actions = append(b.r.Actions, a)
	return &b.r.Actions[len(b.r.Actions)-1]
}

// postEvent follows each announcement's delivery on each channel.
func (b *builder) postEvent(ev room.Event) {
	f := ev.PostFacts()
	id := f.ID
	switch ev.Kind {
	case room.EvPostQueued:
		b.queue(ev)
		return
	case room.EvPostSending, room.EvPostSent, room.EvPostRetrying, room.EvPostFailed, room.EvPostUnknown, room.EvPostRequeued:
	default:
		return
	}
	at, ok := b.posts[id]
	if !ok {
		q, known := b.queued[id]
		if !known {
			return
		}
		b.queue(q)
		at = b.posts[id]
	}
	ann := &b.r.Announcements[at[0]]
	d := &ann.Deliveries[at[1]]
	d.At = ev.At
	if f.Attempt > d.Attempts {
		d.Attempts = f.Attempt
	}
	switch ev.Kind {
	case room.EvPostSending:
		d.State = "sending"
	case room.EvPostSent:
		d.State, d.Error = "sent", ""
		if b.firstSent.IsZero() {
			b.firstSent, b.firstSentWhat = ev.At, fmt.Sprintf("%q on %s", ann.Title, d.Channel)
			b.moment(ev, "first-announcement", fmt.Sprintf("first announcement sent: %q to %s", ann.Title, d.Channel), ann.QueuedBy)
		}
	case room.EvPostRetrying:
		d.State, d.Error = "retrying", f.Error
	case room.EvPostFailed:
		d.State, d.Error = "failed", f.Error
		b.moment(ev, "announcement-failed", fmt.Sprintf("announcement %q to %s failed: %s", ann.Title, d.Channel, d.Error), "")
	case room.EvPostUnknown:
		d.State, d.Error = "unknown", "was being sent when warroom stopped: check the channel"
	case room.EvPostRequeued:
		d.State, d.Error = "queued", ""
		b.people.did(ev.Actor, "sent "+id+" again")
	}
}

// queue adds one queued post to its announcement (grouped by the
// announcement's key: the same update to several channels).
func (b *builder) queue(ev room.Event) {
	f := ev.PostFacts()
	key := f.Key
	if key == "" {
		key = f.Title + "\x00" + ev.At.String()
	}
	i, ok := b.annByKey[key]
	if !ok {
		i = len(b.r.Announcements)
		b.annByKey[key] = i
		b.r.Announcements = append(b.r.Announcements, Announcement{Title: f.Title, Phase: f.Phase,
			Template: f.Template, QueuedBy: ev.Actor, QueuedAt: ev.At, Drill: f.Drill})
		b.people.did(ev.Actor, fmt.Sprintf("queued the announcement %q", f.Title))
	}
	ann := &b.r.Announcements[i]
	b.posts[f.ID] = [2]int{i, len(ann.Deliveries)}
	ann.Deliveries = append(ann.Deliveries, Delivery{Channel: f.Channel, PostID: f.ID, State: "queued", At: ev.At})
}
