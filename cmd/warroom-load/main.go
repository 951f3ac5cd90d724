// Command warroom-load measures what probing a large fleet costs: it starts
// a simulated fleet (by default in a child process, so the CPU figures are
// the prober's alone), probes it with the mirrors scheduler or a bare
// http.Get loop, and prints CPU, allocation and schedule-fidelity figures.
//
//	go run ./cmd/warroom-load -mirrors 1000 -interval 15s -duration 2m
//	go run ./cmd/warroom-load -mirrors 1000 -interval 15s -duration 2m -bare
//	go run ./cmd/warroom-load -mirrors 1000 -interval 15s -duration 1m -blackhole 100
//	go run ./cmd/warroom-load -mirrors 100 -interval 15s -detect 25
//	go run ./cmd/warroom-load -mirrors 100 -interval 15s -detect 25 -dark
//	go run ./cmd/warroom-load -serve -mirrors 10000 -marks 1m,5m,10m -baseline 2m
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

type options struct {
	mirrors    int
	interval   time.Duration
	timeout    time.Duration
	duration   time.Duration
	blackhole  int
	bare       bool
	inproc     bool
	serveSim   bool
	freshEvery int
	seed       int64
	detect     int           // kill this many mirrors and time kill → down
	dark       bool          // -detect: silence them instead (a host gone dark)
	retry      time.Duration // health.retry_interval of the probed mirrors
	serveOpts
}

func main() {
	var o options
	flag.IntVar(&o.mirrors, "mirrors", 1000, "number of simulated mirrors")
	flag.DurationVar(&o.interval, "interval", 15*time.Second, "probe interval per mirror")
	flag.DurationVar(&o.timeout, "timeout", 5*time.Second, "probe timeout")
	flag.DurationVar(&o.duration, "duration", 2*time.Minute, "how long to probe")
	flag.IntVar(&o.blackhole, "blackhole", 0, "black-hole this many mirrors (isolation mode)")
	flag.BoolVar(&o.bare, "bare", false, "baseline: plain shared-client GET loop, no parsing")
	flag.BoolVar(&o.inproc, "inproc", false, "run the sim in this process (CPU figures then include it)")
	flag.BoolVar(&o.serveSim, "serve-sim", false, "internal: serve the sim fleet and print its URLs (child mode)")
	flag.IntVar(&o.freshEvery, "fresh-every", 0, "prober: every Nth probe on new connections (0 = default 4, -1 = never)")
	flag.Int64Var(&o.seed, "seed", 1, "sim seed")
	flag.IntVar(&o.detect, "detect", 0, "kill this many mirrors at random and time kill → down, with -retry and without (in-process fleet)")
	flag.BoolVar(&o.dark, "dark", false, "-detect: black-hole the mirrors instead of killing them (a host gone dark sends no FIN)")
	flag.DurationVar(&o.retry, "retry", 2*time.Second, "health.retry_interval of every mirror (0 = none; below -interval)")
	flag.BoolVar(&o.serve, "serve", false, "measure the real warroom serve probing the fleet (RSS, CPU, lateness, inbox) instead")
	flag.StringVar(&o.bin, "bin", "", "-serve: the warroom binary (default: go build it)")
	flag.StringVar(&o.marks, "marks", "1m,5m,10m", "-serve: when to print figures; the last is the run's length")
	flag.StringVar(&o.checks, "checks", "all", "what a check is: all (health, lag, manifest, syncing marker) or health")
	flag.DurationVar(&o.baseline, "baseline", 0, "-serve: then run the bare loop this long on the same fleet and compare CPU per check")
	flag.StringVar(&o.profile, "profile", "", "-serve: save the server's heap and CPU profile here at the end")
	flag.DurationVar(&o.cpuFor, "cpu-profile-for", 30*time.Second, "-serve: how long the CPU profile runs")
	flag.Parse()

	var err error
	switch {
	case o.serveSim:
		err = serveSim(o, os.Stdin, os.Stdout)
	case o.serve:
		err = runServe(o, os.Stdout)
	case o.detect > 0:
		err = runDetect(o, o.detect, o.retry, os.Stdout)
	default:
		err = run(o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "warroom-load:", err)
		os.Exit(1)
	}
}

func (o options) validate() error {
	switch {
	case o.mirrors < 1:
		return fmt.Errorf("-mirrors %d: want at least 1", o.mirrors)
	case o.blackhole < 0 || o.blackhole >= o.mirrors:
		return fmt.Errorf("-blackhole %d: want 0 to %d (some mirrors must stay healthy)", o.blackhole, o.mirrors-1)
	case o.interval <= 0 || o.timeout <= 0:
		return fmt.Errorf("-interval %v -timeout %v: both must be positive", o.interval, o.timeout)
	case o.retry < 0 || o.retry >= o.interval:
		return fmt.Errorf("-retry %v: want 0 (none) or below -interval %v", o.retry, o.interval)
	case o.duration < o.interval:
		return fmt.Errorf("-duration %v: want at least one -interval (%v)", o.duration, o.interval)
	}
	return nil
}
