package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Session is one session a node hosts, as the cluster shares it.
type Session struct {
	ID     string    `json:"id"` // unique in the cluster: node/incarnation-n
	Name   string    `json:"name"`
	Role   string    `json:"role"`
	Via    string    `json:"via,omitempty"`
	Remote string    `json:"remote,omitempty"`
	Pane   string    `json:"pane,omitempty"`
	Since  time.Time `json:"since"`
}

// PresenceUpdate is every session a node hosts now. Lost: the node's
// lease ended (its marker went), so the sessions that went with it did
// not leave by themselves. Complete (no node): the updates before it were
// every node's as the watch began.
type PresenceUpdate struct {
	Node     string
	Sessions []Session
	Lost     bool
	Complete bool
}

// Presence shares the sessions this node hosts under its lease, at
// P+"presence/"+node+"/"+session, with a marker P+"presence/"+node+"/"
// saying the node is there (lease loss takes it with the sessions), and
// watches every node's.
type Presence struct {
	cli   *clientv3.Client
	pfx   string
	node  string
	lease *Lease
	kick  chan struct{}

	mu     sync.Mutex
	mine   map[string]Session // what this node hosts, by session id
	sent   map[string]Session // what the cluster holds of it, as last put
	marked bool               // the marker is put
	gen    int                // a new lease: what sync put before is lost
}

// NewPresence returns the site's presence; node's sessions go under lease.
func NewPresence(cli *clientv3.Client, site, node string, lease *Lease) *Presence {
	p := &Presence{cli: cli, pfx: prefix(site) + "presence/", node: node, lease: lease, kick: make(chan struct{}, 1),
		mine: map[string]Session{}, sent: map[string]Session{}}
	lease.OnRenew(func(context.Context, clientv3.LeaseID) error { p.forgetSent(); return nil })
	return p
}

// marker is the key saying node shares its presence.
func (p *Presence) marker() string { return p.pfx + p.node + "/" }

// Set records a session this node hosts (new, or looking elsewhere) and
// has it shared.
func (p *Presence) Set(s Session) {
	p.mu.Lock()
	p.mine[s.ID] = s
	p.mu.Unlock()
	p.poke()
}

// Remove records that a session ended and has it withdrawn.
func (p *Presence) Remove(id string) {
	p.mu.Lock()
	delete(p.mine, id)
	p.mu.Unlock()
	p.poke()
}

// Mine is every session this node hosts.
func (p *Presence) Mine() []Session {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Session, 0, len(p.mine))
	for _, s := range p.mine {
		out = append(out, s)
	}
	return out
}

func (p *Presence) poke() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// forgetSent: a new lease holds none of this node's keys; put them all again.
func (p *Presence) forgetSent() {
	p.mu.Lock()
	p.sent, p.marked = map[string]Session{}, false
	p.gen++
	p.mu.Unlock()
	p.poke()
}

// Share keeps the cluster's copy of this node's sessions equal to Mine
// until ctx ends; ready is closed once the marker is first put (so a
// watch started then sees this node at least). Failures are retried; the
// latest state wins, nothing is dropped.
func (p *Presence) Share(ctx context.Context, ready chan<- struct{}, logf func(string, ...any)) {
	p.poke()
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.kick:
		}
		err := p.sync(ctx)
		if err == nil && ready != nil {
			close(ready)
			ready = nil
		}
		if err != nil && ctx.Err() == nil {
			logf("cluster node %s: share presence: %v", p.node, err)
			select {
			case <-ctx.Done():
				return
			case <-afterRetry():
				p.poke()
			}
		}
	}
}

// sync puts the marker and what changed, and deletes what went.
func (p *Presence) sync(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, shareTimeout)
	defer cancel()
	id, err := p.lease.ID(ctx)
	if err != nil {
		return err
	}
	p.mu.Lock()
	fresh, gen := !p.marked, p.gen
	var put []Session
	var gone []string
	for k, s := range p.mine {
		if old, ok := p.sent[k]; !ok || old != s {
			put = append(put, s)
		}
	}
	for k := range p.sent {
		if _, ok := p.mine[k]; !ok {
			gone = append(gone, k)
		}
	}
	p.mu.Unlock()
	if fresh {
		if err := putJSON(ctx, p.cli, p.marker(), struct{}{}, id); err != nil {
			return fmt.Errorf("put the marker: %w", err)
		}
		p.mark(gen, "", nil)
	}
	for _, s := range put {
		if err := putJSON(ctx, p.cli, p.marker()+s.ID, s, id); err != nil {
			return fmt.Errorf("put session %s: %w", s.ID, err)
		}
		p.mark(gen, s.ID, &s)
	}
	for _, k := range gone {
		if _, err := p.cli.Delete(ctx, p.marker()+k); err != nil {
			return fmt.Errorf("withdraw session %s: %w", k, err)
		}
		p.mark(gen, k, nil)
	}
	return nil
}

// mark records what the cluster now holds of session k (nil: nothing;
// k "": the marker), unless a new lease came meanwhile.
func (p *Presence) mark(gen int, k string, s *Session) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case gen != p.gen:
	case k == "":
		p.marked = true
	case s == nil:
		delete(p.sent, k)
	default:
		p.sent[k] = *s
	}
}

// errBadPresence is an undecodable presence key or value, skipped.
var errBadPresence = errors.New("not a presence entry")

// Watch delivers, for each node whose sessions changed, all of them as
// they now stand, and once, after the cluster's state as the watch began,
// a Complete update. The channel closes when ctx ends.
func (p *Presence) Watch(ctx context.Context) <-chan PresenceUpdate {
	out := make(chan PresenceUpdate)
	go func() {
		defer close(out)
		nodes := map[string]map[string]Session{}
		first := true
		for batch := range watchPrefix(ctx, p.cli, p.pfx) {
			lost := map[string]bool{}
			touched := []string{}
			for _, kc := range batch {
				node, id, s, err := p.decode(kc)
				if err != nil {
					continue
				}
				if _, ok := nodes[node]; !ok {
					nodes[node] = map[string]Session{}
				}
				touched = append(touched, node)
				switch {
				case id == "" && kc.Deleted:
					lost[node] = true
				case id == "":
				case kc.Deleted:
					delete(nodes[node], id)
				default:
					nodes[node][id] = s
				}
			}
			var us []PresenceUpdate
			for _, node := range dedupe(touched) {
				u := PresenceUpdate{Node: node, Lost: lost[node]}
				for _, s := range nodes[node] {
					u.Sessions = append(u.Sessions, s)
				}
				us = append(us, u)
			}
			if first {
				us, first = append(us, PresenceUpdate{Complete: true}), false
			}
			for _, u := range us {
				select {
				case out <- u:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// decode reads one key change: its node, session id ("" for the marker)
// and, when put, the session.
func (p *Presence) decode(kc keyChange) (node, id string, s Session, err error) {
	node, id, ok := strings.Cut(strings.TrimPrefix(string(kc.Key), p.pfx), "/")
	if !ok || node == "" {
		return "", "", s, errBadPresence
	}
	if kc.Deleted || id == "" {
		return node, id, s, nil
	}
	if err := json.Unmarshal(kc.Value, &s); err != nil || s.ID != id {
		return "", "", s, errBadPresence
	}
	return node, id, s, nil
}

// dedupe is names in their first order, each once.
func dedupe(names []string) []string {
	seen := map[string]bool{}
	out := names[:0:0]
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}
