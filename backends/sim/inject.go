package sim

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Breakage is what a drill breaks on a node, over the node's own behaviour.
// The zero value breaks nothing.
type Breakage struct {
	Down       bool          // stop listening: connections are refused
	Delay      time.Duration // added to every answer, on the fleet's clock
	Behind     time.Duration // hold the origin's state as of Behind ago (at least)
	Drift      bool          // /manifest differs from the origin's at the same serial
	FlapPeriod time.Duration // from now: healthy for the period, failing for the period, …
}

// Breaker applies breakages to a fleet's nodes and takes them off again,
// for drills: the package drill's faults land here through an adapter
// (backends/sim/simdrill), so the probes see them for real over HTTP.
//
// Removing a breakage puts back exactly what the node had before: the
// Breaker overrides only the fields a breakage names and keeps the node's
// own values aside while any breakage is on it. So the demo's own script
// goes on underneath: a scheduled outage keeps its window (when a drill's
// down ends inside it, the node resets connections until it closes); the
// demo's slow phases add to a drill's delay; a drill's flapping replaces
// the demo's while applied and the demo's cycle resumes afterwards; a node
// the demo drifts or froze stays so after the drill. Overlapping breakages
// on one node combine (delays add; the longest Behind and the latest flap
// win; down while any is down) and may be removed in any order.
//
// Use one Breaker per fleet: two would each restore their own view.
type Breaker struct {
	fleet *Fleet

	mu    sync.Mutex
	nodes map[*Node]*broken
}

// broken is what the breaker changed on one node.
type broken struct {
	saved  faults // the node's own values of the fields overridden
	isDown bool   // the breaker closed the node's listener
	wasUp  bool   // it was listening before that
	active []*breakage
}

// breakage is one Break call's effect on one node.
type breakage struct {
	b    Breakage
	flap cycle // anchored at Break
}

// NewBreaker returns a breaker for the fleet's nodes.
func NewBreaker(f *Fleet) *Breaker {
	return &Breaker{fleet: f, nodes: map[*Node]*broken{}}
}

// Break applies b to the named nodes (mirrors or the origin) and returns
// the function that removes it; calling that again does nothing. On error
// (an unknown name) nothing was changed.
func (br *Breaker) Break(names []string, b Breakage) (undo func(), err error) {
	if len(names) == 0 {
		return nil, errors.New("sim: break: no node named; name at least one mirror")
	}
	nodes := make([]*Node, 0, len(names))
	for _, name := range names {
		n := br.fleet.Node(name)
		if n == nil {
			return nil, fmt.Errorf("sim: no node %q in the simulated fleet; its mirrors are %s",
				name, strings.Join(br.fleet.mirrorNames(), ", "))
		}
		nodes = append(nodes, n)
	}
	now := br.fleet.clock.Now()
	added := make([]*breakage, len(nodes))
	br.mu.Lock()
	defer br.mu.Unlock()
	for i, n := range nodes {
		d := br.nodes[n]
		if d == nil {
			d = &broken{saved: n.faults()}
			br.nodes[n] = d
		}
		a := &breakage{b: b}
		if b.FlapPeriod > 0 {
			a.flap = cycle{up: b.FlapPeriod, down: b.FlapPeriod, from: now}
		}
		d.active = append(d.active, a)
		added[i] = a
		br.apply(n, d)
	}
	var once sync.Once
	return func() { once.Do(func() { br.remove(nodes, added) }) }, nil
}

// Broken counts the nodes with a breakage on them now.
func (br *Breaker) Broken() int {
	br.mu.Lock()
	defer br.mu.Unlock()
	return len(br.nodes)
}

// remove takes one Break call's breakages off their nodes.
func (br *Breaker) remove(nodes []*Node, added []*breakage) {
	br.mu.Lock()
	defer br.mu.Unlock()
	for i, n := range nodes {
		d := br.nodes[n]
		if d == nil {
			continue
		}
		for k, a := range d.active {
			if a == added[i] {
				d.active = append(d.active[:k], d.active[k+1:]...)
				break
			}
		}
		br.apply(n, d)
		if len(d.active) == 0 {
			delete(br.nodes, n)
		}
	}
}

// apply sets the node to its own values overlaid with every breakage
// still on it, in the order they were applied.
func (br *Breaker) apply(n *Node, d *broken) {
	s := d.saved
	down := false
	n.set(func(fl *faults) {
		fl.delay, fl.lag, fl.drift, fl.flap = s.delay, s.lag, s.drift, s.flap
		for _, a := range d.active {
			down = down || a.b.Down
			fl.delay += a.b.Delay
			fl.lag = max(fl.lag, a.b.Behind)
			fl.drift = fl.drift || a.b.Drift
			if a.b.FlapPeriod > 0 {
				fl.flap = a.flap
			}
		}
	})
	switch {
	case down && !d.isDown:
		d.wasUp, d.isDown = n.listening(), true
		n.SetDown(true)
	case !down && d.isDown:
		d.isDown = false
		if d.wasUp {
			n.SetDown(false)
		}
	}
}

// Places maps every mirror's name to its region: the fleet a drill is
// checked against (drill.WithFleet).
func (f *Fleet) Places() map[string]string {
	out := make(map[string]string, len(f.mirrors))
	for _, m := range f.mirrors {
		out[m.Name] = m.Region
	}
	return out
}

func (f *Fleet) mirrorNames() []string {
	out := make([]string, 0, len(f.mirrors))
	for _, m := range f.mirrors {
		out = append(out, m.Name)
	}
	sort.Strings(out)
	return out
}

// listening reports whether the node accepts connections now.
func (n *Node) listening() bool {
	n.life.Lock()
	defer n.life.Unlock()
	return n.server != nil
}
