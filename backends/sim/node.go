package sim

import (
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Node is one simulated server: the origin or a mirror. Its setters are safe
// for concurrent use and take effect on the next request.
type Node struct {
	Name   string
	Region string
	URL    string // "http://127.0.0.1:port/"

	fleet  *Fleet
	mirror bool   // false for the origin
	addr   string // host:port, kept across SetDown

	requests atomic.Int64

	// life serialises listening and closing (SetDown, Close); held while a
	// server drains, so never taken by request handlers.
	life   sync.Mutex
	server *server // nil while down or closed
	closed bool

	mu         sync.Mutex // guards everything below
	flt        faults
	defaultLag time.Duration
	unblock    chan struct{} // closed when the blackhole switches off
	rng        *rand.Rand    // jitter
	err        error         // last failure to listen again
}

func (n *Node) set(change func(*faults)) {
	n.mu.Lock()
	defer n.mu.Unlock()
	change(&n.flt)
}

func (n *Node) faults() faults {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.flt
}

// State is what the node serves right now (as of the fleet's clock).
func (n *Node) State() State {
	return n.faults().view(n.fleet.model, n.fleet.clock.Now())
}

// Requests counts requests received (including held and failed ones).
func (n *Node) Requests() int64 { return n.requests.Load() }

// Err is the last error from SetDown(false) failing to listen again on the
// node's port; nil once it listens.
func (n *Node) Err() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.err
}

// SetDown(true) closes the listener and every open connection, so clients
// get "connection refused"; SetDown(false) listens again on the same port.
// It returns once the change is complete. If the port was taken meanwhile,
// the node stays down and Err says why.
func (n *Node) SetDown(down bool) {
	n.life.Lock()
	defer n.life.Unlock()
	if n.closed {
		return
	}
	if down {
		if n.server != nil {
			s := n.server
			n.server = nil
			s.beginStop()
			s.wait()
		}
		return
	}
	if n.server != nil {
		return
	}
	s, err := n.listen(n.addr)
	n.mu.Lock()
	n.err = err
	n.mu.Unlock()
	if err == nil {
		n.server = s
	}
}

// SetBlackhole(true) makes the node read requests and never answer them;
// SetBlackhole(false) lets held requests proceed.
func (n *Node) SetBlackhole(on bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if on == n.flt.blackhole {
		return
	}
	n.flt.blackhole = on
	if on {
		n.unblock = make(chan struct{})
	} else {
		close(n.unblock)
		n.unblock = nil
	}
}

// RegionHeader names the region a request comes from (the cluster demo's
// probers send it), for SetUnreachableFrom.
const RegionHeader = "X-Warroom-Region"

// SetUnreachableFrom resets every request from region (by RegionHeader)
// while serving everyone else: a network fault between one region and this
// node. "" reaches it from everywhere again.
func (n *Node) SetUnreachableFrom(region string) { n.set(func(f *faults) { f.cutFrom = region }) }

// SetDelay adds latency to every response, waited on the fleet's clock.
func (n *Node) SetDelay(d time.Duration) { n.set(func(f *faults) { f.delay = max(d, 0) }) }

// SetJitter adds a random 0..d (seeded) to every response's latency.
func (n *Node) SetJitter(d time.Duration) { n.set(func(f *faults) { f.jitter = max(d, 0) }) }

// SetStatus makes "/" and "/health" answer code; 0 restores 200.
func (n *Node) SetStatus(code int) {
	if code != 0 && (code < 100 || code > 999) {
		code = 500
	}
	n.set(func(f *faults) { f.status = code })
}

// SetFrozen(true) stops the node syncing: it keeps the state it holds now
// and its lag grows. SetFrozen(false) catches up at once.
func (n *Node) SetFrozen(on bool) {
	now := n.fleet.clock.Now()
	n.set(func(f *faults) {
		if on && !f.frozen {
			f.frozenAt = now
		}
		f.frozen = on
	})
}

// SetLagBehind makes the node hold the origin's state as of d ago.
func (n *Node) SetLagBehind(d time.Duration) { n.set(func(f *faults) { f.lag = max(d, 0) }) }

// SetDrift makes /manifest differ from the origin's at the same serial.
func (n *Node) SetDrift(on bool) { n.set(func(f *faults) { f.drift = on }) }

// SetFlapping alternates healthy and failing every period, starting healthy
// now; 0 stops it. See the package doc for how it fails.
func (n *Node) SetFlapping(period time.Duration) { n.SetFlappingPattern(period, period) }

// SetFlappingPattern is SetFlapping with separate healthy (up) and failing
// (down) durations; either 0 stops it.
func (n *Node) SetFlappingPattern(up, down time.Duration) {
	now := n.fleet.clock.Now()
	n.set(func(f *faults) { f.flap = cycle{up: up, down: down, from: now} })
}

// ScheduleOutage makes the node reset every connection from after for
// lasting, counted from now on the fleet's clock; lasting 0 cancels it.
func (n *Node) ScheduleOutage(after, lasting time.Duration) {
	from := n.fleet.clock.Now().Add(after)
	n.set(func(f *faults) { f.outageFrom, f.outageUntil = from, from.Add(lasting) })
}

// SetSyncing shows (true) or removes the Archive-Update-in-Progress marker.
func (n *Node) SetSyncing(on bool) { n.set(func(f *faults) { f.syncing = on }) }

// SetBeaconBody replaces the /lastsync body with b (copied), for
// hostile-content tests; nil restores the normal body.
func (n *Node) SetBeaconBody(b []byte) {
	var c []byte
	if b != nil {
		c = append(make([]byte, 0, len(b)), b...)
	}
	n.set(func(f *faults) { f.beacon = c })
}

// jitter draws the random part of one response's latency.
func (n *Node) jitter(upTo time.Duration) time.Duration {
	if upTo <= 0 {
		return 0
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return time.Duration(n.rng.Int64N(int64(upTo) + 1))
}

// holdChannel returns the channel to wait on while blackholed, nil if not.
func (n *Node) holdChannel() chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.unblock
}
