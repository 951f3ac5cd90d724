package mirrors

import (
	"context"
	"testing"
	"time"

	"warroom/backends/config"
)

// TestDriftWithoutSerial: lag sources without a serial (beacon,
// last-modified) still find a mirror serving another manifest than the
// origin's of the same cycle, over real HTTP; one that is a cycle behind
// is checked against the origin's manifest of its own cycle.
func TestDriftWithoutSerial(t *testing.T) {
	f, clk := startFleet(t, 3)
	ms := f.Mirrors()
	same, drifted, behind := ms[0], ms[1], ms[2]
	for _, n := range ms {
		n.SetLagBehind(0)
	}
	drifted.SetDrift(true)
	p := NewProber(ProberOptions{Clock: clk})
	defer p.Close()
	for _, kind := range []string{config.LagBeacon, config.LagLastModified} {
		t.Run(kind, func(t *testing.T) {
			probe := func(name, url string) Observation {
				m := mirrorFor(t, name, url, kind, "/lastsync")
				m.Syncing = ""
				o := p.Probe(context.Background(), m)
				if !o.OK() || o.Sync.Err != "" || o.Sync.Manifest == "" || o.Sync.Serial != 0 {
					t.Fatalf("%s: %+v", name, o)
				}
				return o
			}
			hist := NewOriginHistory(0)
			origin := probe(f.Origin().Name, f.Origin().URL).Sync
			hist.Add(origin)
			behind.SetFrozen(true) // holds this cycle from now on
			defer behind.SetFrozen(false)
			clk.Advance(time.Minute) // the origin moves two cycles on
			origin = probe(f.Origin().Name, f.Origin().URL).Sync
			hist.Add(origin)
			for _, tc := range []struct {
				name        string
				url         string
				drift, lags bool
			}{{same.Name, same.URL, false, false}, {drifted.Name, drifted.URL, true, false}, {behind.Name, behind.URL, false, true}} {
				pos := Compare(origin, hist, probe(tc.name, tc.url).Sync)
				if pos.Drift != tc.drift || !pos.LagKnown || (pos.Lag > 0) != tc.lags {
					t.Errorf("%s: %+v, want drift %v, lagging %v", tc.name, pos, tc.drift, tc.lags)
				}
			}
		})
	}
}
