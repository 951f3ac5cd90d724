package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/mirrors"
)

func run(o options) error {
	if err := o.validate(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "starting sim fleet of %d mirrors (%s)…\n", o.mirrors, map[bool]string{true: "in process", false: "child process"}[o.inproc])
	fl, err := openFleet(o)
	if err != nil {
		return err
	}
	defer fl.close()
	targets, err := mirrorConfigs(o, fl.targets)
	if err != nil {
		return err
	}

	runtime.GC()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	cpu0 := selfCPU()
	sim0, simOK := procCPU(fl.simPID())
	start := time.Now()
	rec := newRecorder(fl.targets, start)
	ctx, cancel := context.WithTimeout(context.Background(), o.duration)
	defer cancel()

	mode := "prober"
	var skipped int64
	if o.bare {
		mode = "bare loop"
		runBare(ctx, o, fl.targets, rec)
	} else {
		p := mirrors.NewProber(mirrors.ProberOptions{FreshEvery: o.freshEvery})
		defer p.Close()
		s := mirrors.NewScheduler(p, clockwork.NewRealClock(), rec.sink)
		s.OnStart = rec.onStart
		s.Run(ctx, targets)
		skipped = s.Skipped()
	}
	end := time.Now()
	wall := end.Sub(start)
	cpu := selfCPU() - cpu0
	sim1, sim1OK := procCPU(fl.simPID())
	runtime.ReadMemStats(&ms1)

	w := os.Stdout
	rec.mu.Lock()
	probes, okN := rec.probes, rec.ok
	p50, p99, mx := percentiles(rec.late)
	b50, b99, bmx := percentiles(rec.lateBH)
	rec.mu.Unlock()
	fid := rec.fidelity(start.Add(o.duration), o.interval, mirrors.DefaultJitter)

	fmt.Fprintf(w, "mode %s: %d targets (origin + %d mirrors, %d black-holed), interval %v, timeout %v, ran %v, GOMAXPROCS %d\n",
		mode, len(fl.targets), o.mirrors, o.blackhole, o.interval, o.timeout, wall.Round(time.Millisecond), runtime.GOMAXPROCS(0))
	if !o.bare {
		fmt.Fprintf(w, "  fresh-every %d (0 = default %d)\n", o.freshEvery, mirrors.DefaultFreshEvery)
	}
	fmt.Fprintf(w, "probes done       %d (%d fully ok)\n", probes, okN)
	rec.printReasons(w)
	if probes == 0 {
		return fmt.Errorf("no probes completed")
	}
	per := func(d time.Duration) time.Duration { return d * 1000 / time.Duration(probes) }
	who := "prober process (sim in child)"
	if o.inproc {
		who = "whole process INCLUDING the sim servers"
	}
	fmt.Fprintf(w, "CPU               %v total, %v per 1,000 probes, %.1f%% of one core — %s\n",
		cpu.Round(time.Millisecond), per(cpu).Round(time.Microsecond), 100*cpu.Seconds()/wall.Seconds(), who)
	if simOK && sim1OK {
		sc := sim1 - sim0
		fmt.Fprintf(w, "CPU (sim child)   %v total, %v per 1,000 probes, %.1f%% of one core\n",
			sc.Round(time.Millisecond), per(sc).Round(time.Microsecond), 100*sc.Seconds()/wall.Seconds())
	}
	alloc := ms1.TotalAlloc - ms0.TotalAlloc
	fmt.Fprintf(w, "allocated         %.1f MiB total, %.1f MiB per 1,000 probes (%d mallocs per probe); GC runs %d\n",
		float64(alloc)/(1<<20), float64(alloc)/(1<<20)*1000/float64(probes), (ms1.Mallocs-ms0.Mallocs)/uint64(probes), ms1.NumGC-ms0.NumGC)
	fmt.Fprintf(w, "schedule          all targets probed once after %v; %d of %d slots missing; %d gaps > 1.5 intervals; %d skipped by overrun\n",
		fid.allProbedAfter.Round(time.Millisecond), fid.missing, fid.expected, fid.holes, skipped)
	fmt.Fprintf(w, "start lateness    healthy p50 %v p99 %v max %v (n=%d)\n", p50, p99, mx, len(rec.late))
	busiest, w95 := rec.spread(o.interval)
	fmt.Fprintf(w, "spread            %.1f%% of starts in the busiest second of the interval; 95%% of them within %v of it\n",
		100*busiest, w95.Round(10*time.Millisecond))
	if o.blackhole > 0 {
		fmt.Fprintf(w, "                  black-holed p50 %v p99 %v max %v (n=%d)\n", b50, b99, bmx, len(rec.lateBH))
	}
	fmt.Fprintf(w, "  (lateness = actual start − intended deadline; deadlines carry up to %v of deliberate jitter on top of the grid)\n", mirrors.DefaultJitter)
	return nil
}

// mirrorConfigs builds what the config loader would for the sim's nodes.
func mirrorConfigs(o options, ts []target) ([]config.Mirror, error) {
	out := make([]config.Mirror, 0, len(ts))
	for _, t := range ts {
		u, err := url.Parse(t.url)
		if err != nil {
			return nil, fmt.Errorf("sim node %s: bad URL %q: %w", t.name, t.url, err)
		}
		role := "active"
		if t.name == "origin" {
			role = "origin"
		}
		out = append(out, config.Mirror{
			Name: t.name, URL: u, Role: role,
			Health: config.Health{
				Path: "/health", Method: http.MethodGet, ExpectStatus: []int{200},
				Interval: o.interval, Timeout: o.timeout, RetryInterval: o.retry, FailAfter: 3, RecoverAfter: 2,
			},
			Lag:      config.Lag{Kind: config.LagTrace, Path: "/project/trace/master"},
			Manifest: "/manifest",
			Syncing:  "/Archive-Update-in-Progress",
		})
		if o.checks == "health" {
			m := &out[len(out)-1]
			m.Lag, m.Manifest, m.Syncing = config.Lag{}, "", ""
		}
	}
	return out, nil
}
