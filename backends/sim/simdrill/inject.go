// Package simdrill applies drill faults to the simulated fleet for real:
// the adapter between backends/drill's Injector and sim's Breaker, kept
// apart so neither of those two packages knows the other.
package simdrill

import (
	"fmt"
	"sort"
	"strings"

	"warroom/backends/drill"
	"warroom/backends/sim"
)

// Injector is a drill.Injector (and drill.Handler) for the mirror faults:
//
//	mirror-down, region-down  the node stops listening (connection refused)
//	slow                      every answer waits Delay longer
//	lag                       the node holds the origin's state as of Behind ago
//	drift                     /manifest differs from the origin's at the same serial
//	flapping                  healthy for Period, then failing for Period, repeating
//
// Host pressure and webhook failures are not the fleet's: compose it with
// a drill.Filter for those (drill.Compose(simdrill.New(f), filter)).
// What removal restores, and how drill faults combine with the demo's own
// script, is sim.Breaker's to say.
type Injector struct {
	fleet *sim.Fleet
	br    *sim.Breaker
}

// New returns an injector for the fleet. Use one per fleet.
func New(f *sim.Fleet) *Injector { return &Injector{fleet: f, br: sim.NewBreaker(f)} }

// Handles reports the kinds the simulated fleet applies: those that break mirrors.
func (in *Injector) Handles(kind string) bool {
	_, ok := breakage(drill.Fault{Kind: kind})
	return ok
}

// Inject applies f to the fleet; on error nothing was changed.
func (in *Injector) Inject(f drill.Fault) (func(), error) {
	b, ok := breakage(f)
	if !ok {
		return nil, fmt.Errorf("sim: %s fault (line %d) is not the simulated fleet's; compose with a drill.Filter for it", f.Kind, f.Line)
	}
	names, err := in.mirrors(f)
	if err != nil {
		return nil, err
	}
	undo, err := in.br.Break(names, b)
	if err != nil {
		return nil, fmt.Errorf("%s fault (line %d): %w", f.Kind, f.Line, err)
	}
	return undo, nil
}

// Broken counts the nodes a fault is on now: 0 once every fault is removed.
func (in *Injector) Broken() int { return in.br.Broken() }

// breakage translates a fault; false for kinds that are not the fleet's.
func breakage(f drill.Fault) (sim.Breakage, bool) {
	switch f.Kind {
	case drill.KindMirrorDown, drill.KindRegionDown:
		return sim.Breakage{Down: true}, true
	case drill.KindSlow:
		return sim.Breakage{Delay: f.Delay}, true
	case drill.KindLag:
		return sim.Breakage{Behind: f.Behind}, true
	case drill.KindDrift:
		return sim.Breakage{Drift: true}, true
	case drill.KindFlapping:
		p := f.Period
		if p <= 0 {
			p = drill.DefaultFlapPeriod
		}
		return sim.Breakage{FlapPeriod: p}, true
	}
	return sim.Breakage{}, false
}

// mirrors is Fault.Mirrors when the runner filled them, else the fault's
// mirror or every mirror of its region.
func (in *Injector) mirrors(f drill.Fault) ([]string, error) {
	switch {
	case len(f.Mirrors) > 0:
		return f.Mirrors, nil
	case f.Mirror != "":
		return []string{f.Mirror}, nil
	case f.Region == "":
		return nil, fmt.Errorf("sim: %s fault (line %d) names no mirror or region", f.Kind, f.Line)
	}
	var names []string
	regions := map[string]bool{}
	for name, region := range in.fleet.Places() {
		regions[region] = true
		if region == f.Region {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		var list []string
		for r := range regions {
			list = append(list, r)
		}
		sort.Strings(list)
		return nil, fmt.Errorf("sim: %s fault (line %d): no simulated mirror is in region %q; its regions are %s",
			f.Kind, f.Line, f.Region, strings.Join(list, ", "))
	}
	sort.Strings(names)
	return names, nil
}
