package room

import (
	"context"
	"fmt"

	"warroom/backends/notify"
)

// Announce records a person's announcement, one post per channel, and hands
// the posts to the outbox once they are journaled. It returns the posts' ids.
func (r *Room) Announce(ctx context.Context, a Announcement, actor Actor) ([]string, error) {
	if err := allow(actor, PermAnnounce); err != nil {
		return nil, err
	}
	if r.opts.Outbox == nil {
		return nil, fmt.Errorf("announcing is not available: no channels are configured (notify.channels)")
	}
	var queued []*postState
	err := r.doMany(ctx, func() ([]Event, error) { return r.st.announceEvents(a, actor.Name, r.clock.Now()) },
		func(evs []Event) {
			for _, ev := range evs {
				queued = append(queued, r.st.postByID[ev.PostFacts().ID])
			}
			r.enqueue(queued)
		})
	ids := make([]string, len(queued))
	for i, p := range queued {
		ids[i] = p.view.ID
	}
	return ids, err
}

// RetryPost sends a failed post (or one of unknown outcome) again.
func (r *Room) RetryPost(ctx context.Context, id string, by Actor) error {
	if err := allow(by, PermAnnounce); err != nil {
		return err
	}
	actor := by.Name
	var p *postState
	return r.doMany(ctx, func() ([]Event, error) {
		var ok bool
		p, ok = r.st.postByID[id]
		switch {
		case !ok:
			return nil, fmt.Errorf("no post %q", id)
		case p.view.State != PostFailed && p.view.State != PostUnknown:
			return nil, fmt.Errorf("%s is %s; only a failed post or one of unknown outcome is sent again", id, p.view.State)
		case r.opts.Outbox == nil:
			return nil, fmt.Errorf("announcing is not available: no channels are configured")
		}
		return []Event{{At: r.clock.Now(), Kind: EvPostRequeued, Subject: p.view.Channel, Actor: actor, Level: "info",
			Text:   fmt.Sprintf("%s sends %s to %s again", actor, id, p.view.Channel),
			Fields: PostFacts{ID: id}.Fields()}}, nil
	}, func([]Event) { r.enqueue([]*postState{p}) })
}

// PostReport takes a step the delivery worker reports. "sending" returns
// only once it is journaled, so the record always precedes the request;
// an error means it could not be recorded and the post must not go out.
// The other steps are queued.
func (r *Room) PostReport(rep notify.Report) error {
	ctx := r.ctx()
	if rep.State == notify.StateSending {
		return r.doMany(ctx, func() ([]Event, error) {
			r.st.postReport(rep, r.clock.Now())
			return nil, nil
		}, nil)
	}
	r.send(ctx, func() { r.st.postReport(rep, r.clock.Now()) })
	return nil
}

// enqueue hands posts to the outbox; a refusal is recorded as a failure.
func (r *Room) enqueue(ps []*postState) {
	for _, p := range ps {
		if r.opts.Outbox == nil {
			return
		}
		if err := r.opts.Outbox.Enqueue(p.view.Channel, p.post()); err != nil {
			r.st.postReport(notify.Report{PostID: p.view.ID, Channel: p.view.Channel, State: notify.StateFailed,
				Err: err.Error()}, r.clock.Now())
		}
	}
}
