package room

import (
	"context"
	"fmt"
	"strings"

	"warroom/backends/drill"
)

// Scenario is a loaded drill as people read it before starting it, in the
// room's own words: views show it and hand it back to StartScenario
// without knowing the drill package.
type Scenario struct {
	Name    string
	Summary string   // one line; "" when the file has none
	File    string   // where it was loaded from, for the journal
	Live    bool     // failover and rollback run for real
	Lasts   string   // the time limit, e.g. "15m"
	Goals   []string // e.g. "detect within 1m", in response order
	Faults  []string // e.g. "at 30s: region-down region ap for 10m", in file order

	sc *drill.Scenario
}

// ScenarioOf describes sc, loaded from file, for views; nil describes nothing.
func ScenarioOf(sc *drill.Scenario, file string) Scenario {
	if sc == nil {
		return Scenario{File: file}
	}
	s := Scenario{Name: sc.Name, Summary: sc.Description, File: file, Live: sc.Live, Lasts: drill.Short(sc.Duration), sc: sc}
	for _, g := range sc.Goals {
		s.Goals = append(s.Goals, fmt.Sprintf("%s within %s", g.Name, drill.Short(g.Within)))
	}
	for _, f := range sc.Faults {
		s.Faults = append(s.Faults, faultText(f))
	}
	return s
}

// Source is the parsed scenario s describes, for a node that forwards the
// start to the leader.
func (s Scenario) Source() *drill.Scenario { return s.sc }

// StartScenario starts a scenario that ScenarioOf described (see StartDrill).
func (r *Room) StartScenario(ctx context.Context, s Scenario, actor Actor) error {
	return r.StartDrill(ctx, s.sc, s.File, actor)
}

// faultText is one fault: when, what, on what, for how long.
func faultText(f drill.Fault) string {
	on := f.Mirror
	switch {
	case f.Region != "":
		on = "region " + f.Region
	case f.Channel != "":
		on = "channel " + f.Channel
	case on == "" && strings.HasPrefix(f.Kind, "webhook"):
		on = "every channel"
	}
	s := fmt.Sprintf("at %s: %s", drill.Short(f.At), f.Kind)
	if on != "" {
		s += " " + on
	}
	if f.For > 0 {
		s += " for " + drill.Short(f.For)
	} else {
		s += " until the end"
	}
	return s
}
