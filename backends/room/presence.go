package room

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// Presence events. Joins and leaves go to the timeline; who is present is
// not replayed, since sessions end with the process.
const (
	EvPresenceJoined = "presence.joined"
	EvPresenceLeft   = "presence.left"
	EvPenHanded      = "pen.handed"
)

// Presence says how a person joined: Via "local" or "ssh", and from where.
type Presence struct {
	Via    string
	Remote string
}

// PresenceView is one person in the room, as the Presence pane shows it.
type PresenceView struct {
	ID     string // the session's presence id (one person may have several sessions)
	Name   string
	Role   Role
	Via    string
	Remote string
	Since  time.Time
	Pane   string // the pane they are looking at
	Node   string // in a cluster: the node hosting the session ("" outside one)
}

// Join records a person entering the room and returns their presence id,
// for Look and Leave. Anyone with a role may join; observers too.
func (r *Room) Join(ctx context.Context, actor Actor, p Presence) (string, error) {
	var id string
	err := r.doMany(ctx, func() ([]Event, error) {
		if err := CheckJoin(actor); err != nil {
			return nil, err
		}
		r.st.nextPresence++
		id = "p" + strconv.Itoa(r.st.nextPresence)
		return []Event{joinEvent(r.clock.Now(), PresenceView{ID: id, Name: actor.Name, Role: actor.Role, Via: p.Via, Remote: p.Remote})}, nil
	}, func(evs []Event) {
		r.st.presence[id] = &PresenceView{ID: id, Name: actor.Name, Role: actor.Role, Via: p.Via, Remote: p.Remote, Since: evs[0].At}
		r.st.presenceChanged, r.st.dirty = true, true
	})
	return id, err
}

// CheckJoin refuses an actor who may not join: no name, or no known role.
func CheckJoin(actor Actor) error {
	if actor.Name == "" {
		return fmt.Errorf("join: no name")
	}
	if _, err := ParseRole(string(actor.Role)); err != nil {
		return fmt.Errorf("join %s: %v", actor.Name, err)
	}
	return nil
}

// joinEvent is presence.joined for p.
func joinEvent(at time.Time, p PresenceView) Event {
	text := fmt.Sprintf("%s joined as %s", p.Name, p.Role)
	if p.Via == "ssh" {
		text += " over SSH from " + p.Remote
	}
	if p.Node != "" {
		text += " on " + p.Node
	}
	return Event{At: at, Kind: EvPresenceJoined, Actor: p.Name, Level: "info", Text: text,
		Fields: PresenceFacts{Role: p.Role, Via: p.Via, Remote: p.Remote, Presence: p.ID, Node: p.Node}.Fields()}
}

// Leave records that a session ended. It never blocks on a stopped room.
func (r *Room) Leave(id string) {
	r.send(r.ctx(), func() {
		p, ok := r.st.presence[id]
		if !ok {
			return
		}
		delete(r.st.presence, id)
		r.st.presenceChanged = true
		r.st.record(Event{At: r.clock.Now(), Kind: EvPresenceLeft, Actor: p.Name, Level: "info",
			Text:   fmt.Sprintf("%s left (in the room %s)", p.Name, r.clock.Since(p.Since).Round(time.Second)),
			Fields: PresenceFacts{Role: p.Role, Presence: id}.Fields()})
	})
}

// Look records which pane a session is looking at; it is shown, not
// journaled.
func (r *Room) Look(id, pane string) {
	r.send(r.ctx(), func() {
		if p, ok := r.st.presence[id]; ok && p.Pane != pane {
			p.Pane = pane
			r.st.presenceChanged, r.st.dirty = true, true
		}
	})
}

// HandPen gives the pen to a person: a commander may hand it to anyone
// (themselves included), the holder may pass it on.
func (r *Room) HandPen(ctx context.Context, to string, actor Actor) error {
	return r.do(ctx, func() (Event, error) {
		st := r.st
		if !st.cfg.Actions.Pen {
			return Event{}, fmt.Errorf("this room has no pen: anyone allowed to act may (actions.pen is off)")
		}
		if st.pen != actor.Name {
			if err := allow(actor, PermPen); err != nil {
				return Event{}, fmt.Errorf("%v, or the holder pass it on", err)
			}
		}
		if to == "" || to == st.pen {
			return Event{}, fmt.Errorf("hand the pen to whom? %s holds it", or(st.pen, "nobody"))
		}
		if err := st.penTo(to); err != nil {
			return Event{}, err
		}
		return Event{At: r.clock.Now(), Kind: EvPenHanded, Actor: actor.Name, Level: "info",
			Text:   fmt.Sprintf("%s handed the pen to %s", actor.Name, to),
			Fields: PresenceFacts{From: st.pen, To: to}.Fields()}, nil
	})
}

// holdsPen refuses an action from someone without the pen, when the room
// has one.
func (st *state) holdsPen(actor Actor) error {
	switch {
	case !st.cfg.Actions.Pen || st.pen == actor.Name:
		return nil
	case st.pen == "":
		return fmt.Errorf("nobody holds the pen: a commander hands it over before anyone runs an action")
	}
	return fmt.Errorf("%s holds the pen: only they run actions (ask them or a commander to hand it over)", st.pen)
}

func (st *state) presenceViews() []PresenceView {
	out := make([]PresenceView, 0, len(st.presence))
	for _, p := range st.presence {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Since.Equal(out[j].Since) {
			return out[i].Since.Before(out[j].Since)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// ctx is Run's context once it runs; inputs sent before then wait for it.
func (r *Room) ctx() context.Context {
	select {
	case <-r.started:
		return r.runCtx
	default:
		return context.Background()
	}
}
