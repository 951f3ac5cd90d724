package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"warroom/backends/config"
	"warroom/backends/sim"
	"warroom/cmd/internal/procstat"
)

// usage is one process's CPU over the window and its RSS at the end.
type usage struct {
	cpu float64 // share of one core
	rss int64
}

// measureIdle runs, o.runs times on fresh processes, a 3-node cluster and
// a single-node serve side by side over one fleet of o.mirrors, with the
// default probe settings and nobody connected, and reads each process's
// CPU over o.window and its RSS.
func measureIdle(ctx context.Context, o options, dir string) error {
	f, err := sim.Start(sim.Options{Mirrors: o.mirrors, Seed: 1, SyncEvery: 30 * time.Second})
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Printf("idle: %d mirrors + origin, default probing (every %v), a 3-node cluster (heartbeat %v, election %v, lease %v) and a single-node serve on the same fleet at once; window %v after %v warm-up; fleet in this process\n",
		o.mirrors, idleHealth().Interval, o.heartbeat, o.election, o.lease, o.window, o.warmup)
	var cpuRatio, rssRatio, nodeCPU, nodeRSS, soloCPU, soloRSS []float64
	for run := 1; run <= o.runs; run++ {
		cl, solo, err := idleRun(ctx, o, filepath.Join(dir, "idle"+strconv.Itoa(run)), f)
		if err != nil {
			return fmt.Errorf("run %d: %w", run, err)
		}
		var c, r float64
		for i, u := range cl {
			fmt.Printf("run %d: node n%d  CPU %5.2f%% of a core  RSS %6.1f MiB\n", run, i+1, 100*u.cpu, mib(u.rss))
			c, r = c+u.cpu/float64(len(cl)), r+float64(u.rss)/float64(len(cl))
			nodeCPU, nodeRSS = append(nodeCPU, 100*u.cpu), append(nodeRSS, mib(u.rss))
		}
		fmt.Printf("run %d: single  CPU %5.2f%% of a core  RSS %6.1f MiB  (cluster node ÷ single: CPU %.2f×, RSS %.2f×); load %s\n",
			run, 100*solo.cpu, mib(solo.rss), c/solo.cpu, r/float64(solo.rss), procstat.LoadAvg())
		cpuRatio, rssRatio = append(cpuRatio, c/solo.cpu), append(rssRatio, r/float64(solo.rss))
		soloCPU, soloRSS = append(soloCPU, 100*solo.cpu), append(soloRSS, mib(solo.rss))
	}
	fmt.Printf("cluster node: CPU %s%% of a core, RSS %s MiB (every node of every run)\n", spread(nodeCPU, "%.2f"), spread(nodeRSS, "%.1f"))
	fmt.Printf("single node:  CPU %s%% of a core, RSS %s MiB\n", spread(soloCPU, "%.2f"), spread(soloRSS, "%.1f"))
	fmt.Printf("ratio (mean node of the run ÷ single): CPU %s×, RSS %s×\n", spread(cpuRatio, "%.2f"), spread(rssRatio, "%.2f"))
	return nil
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// idleRun starts both setups, waits out the warm-up and measures.
func idleRun(ctx context.Context, o options, dir string, f *sim.Fleet) ([]usage, usage, error) {
	health := idleHealth()
	cl, err := startNodes(ctx, o, filepath.Join(dir, "cluster"), spec{nodes: 3, regions: []string{"r1", "r2", "r3"}, fleet: f, health: health})
	if err != nil {
		return nil, usage{}, err
	}
	defer closeNodes(cl)
	solo, err := startNodes(ctx, o, filepath.Join(dir, "single"), spec{fleet: f, health: health})
	if err != nil {
		return nil, usage{}, err
	}
	defer closeNodes(solo)
	if _, err := settled(ctx, o.bin, cl[0], len(cl)); err != nil {
		return nil, usage{}, fmt.Errorf("cluster not settled: %w", err)
	}
	if err := pause(ctx, o.warmup); err != nil {
		return nil, usage{}, err
	}
	all := append(append([]*node{}, cl...), solo...)
	us, err := sample(ctx, all, o.window)
	if err != nil {
		return nil, usage{}, err
	}
	return us[:len(cl)], us[len(cl)], nil
}

// sample reads each process's CPU time across window and its RSS at the end.
func sample(ctx context.Context, nodes []*node, window time.Duration) ([]usage, error) {
	before := make([]time.Duration, len(nodes))
	for i, nd := range nodes {
		var err error
		if before[i], err = procstat.CPU(nd.pid()); err != nil {
			return nil, fmt.Errorf("node %s: %v", nd.name, err)
		}
	}
	start := time.Now()
	if err := pause(ctx, window); err != nil {
		return nil, err
	}
	wall := time.Since(start)
	out := make([]usage, len(nodes))
	for i, nd := range nodes {
		after, err := procstat.CPU(nd.pid())
		if err != nil {
			return nil, fmt.Errorf("node %s: %v", nd.name, err)
		}
		if out[i].rss, err = procstat.RSS(nd.pid()); err != nil {
			return nil, fmt.Errorf("node %s: %v", nd.name, err)
		}
		out[i].cpu = (after - before[i]).Seconds() / wall.Seconds()
	}
	return out, nil
}

// idleHealth is the default probing, of the fleet's health path.
func idleHealth() config.Health {
	h := config.DefaultHealth()
	h.Path = "/health"
	return h
}
