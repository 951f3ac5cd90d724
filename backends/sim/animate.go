package sim

import (
	"context"
	"math/rand/v2"
	"time"
)

// Animate applies the demo scenario (see the package doc), keeps it until
// ctx is done or the fleet closes, then undoes it. Run it in a goroutine;
// call ApplyDemo instead to know when the scenario is in place.
func (f *Fleet) Animate(ctx context.Context) {
	undo := f.ApplyDemo()
	defer undo()
	select {
	case <-ctx.Done():
	case <-f.closed:
	}
}

// Demo timings, documented in the package doc.
const (
	flapUp        = 40 * time.Second
	flapDown      = 20 * time.Second
	flapFirstFail = 15 * time.Second
	slowBy        = 400 * time.Millisecond
	slowFast      = 60 * time.Second
	slowSlow      = 30 * time.Second
	slowFirst     = 30 * time.Second
)

// ApplyDemo sets the demo scenario on the mirrors now (deterministic from
// the seed) and returns a function that puts them back to normal.
func (f *Fleet) ApplyDemo() (undo func()) {
	now := f.clock.Now()
	r := rand.New(rand.NewPCG(uint64(f.seed), 0x64656d6f))
	for _, m := range f.mirrors {
		m.SetDelay(time.Duration(2+r.IntN(11)) * time.Millisecond)
		m.SetJitter(time.Duration(5+r.IntN(21)) * time.Millisecond)
	}
	every := f.model.every
	roles := []func(*Node){
		func(m *Node) {
			m.set(func(fl *faults) {
				fl.flap = cycle{up: flapUp, down: flapDown, from: now.Add(flapFirstFail - flapUp)}
			})
		},
		func(m *Node) { m.SetFrozen(true) },
		func(m *Node) { m.SetDrift(true) },
		func(m *Node) {
			m.set(func(fl *faults) {
				fl.lag = every * 2 / 5
				fl.syncWindow = every / 3
			})
		},
		func(m *Node) {
			m.set(func(fl *faults) {
				fl.slow = cycle{up: slowFast, down: slowSlow, from: now.Add(slowFirst - slowFast)}
				fl.slowBy = slowBy
			})
		},
	}
	for i, role := range roles {
		if i < len(f.mirrors) {
			role(f.mirrors[i])
		}
	}
	return func() {
		for _, m := range f.mirrors {
			m.SetFrozen(false)
			m.set(func(fl *faults) {
				fl.delay, fl.jitter = 0, 0
				fl.flap, fl.slow, fl.slowBy = cycle{}, cycle{}, 0
				fl.drift = false
				fl.syncWindow = 0
				fl.lag = m.defaultLag
			})
		}
	}
}
