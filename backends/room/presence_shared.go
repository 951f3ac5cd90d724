package room

import (
	"fmt"
	"sort"
	"time"
)

// In a cluster each node hosts its own sessions and shares them under its
// lease; every room shows them all, each with its node. The leader journals
// a join when a session appears anywhere and a leave when it goes (a lost
// node's sessions too), so the journal says each once, whoever leads.

// sharedPresence is what the leader needs to journal presence once: the
// joins the journal holds without a leave, and why sessions went.
type sharedPresence struct {
	joined  map[string]joinedSession // by presence id; from the journal
	leftWhy map[string]string        // a joined session gone, by id: "" left, or why it went
	// complete: every node with sessions has been heard from, so a joined
	// session present nowhere has gone.
	complete bool
}

// joinedSession is a session the journal says joined and did not leave.
type joinedSession struct {
	Name, Node string
	Since      time.Time
}

// ObservePresence replaces what node says of the sessions it hosts: views
// is every one of them now. A node tells its own room directly, the others
// through the cluster.
func (r *Room) ObservePresence(node string, views []PresenceView) {
	r.inbox <- func() {
		r.st.observePresence(node, views, "")
		r.st.reconcilePresence(r.clock.Now())
	}
}

// ForgetPresence drops node's sessions: they went with it (its lease
// ended); why is said in each leave the leader journals.
func (r *Room) ForgetPresence(node, why string) {
	r.inbox <- func() {
		r.st.observePresence(node, nil, why)
		r.st.reconcilePresence(r.clock.Now())
	}
}

// PresenceComplete says the room has heard from every node that hosts
// sessions: a session the journal holds as joined that is present nowhere
// has gone, and the leader journals its leave.
func (r *Room) PresenceComplete() {
	r.inbox <- func() {
		r.st.shared.complete = true
		r.st.reconcilePresence(r.clock.Now())
	}
}

// observePresence makes node's sessions views; those that went are
// remembered with why, for their leave.
func (st *state) observePresence(node string, views []PresenceView, why string) {
	sp := &st.shared
	if sp.leftWhy == nil {
		sp.leftWhy = map[string]string{}
	}
	now := map[string]bool{}
	for _, v := range views {
		now[v.ID] = true
	}
	for id, p := range st.presence {
		if p.Node == node && !now[id] {
			delete(st.presence, id)
			if _, ok := sp.joined[id]; ok {
				sp.leftWhy[id] = why
			}
		}
	}
	for _, v := range views {
		if v.ID == "" || CheckJoin(Actor{Name: v.Name, Role: v.Role}) != nil {
			continue // not a session the room could show or journal
		}
		v.Node = node
		v.Name, v.Via, v.Remote, v.Pane = st.clean.Line(v.Name), st.clean.Line(v.Via), st.clean.Line(v.Remote), st.clean.Line(v.Pane)
		if old, ok := st.presence[v.ID]; ok && *old == v {
			continue
		}
		st.presence[v.ID] = &v
	}
	st.presenceChanged, st.dirty = true, true
}

// reconcilePresence, on a leader in a cluster, journals a join for each
// session present and not yet joined, and a leave for each joined session
// that went.
func (st *state) reconcilePresence(now time.Time) {
	if st.cl.replica || !st.cl.clustered {
		return
	}
	sp := &st.shared
	for _, p := range st.presenceViews() {
		if _, ok := sp.joined[p.ID]; !ok && p.Node != "" {
			st.record(joinEvent(now, p))
		}
	}
	ids := make([]string, 0, len(sp.joined))
	for id := range sp.joined {
		if _, here := st.presence[id]; !here {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		j := sp.joined[id]
		why, ok := sp.leftWhy[id]
		if !ok && !sp.complete {
			continue // its node may not have been heard from yet
		}
		if !ok {
			why = "node " + j.Node + " lost"
		}
		text := fmt.Sprintf("%s left (%s)", j.Name, why)
		if why == "" {
			text = fmt.Sprintf("%s left (in the room %s)", j.Name, now.Sub(j.Since).Round(time.Second))
		}
		st.record(Event{At: now, Kind: EvPresenceLeft, Actor: j.Name, Level: "info", Text: text,
			Fields: PresenceFacts{Presence: id, Node: j.Node}.Fields()})
	}
}

// applyPresence keeps the journal's joins without a leave, for sessions
// hosted by a node of a cluster.
func (st *state) applyPresence(ev Event) {
	f := ev.PresenceFacts()
	if f.Node == "" {
		return // outside a cluster sessions end with the process
	}
	sp := &st.shared
	switch ev.Kind {
	case EvPresenceJoined:
		if sp.joined == nil {
			sp.joined = map[string]joinedSession{}
		}
		sp.joined[f.Presence] = joinedSession{Name: ev.Actor, Node: f.Node, Since: ev.At}
	case EvPresenceLeft:
		delete(sp.joined, f.Presence)
		delete(sp.leftWhy, f.Presence)
	}
}

// penTo refuses, in a cluster, a pen holder who is present on no node.
func (st *state) penTo(to string) error {
	if !st.cl.clustered {
		return nil
	}
	for _, p := range st.presence {
		if p.Name == to {
			return nil
		}
	}
	return fmt.Errorf("%s is not in the room on any node: hand the pen to someone present", to)
}
