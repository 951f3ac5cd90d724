package cluster

import (
	"context"
	"strconv"
	"strings"
	"time"

	"warroom/backends/room"
)

// The sessions a node hosts are its own: it shows them in its room at
// once and shares them under its lease; the other nodes' arrive by watch.
// The leader's room journals the joins and leaves (see room.ObservePresence).

// join gives a session on this node its presence id (node/incarnation-n,
// unique across the node's restarts) and shares it.
func (n *Node) join(actor room.Actor, p room.Presence) (string, error) {
	if err := room.CheckJoin(actor); err != nil {
		return "", err
	}
	sid := strconv.FormatInt(n.started.UnixNano(), 36) + "-" + strconv.FormatInt(n.sessions.Add(1), 10)
	n.presence.Set(Session{ID: sid, Name: actor.Name, Role: string(actor.Role), Via: p.Via, Remote: p.Remote, Since: time.Now()})
	n.showPresence()
	return n.cfg.Node + "/" + sid, nil
}

// leave withdraws a session of this node.
func (n *Node) leave(id string) {
	if sid, ok := n.ownSession(id); ok {
		n.presence.Remove(sid)
		n.showPresence()
	}
}

// look shares which pane a session of this node shows.
func (n *Node) look(id, pane string) {
	sid, ok := n.ownSession(id)
	if !ok {
		return
	}
	for _, s := range n.presence.Mine() {
		if s.ID == sid && s.Pane != pane {
			s.Pane = pane
			n.presence.Set(s)
			n.showPresence()
		}
	}
}

// ownSession is the session id in a presence id of this node.
func (n *Node) ownSession(id string) (string, bool) {
	return strings.CutPrefix(id, n.cfg.Node+"/")
}

// showPresence tells this node's room its own sessions.
func (n *Node) showPresence() {
	n.room.ObservePresence(n.cfg.Node, presenceViews(n.cfg.Node, n.presence.Mine()))
}

// presenceViews are a node's sessions as its room shows them.
func presenceViews(node string, ss []Session) []room.PresenceView {
	out := make([]room.PresenceView, 0, len(ss))
	for _, s := range ss {
		out = append(out, room.PresenceView{ID: node + "/" + s.ID, Name: s.Name, Role: room.Role(s.Role), Via: s.Via,
			Remote: s.Remote, Since: s.Since, Pane: s.Pane, Node: node})
	}
	return out
}

// sharePresence shares this node's sessions and, once its marker is in,
// gives the room every other node's; a node whose lease ended is forgotten
// with its sessions.
func (n *Node) sharePresence(ctx context.Context) {
	ready := make(chan struct{})
	n.goRun(func() { n.presence.Share(ctx, ready, n.cfg.Logf) })
	select {
	case <-ctx.Done():
		return
	case <-ready:
	}
	for u := range n.presence.Watch(ctx) {
		switch {
		case u.Complete:
			n.room.PresenceComplete()
		case u.Node == n.cfg.Node:
		case u.Lost:
			n.room.ForgetPresence(u.Node, "node "+u.Node+" lost")
			if len(u.Sessions) > 0 {
				n.room.ObservePresence(u.Node, presenceViews(u.Node, u.Sessions))
			}
		default:
			n.room.ObservePresence(u.Node, presenceViews(u.Node, u.Sessions))
		}
	}
}
