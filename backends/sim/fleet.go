package sim

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// Options configures a fleet. The zero value is a usable 8-mirror fleet.
type Options struct {
	Mirrors   int             // default 8
	Clock     clockwork.Clock // default clockwork.NewRealClock(); all sim time comes from it
	Seed      int64           // jitter, names and default lags; same seed = same fleet
	SyncEvery time.Duration   // origin publishes a new serial and beacon this often; default 30s, at least 1s
	Regions   []string        // default DefaultRegions(); the origin sits in the first
	// KeepIdle is how long a node keeps an idle keep-alive connection
	// open (real time, like a web server's keep-alive timeout); default 2m.
	// Shorter frees the connections of mirrors probed less often.
	KeepIdle time.Duration
}

// Fleet is a running origin and its mirrors.
type Fleet struct {
	clock   clockwork.Clock
	model   model
	seed    int64
	idle    time.Duration // keep-alive timeout of every node's server
	origin  *Node
	mirrors []*Node
	byName  map[string]*Node

	closeOnce sync.Once
	closed    chan struct{} // closed by Close: ends Animate
}

// Start listens on 127.0.0.1 with a fresh port for the origin and for each
// mirror. On error nothing is left running.
func Start(opts Options) (*Fleet, error) {
	if opts.Mirrors < 0 {
		return nil, fmt.Errorf("sim: Mirrors = %d: want 0 (default 8) or more", opts.Mirrors)
	}
	if opts.Mirrors == 0 {
		opts.Mirrors = 8
	}
	if opts.Clock == nil {
		opts.Clock = clockwork.NewRealClock()
	}
	if opts.SyncEvery == 0 {
		opts.SyncEvery = 30 * time.Second
	}
	if opts.SyncEvery < time.Second {
		return nil, fmt.Errorf("sim: SyncEvery = %v: want at least 1s (beacons are whole seconds)", opts.SyncEvery)
	}
	if opts.KeepIdle < 0 {
		return nil, fmt.Errorf("sim: KeepIdle = %v: want 0 (default 2m) or more", opts.KeepIdle)
	}
	if opts.KeepIdle == 0 {
		opts.KeepIdle = 2 * time.Minute
	}
	if len(opts.Regions) == 0 {
		opts.Regions = DefaultRegions()
	}
	if err := checkRegions(opts.Regions); err != nil {
		return nil, err
	}
	f := &Fleet{
		clock:  opts.Clock,
		model:  newModel(opts.Clock.Now(), opts.SyncEvery),
		seed:   opts.Seed,
		idle:   opts.KeepIdle,
		byName: map[string]*Node{},
		closed: make(chan struct{}),
	}
	lags := rand.New(rand.NewPCG(uint64(opts.Seed), 0x6c6167))
	f.origin = f.newNode("origin", opts.Regions[0], false, 0, 0)
	for i, p := range place(opts.Mirrors, opts.Regions, opts.Seed) {
		lag := time.Duration(1+lags.IntN(5)) * time.Second
		m := f.newNode(p.name, p.region, true, i+1, lag)
		f.mirrors = append(f.mirrors, m)
	}
	for _, n := range f.all() {
		if f.byName[n.Name] != nil {
			return nil, fmt.Errorf("sim: two nodes named %q: rename the region that produces it", n.Name)
		}
		f.byName[n.Name] = n
	}
	for _, n := range f.all() {
		s, err := n.listen("127.0.0.1:0")
		if err != nil {
			return nil, errors.Join(err, f.Close())
		}
		n.server = s
		n.addr = s.ln.Addr().String()
		n.URL = "http://" + n.addr + "/"
	}
	return f, nil
}

func (f *Fleet) newNode(name, region string, mirror bool, index int, lag time.Duration) *Node {
	n := &Node{
		Name:       name,
		Region:     region,
		fleet:      f,
		mirror:     mirror,
		defaultLag: lag,
		rng:        rand.New(rand.NewPCG(uint64(f.seed), uint64(index)<<8|0x6a)),
	}
	n.flt.lag = lag
	return n
}

func (f *Fleet) all() []*Node { return append([]*Node{f.origin}, f.mirrors...) }

// Origin is the node every mirror syncs from.
func (f *Fleet) Origin() *Node { return f.origin }

// Mirrors are the mirrors in a stable order (the demo scenario's indices).
func (f *Fleet) Mirrors() []*Node { return append([]*Node(nil), f.mirrors...) }

// Node finds a node (origin included) by name; nil if unknown.
func (f *Fleet) Node(name string) *Node { return f.byName[name] }

// Close stops every node: listeners, connections and held requests. It
// returns when no goroutine of the fleet is left. Safe to call twice.
func (f *Fleet) Close() error {
	f.closeOnce.Do(func() { close(f.closed) })
	var stopping []*server
	for _, n := range f.all() {
		n.life.Lock()
		n.closed = true
		if n.server != nil {
			n.server.beginStop()
			stopping = append(stopping, n.server)
			n.server = nil
		}
		n.life.Unlock()
	}
	for _, s := range stopping {
		s.wait()
	}
	return nil
}
