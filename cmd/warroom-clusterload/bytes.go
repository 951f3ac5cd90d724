package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"warroom/backends/config"
	"warroom/backends/sim"
	"warroom/cmd/internal/procstat"
)

// demoRegions and demoActive follow `warroom demo --cluster 3`: the last
// region cannot reach the last mirror, and mirror 6 serves traffic.
var demoRegions = []string{"eu-west", "us-east", "ap-south"}

const demoActive = 5

// measureBytes runs, o.runs times on fresh processes, a 3-node cluster of
// demo-nodes watching the demo's animated fleet with the demo's probe
// settings, and counts over o.window what the journal grew by and what
// crossed the peer links (every byte through the proxies in front of the
// members' peer ports: raft, heartbeats, leases, verdicts, node status).
func measureBytes(ctx context.Context, o options, dir string) error {
	fmt.Printf("bytes: 3 demo-nodes (regions %v; heartbeat %v, election %v, lease %v) on the demo's animated fleet of 8 mirrors, probes every 3s; window %v after %v warm-up; nobody connected, no outage of the active mirror, no actions\n",
		demoRegions, o.heartbeat, o.election, o.lease, o.window, o.warmup)
	var journalH, soloH, peerH, evMin, ratio []float64
	perHour := func(b int64) float64 { return mib(b) * float64(time.Hour) / float64(o.window) }
	for run := 1; run <= o.runs; run++ {
		t, err := bytesRun(ctx, o, filepath.Join(dir, "bytes"+strconv.Itoa(run)))
		if err != nil {
			return fmt.Errorf("run %d: %w", run, err)
		}
		fmt.Printf("run %d over %v: cluster %d events, journal +%d bytes, peer links %d bytes; single node %d events, journal +%d bytes → journal %.2f MiB/h (single %.2f), peer traffic %.1f MiB/h; load %s\n",
			run, o.window, t.events, t.journal, t.peer, t.soloEvents, t.soloJournal, perHour(t.journal), perHour(t.soloJournal), perHour(t.peer), procstat.LoadAvg())
		journalH, soloH, peerH = append(journalH, perHour(t.journal)), append(soloH, perHour(t.soloJournal)), append(peerH, perHour(t.peer))
		evMin = append(evMin, float64(t.events)*float64(time.Minute)/float64(o.window))
		ratio = append(ratio, float64(t.peer)/float64(max(t.soloJournal, 1)))
	}
	fmt.Printf("cluster: %s events a minute, journal %s MiB/h, all peer traffic %s MiB/h; single node's journal %s MiB/h; peer traffic ÷ single journal %s× (scaled linearly from the window)\n",
		spread(evMin, "%.1f"), spread(journalH, "%.2f"), spread(peerH, "%.1f"), spread(soloH, "%.2f"), spread(ratio, "%.0f"))
	return nil
}

// bytesRun measures one run of the cluster and, alongside on the same
// fleet, a single-node serve.
func bytesRun(ctx context.Context, o options, dir string) (tally, error) {
	f, err := sim.Start(sim.Options{Mirrors: 8, Seed: 1, SyncEvery: 10 * time.Second})
	if err != nil {
		return tally{}, err
	}
	defer f.Close()
	actx, cancel := context.WithCancel(ctx)
	animated := make(chan struct{})
	go func() { f.Animate(actx); close(animated) }()
	defer func() { cancel(); <-animated }() // before the fleet closes
	ms := f.Mirrors()
	ms[len(ms)-1].SetUnreachableFrom(demoRegions[len(demoRegions)-1])
	s := spec{nodes: 3, regions: demoRegions, fleet: f, demo: true,
		health: config.Health{Path: "/health", Interval: 3 * time.Second, Timeout: 2500 * time.Millisecond, FailAfter: 2, RecoverAfter: 2},
		tune:   demoThresholds}
	nodes, err := startNodes(ctx, o, filepath.Join(dir, "cluster"), s)
	if err != nil {
		return tally{}, err
	}
	defer closeNodes(nodes)
	s.nodes, s.demo = 0, false
	solo, err := startNodes(ctx, o, filepath.Join(dir, "single"), s)
	if err != nil {
		return tally{}, err
	}
	defer closeNodes(solo)
	if _, err := settled(ctx, o.bin, nodes[0], len(nodes)); err != nil {
		return tally{}, fmt.Errorf("cluster not settled: %w", err)
	}
	if err := pause(ctx, o.warmup); err != nil {
		return tally{}, err
	}
	t0, err := counters(nodes, solo[0])
	if err != nil {
		return tally{}, err
	}
	if err := pause(ctx, o.window); err != nil {
		return tally{}, err
	}
	t1, err := counters(nodes, solo[0])
	return t1.minus(t0), err
}

// demoThresholds are the demo's: lag warnings within minutes, short sustain.
func demoThresholds(c *config.Config) {
	for i := range c.Mirrors {
		c.Mirrors[i].Role = map[bool]string{true: "active", false: "backup"}[i == demoActive]
	}
	c.Thresholds.LagWarning = time.Minute
	c.Thresholds.LagCritical = 3 * time.Minute
	c.Thresholds.Sustain = 10 * time.Second
}

// tally is what a window is measured by.
type tally struct {
	journal, soloJournal, peer int64
	events, soloEvents         int
}

func (a tally) minus(b tally) tally {
	return tally{a.journal - b.journal, a.soloJournal - b.soloJournal, a.peer - b.peer, a.events - b.events, a.soloEvents - b.soloEvents}
}

// counters reads the journals of n1 and of the single node (size, events)
// and the peer bytes so far.
func counters(nodes []*node, solo *node) (tally, error) {
	var t tally
	var err error
	if t.journal, t.events, err = journalSize(nodes[0]); err != nil {
		return t, err
	}
	if t.soloJournal, t.soloEvents, err = journalSize(solo); err != nil {
		return t, err
	}
	for _, nd := range nodes {
		t.peer += nd.proxy.total()
	}
	return t, nil
}

func journalSize(nd *node) (int64, int, error) {
	st, err := os.Stat(filepath.Join(nd.dir, "journal.jsonl"))
	if err != nil {
		return 0, 0, err
	}
	evs, err := events(nd)
	return st.Size(), len(evs), err
}
