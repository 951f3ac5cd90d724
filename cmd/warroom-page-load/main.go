// Command warroom-page-load measures paging with the real binary: `warroom
// serve` watching a simulated fleet in this process and paging a
// PagerDuty stand-in (and, in the storm, a Slack one) on loopback. It
// builds the binary once (or takes -bin), keeps the room's state in a
// temporary folder it removes, kills its child if it dies (Pdeathsig), and
// stops by itself within -budget.
//
//	go run ./cmd/warroom-page-load -measure kills -kills 50
//	go run ./cmd/warroom-page-load -measure storm -mirrors 200 -alerts 500 -window 10m
//
// kills: kill the active mirror and bring it back N times; for each, kill →
// detection (the alert.raised event's time in the journal) and detection →
// the trigger's arrival at the stand-in, with the route's group_wait.
// storm: alerts raised across many mirrors within the window; messages per
// receiver, alerts lost, and the server's CPU (/proc/PID/stat of the serve
// process only) against a quiet baseline of the same fleet.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

type options struct {
	bin       string
	measure   string
	kills     int
	groupWait time.Duration
	mirrors   int
	alerts    int
	window    time.Duration
	baseline  time.Duration
	stormWait time.Duration // group_wait of the storm's route
	interval  time.Duration // group_interval of the storm's route
	budget    time.Duration
	seed      int64
	keep      bool
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "", "the warroom binary (default: build ./cmd/warroom once into the temporary folder)")
	flag.StringVar(&o.measure, "measure", "", "kills or storm")
	flag.IntVar(&o.kills, "kills", 50, "kills: how many times to kill the active mirror")
	flag.DurationVar(&o.groupWait, "group-wait", 2*time.Second, "kills: the route's group_wait")
	flag.IntVar(&o.mirrors, "mirrors", 200, "storm: simulated mirrors")
	flag.IntVar(&o.alerts, "alerts", 500, "storm: mirror outages (each one alert) within the window")
	flag.DurationVar(&o.window, "window", 10*time.Minute, "storm: the window the outages start in")
	flag.DurationVar(&o.baseline, "baseline", 2*time.Minute, "storm: the quiet fleet's window before the storm (0: none)")
	flag.DurationVar(&o.stormWait, "storm-group-wait", 30*time.Second, "storm: the route's group_wait")
	flag.DurationVar(&o.interval, "group-interval", time.Minute, "storm: the route's group_interval")
	flag.DurationVar(&o.budget, "budget", 30*time.Minute, "stop everything after this long")
	flag.Int64Var(&o.seed, "seed", 1, "storm: seed for which mirror fails when")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary folder (config, journal, server log) and print its path")
	flag.Parse()
	if err := o.validate(); err != nil {
		fmt.Fprintln(os.Stderr, "warroom-page-load:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	ctx, cancel := context.WithTimeout(ctx, o.budget)
	err := run(ctx, os.Stdout, o)
	cancel()
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "warroom-page-load:", err)
		os.Exit(1)
	}
}

func (o options) validate() error {
	switch {
	case o.measure != "kills" && o.measure != "storm":
		return fmt.Errorf("-measure %q: want kills or storm", o.measure)
	case o.kills < 1 || o.kills > 1000:
		return fmt.Errorf("-kills %d: want 1 to 1000", o.kills)
	case o.groupWait < time.Second:
		return fmt.Errorf("-group-wait %s: want 1s or more", o.groupWait)
	case o.mirrors < 2 || o.mirrors > 2000:
		return fmt.Errorf("-mirrors %d: want 2 to 2000", o.mirrors)
	case o.alerts < 1 || o.alerts > 10*o.mirrors:
		return fmt.Errorf("-alerts %d: want 1 to 10 per mirror", o.alerts)
	case o.window < 10*time.Second || o.baseline < 0 || o.interval < time.Second || o.stormWait < time.Second:
		return fmt.Errorf("-window at least 10s, -baseline not negative, -storm-group-wait and -group-interval at least 1s")
	case outageLength(o) < minOutage:
		return fmt.Errorf("-alerts %d on -mirrors %d within -window %s: a mirror failing twice would be up for less than %s between outages of %s; want fewer alerts, more mirrors or a longer window",
			o.alerts, o.mirrors, o.window, minUptime, minOutage)
	}
	return nil
}

func run(ctx context.Context, w io.Writer, o options) error {
	dir, err := os.MkdirTemp("", "warroom-page-load-")
	if err != nil {
		return err
	}
	if o.keep {
		defer fmt.Fprintln(w, "kept", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	if o.bin == "" {
		if o.bin, err = buildBinary(ctx, dir); err != nil {
			return err
		}
	}
	if o.measure == "kills" {
		res, err := measureKills(ctx, o, dir)
		if err != nil {
			return err
		}
		res.print(w, o)
		return nil
	}
	res, err := measureStorm(ctx, o, dir)
	if err != nil {
		return err
	}
	res.print(w, o)
	if res.lost > 0 || res.unsent > 0 {
		return fmt.Errorf("%d alerts never listed to a receiver, %d messages not sent", res.lost, res.unsent)
	}
	return nil
}
