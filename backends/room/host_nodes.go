package room

import (
	"sort"
	"time"

	"warroom/backends/hosts"
)

// In a cluster every node shares its host's latest sample, so the Hosts
// pane shows each node's machine. A node not heard from for hostStale (or
// whose lease ended) is shown stale, and dropped hostKeep later.
const (
	hostStale = 15 * time.Second
	hostKeep  = time.Minute
)

// NodeHostView is one node's machine as the Hosts pane lists it.
type NodeHostView struct {
	Node   string
	Latest hosts.Sample
	Self   bool      // this room's own node
	Stale  time.Time // zero while fresh: since when the sample is old or its node gone
}

// nodeHost is another node's latest sample, when it came and when its node went.
type nodeHost struct {
	sample     hosts.Sample
	seen, gone time.Time
}

// ObserveNodeHost takes another node's host sample.
func (r *Room) ObserveNodeHost(node string, s hosts.Sample) {
	r.inbox <- func() {
		if node == "" || node == r.opts.Node {
			return
		}
		if r.st.nodeHosts == nil {
			r.st.nodeHosts = map[string]*nodeHost{}
		}
		s.Host, s.Err = r.st.clean.Line(s.Host), r.st.clean.Line(s.Err)
		r.st.nodeHosts[node] = &nodeHost{sample: s, seen: r.clock.Now()}
		r.st.dirty = true
	}
}

// ForgetNodeHost says node's sample went with it: its row goes stale.
func (r *Room) ForgetNodeHost(node string) {
	r.inbox <- func() {
		if h, ok := r.st.nodeHosts[node]; ok && h.gone.IsZero() {
			h.gone = r.clock.Now()
			r.st.dirty = true
		}
	}
}

// tickNodeHosts marks rows that turn stale and drops those stale too long.
func (st *state) tickNodeHosts(now time.Time) {
	for node, h := range st.nodeHosts {
		if h.gone.IsZero() && now.Sub(h.seen) >= hostStale {
			h.gone = h.seen.Add(hostStale)
			st.dirty = true
		}
		if !h.gone.IsZero() && now.Sub(h.gone) >= hostKeep {
			delete(st.nodeHosts, node)
			st.dirty = true
		}
	}
}

// nodeHostViews is every node's machine, this one first, the others by
// name; nil when no other node shares its host.
func (st *state) nodeHostViews() []NodeHostView {
	if len(st.nodeHosts) == 0 {
		return nil
	}
	out := make([]NodeHostView, 0, len(st.nodeHosts)+1)
	if l := st.host.latest; l != nil {
		out = append(out, NodeHostView{Node: st.opts.Node, Latest: *l, Self: true})
	}
	others := make([]NodeHostView, 0, len(st.nodeHosts))
	for node, h := range st.nodeHosts {
		others = append(others, NodeHostView{Node: node, Latest: h.sample, Stale: h.gone})
	}
	sort.Slice(others, func(i, j int) bool { return others[i].Node < others[j].Node })
	return append(out, others...)
}
