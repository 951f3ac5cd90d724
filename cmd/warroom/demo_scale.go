package main

import (
	"fmt"
	"time"
)

// The demo's script (flapping, frozen, drift, syncing, slow, the active
// mirror, the one serving 5xx, one plain) plays on its first demoScripted
// mirrors; they are probed every demoInterval whatever the fleet's size.
const (
	demoScripted = 8
	demoInterval = 3 * time.Second
)

// demoProbeBudget bounds the probes a second of the mirrors beyond the
// script: past it their interval grows with their number, so a big fleet
// costs the room about what this many probes a second cost and its inbox
// keeps up (at 5,000 mirrors every 3s the room fell seconds behind).
const demoProbeBudget = 50

// demoKeepIdle is the simulated mirrors' keep-alive timeout (Apache's
// default): the script's mirrors keep their connections between probes,
// the rest, probed less often, reconnect instead of each holding an idle
// connection (buffers and goroutines at both ends) the whole interval.
const demoKeepIdle = 5 * time.Second

// demoExtraInterval is how often each of the n-mirror fleet's unscripted
// mirrors is probed: demoInterval while they fit the budget, else their
// number over the budget, in whole seconds.
func demoExtraInterval(n int) time.Duration {
	extra := n - demoScripted
	if extra <= 0 {
		return demoInterval
	}
	secs := (extra + demoProbeBudget - 1) / demoProbeBudget
	return max(demoInterval, time.Duration(secs)*time.Second)
}

// demoPace says how often the fleet's mirrors are probed, when not all
// at the demo's pace; "" when they are.
func demoPace(n int) string {
	every := demoExtraInterval(n)
	if every == demoInterval {
		return ""
	}
	return fmt.Sprintf("simulated fleet: %d mirrors probed every %s, the other %d every %s (≤ %d probes/s)",
		demoScripted, demoInterval, n-demoScripted, every, demoProbeBudget)
}

// withPace shows the pace in the local footer until the first key, then
// runs start (nil: nothing); serving's greeting, how others join, wins.
func withPace(start func(*setup, *live) (func(), error), pace string) func(*setup, *live) (func(), error) {
	if pace == "" {
		return start
	}
	return func(s *setup, l *live) (func(), error) {
		l.greeting = pace
		if start == nil {
			return func() {}, nil
		}
		return start(s, l)
	}
}
