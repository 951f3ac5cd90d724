// Package drill runs rehearsed outages: it parses scenario files (timed
// faults and response goals), applies the faults through an Injector on an
// injected clock, and scores the room's events against the goals.
//
// The package knows nothing of the room, the UI or the simulated fleet: the
// command wires an Injector (the sim fleet in the demo, a filter between the
// probes and the room on a real fleet) and feeds the room's events to
// Runner.Observe. Every fault applied is removed when the drill ends, however
// it ends.
//
// # Scenario files
//
//	name: regional-outage           # required
//	description: one line           # optional
//	duration: 15m                   # required: the time limit
//	live: false                     # default false: actions run dry
//	goals:                          # at least one; each counts from the first fault
//	  detect: 1m                    # an alert on what the drill broke
//	  acknowledge: 3m               # such an alert acknowledged
//	  failover: 5m                  # action.succeeded with action=failover
//	  rollback: 6m                  # action.succeeded with action=rollback
//	  announce: 10m                 # post.sent
//	  recover: 15m                  # every fault removed, every broken mirror up
//	faults:                         # at least one
//	  - at: 0s                      # default 0s
//	    for: 10m                    # default: until the drill ends
//	    kind: region-down           # see Kinds; each kind names its own fields
//	    region: ap-east
//
// With a recover goal every fault needs a for: that ends before the drill
// does, or recovery could never happen; Parse says so.
//
// # Scoring
//
// Alerts count only when they concern what the drill broke (a mirror it
// faulted, or any non-mirror subject when it applies host pressure), since
// a fleet may misbehave on its own. The drill ends when every goal was
// reached (ended at the last of them), at its time limit, on Stop, when
// ctx ends, or when a fault cannot be applied.
package drill
