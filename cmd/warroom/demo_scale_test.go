package main

import (
	"strings"
	"testing"
	"time"

	"warroom/backends/sim"
)

// The demo's script keeps its pace at any size, while the probes of the
// rest stay within the budget: a big fleet costs the room a bounded load.
func TestDemoProbesStayWithinTheBudget(t *testing.T) {
	for _, n := range []int{8, 100, 1000, 2000} {
		fleet, err := sim.Start(sim.Options{Mirrors: n})
		if err != nil {
			t.Fatal(err)
		}
		cfg := demoConfig(fleet, t.TempDir())
		_ = fleet.Close()
		if err := cfg.Validate(); err != nil {
			t.Fatalf("%d mirrors: demo config: %v", n, err)
		}
		perSecond := 0.0
		for i, m := range cfg.Mirrors {
			if i < demoScripted && m.Health.Interval != demoInterval {
				t.Errorf("%d mirrors: scripted %s probed every %v, want %v", n, m.Name, m.Health.Interval, demoInterval)
			}
			perSecond += float64(time.Second) / float64(m.Health.Interval)
		}
		if limit := float64(demoProbeBudget) + float64(demoScripted)/demoInterval.Seconds(); perSecond > limit+0.01 {
			t.Errorf("%d mirrors: %.1f probes a second, over %.1f", n, perSecond, limit)
		}
		pace := demoPace(n)
		if every := demoExtraInterval(n); every == demoInterval {
			if pace != "" {
				t.Errorf("%d mirrors all at the demo's pace, yet the footer says %q", n, pace)
			}
		} else if !strings.Contains(pace, every.String()) {
			t.Errorf("%d mirrors: the footer %q does not say they are probed every %v", n, pace, every)
		}
	}
	if got := demoExtraInterval(5000); got != 100*time.Second {
		t.Errorf("5,000 mirrors: the rest probed every %v, want 1m40s", got)
	}
}
