package mirrors

import (
	"context"
	"testing"
	"time"

	"warroom/backends/config"
	"warroom/backends/sim"
)

// loopbackLatencies are healthy sub-millisecond answers with 3 ms spikes,
// three in a row at times (FailAfter's worth), as loopback probes show
// when the machine is busy.
func loopbackLatencies(n int) []time.Duration {
	out := make([]time.Duration, 0, n)
	for i := range n {
		lat := 300*time.Microsecond + time.Duration(i%5)*100*time.Microsecond // 0.3–0.7 ms
		if i%10 >= 7 {
			lat = 3 * time.Millisecond
		}
		out = append(out, lat)
	}
	return out
}

func TestLatencyFloorKeepsFastMirrorsUp(t *testing.T) {
	t0 := time.Date(2026, 8, 22, 12, 0, 0, 0, time.UTC)
	degradedBy := func(th config.Thresholds) (n int) {
		tr := NewTracker(config.Health{FailAfter: 3, RecoverAfter: 2}, th)
		for i, lat := range loopbackLatencies(200) {
			tr.Observe(Observation{Mirror: "lo", Start: t0.Add(time.Duration(i) * 15 * time.Second), Status: 200, Latency: lat})
			if tr.State() == StateDegraded {
				n++
			}
		}
		return n
	}
	th := config.DefaultThresholds()
	if n := degradedBy(th); n != 0 {
		t.Errorf("with the %v floor: degraded after %d of 200 probes, want none", th.LatencyFloor, n)
	}
	th.LatencyFloor = 0 // the ratio alone: what the floor prevents
	if n := degradedBy(th); n == 0 {
		t.Error("without a floor the 3 ms spikes never degraded the mirror; the test proves nothing")
	}
}

// Real loopback probes: a healthy sim mirror and one with short 3 ms
// spikes stay up; one that turns 250 ms slower is degraded.
func TestLatencyFloorOnRealLoopbackMirrors(t *testing.T) {
	f, err := sim.Start(sim.Options{Mirrors: 3, Seed: 4, SyncEvery: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ms := f.Mirrors()
	healthy, spiky, slow := ms[0], ms[1], ms[2]
	p := NewProber(ProberOptions{})
	defer p.Close()
	th := config.DefaultThresholds()
	trackers := map[string]*Tracker{}
	probe := func(n *sim.Node) {
		m := simMirror(t, n)
		if trackers[n.Name] == nil {
			trackers[n.Name] = NewTracker(m.Health, th)
		}
		trackers[n.Name].Observe(p.Probe(context.Background(), m))
	}
	for i := range 30 {
		spiky.SetDelay(0)
		if i%10 >= 7 {
			spiky.SetDelay(3 * time.Millisecond)
		}
		for _, n := range ms {
			probe(n)
		}
		for _, n := range []*sim.Node{healthy, spiky} {
			if tr := trackers[n.Name]; tr.State() != StateUp {
				t.Fatalf("probe %d: %s is %s (%s), baseline %v; want up", i, n.Name, tr.State(), tr.Reason(), tr.Baseline())
			}
		}
	}
	slow.SetDelay(250 * time.Millisecond)
	for range 3 {
		probe(slow)
	}
	if tr := trackers[slow.Name]; tr.State() != StateDegraded {
		t.Errorf("250 ms slower for 3 probes: %s (%s), baseline %v; want degraded", tr.State(), tr.Reason(), tr.Baseline())
	}
}
