package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/drill"
	"warroom/backends/room"
	"warroom/examples/drills"
)

// drillFlags are warroom drill's flags.
type drillFlags struct {
	roomFlags
	demo       bool
	mirrors    int
	seed       int64
	live, list bool
	headless   bool
	speed      int    // times faster than real time (--demo --headless only)
	scenario   string // the scenario argument
}

// maxSpeed bounds --speed. The demo probes every 3s with a 2.5s timeout:
// at 20× that is 150ms and 125ms of real time, far above a loaded
// machine's loopback answers (a few ms, measured latencies scaled by the
// same 20); much faster and a busy machine's hiccups would read as outages.
const maxSpeed = 20

// speedFlag is --speed: a whole number of times faster than real time.
type speedFlag struct{ n *int }

func (s speedFlag) String() string {
	if s.n == nil {
		return "1"
	}
	return strconv.Itoa(*s.n)
}

func (s speedFlag) Set(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxSpeed {
		return fmt.Errorf("want a whole number from 1 to %d (how many times faster than real time)", maxSpeed)
	}
	*s.n = n
	return nil
}

// cmdDrill runs a rehearsed outage: it checks the scenario against the
// fleet, opens the room (the configured fleet, or the demo's with --demo),
// starts the drill as the local user and runs the terminal app; with
// --headless it prints the scorecard when the drill ends instead, and
// exits 1 unless every goal was met.
func cmdDrill(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseDrill(args, stderr)
	if err != nil {
		return err
	}
	if f.list {
		return listDrills(stdout)
	}
	sc, file, err := loadScenario(f.scenario, stderr)
	if err != nil {
		return err
	}
	if f.live {
		sc.Live = true
	}
	if sc.Live {
		fmt.Fprintf(stderr, "warroom: drill %s is LIVE: failover and rollback run for real\n", sc.Name)
	}
	open := func(ctx context.Context, s *setup, o liveOptions, alongside func(*setup, *live) (func(), error)) error {
		if err := sc.Check(fleetPlaces(s.cfg)); err != nil {
			return fmt.Errorf("drill %q does not fit this fleet (%s):\n%w", sc.Name, fleetName(s.cfg), err)
		}
		if f.headless {
			return runHeadless(ctx, s, o, sc, file, stdout, stderr)
		}
		return openRoomWith(ctx, s, o, stderr, alongWith(alongside, drillAlong(ctx, sc, file)))
	}
	if f.demo {
		var fast *drill.FastClock
		if f.speed > 1 {
			if fast, err = drill.NewFastClock(f.speed); err != nil {
				return err
			}
		}
		return demoRoom(ctx, f.demoArgs(), stderr, open, fast)
	}
	s, err := load(f.roomFlags)
	if err != nil {
		return err
	}
	return open(ctx, s, liveOptions{readOnly: s.readOnly}, nil)
}

// parseDrill reads the flags, which may come before or after the scenario.
func parseDrill(args []string, stderr io.Writer) (drillFlags, error) {
	f := drillFlags{speed: 1}
	fs := newFlags("drill", stderr)
	f.register(fs)
	fs.BoolVar(&f.demo, "demo", false, "run it in the demo (a simulated fleet) instead of the configured fleet")
	fs.IntVar(&f.mirrors, "mirrors", 8, "with --demo: how many simulated mirrors")
	fs.Int64Var(&f.seed, "seed", 1, "with --demo: seed for the simulation")
	fs.BoolVar(&f.live, "live", false, "actions run for real (default: dry-run executors)")
	fs.BoolVar(&f.list, "list", false, "list the shipped scenarios and exit")
	fs.BoolVar(&f.headless, "headless", false, "no terminal app: print progress as it goes and the scorecard at the end; exit 1 if a goal was missed")
	fs.Var(speedFlag{&f.speed}, "speed", fmt.Sprintf("with --demo --headless: run the drill and the simulated fleet N times faster (1 to %d)", maxSpeed))
	pos, err := parseMixed(fs, args)
	if err != nil {
		return f, err
	}
	switch {
	case f.list:
		return f, nil
	case len(pos) != 1:
		return f, usageError("drill: name one scenario: a file, or a shipped one (warroom drill --list)")
	case f.demo && f.config != "":
		return f, usageError("drill: --demo and --config: choose one fleet")
	case f.speed > 1 && !f.demo:
		return f, usageError("drill: --speed needs --demo: a configured fleet's mirrors sync and answer in real time; only the simulated fleet can run faster")
	case f.speed > 1 && !f.headless:
		return f, usageError(fmt.Sprintf("drill: --speed needs --headless: nobody at a keyboard can respond %d times faster", f.speed))
	}
	f.scenario = pos[0]
	return f, nil
}

// demoArgs are the demo's flags that warroom drill passes on.
func (f drillFlags) demoArgs() []string {
	a := []string{"--mirrors", strconv.Itoa(f.mirrors), "--seed", strconv.FormatInt(f.seed, 10)}
	if f.theme != "" {
		a = append(a, "--theme", f.theme)
	}
	if f.keymap != "" {
		a = append(a, "--keymap", f.keymap)
	}
	if f.readOnly {
		a = append(a, "--readonly")
	}
	return a
}

// loadScenario reads a scenario file, or a shipped scenario by name (or by
// its path in the source tree, from wherever the binary runs). It returns
// the file as the journal should name it.
func loadScenario(arg string, stderr io.Writer) (*drill.Scenario, string, error) {
	_, statErr := os.Stat(arg)
	name := strings.TrimSuffix(filepath.Base(arg), ".yaml")
	shipped := slices.Contains(drills.Names(), name)
	switch {
	case statErr == nil:
		s, err := drill.Load(arg)
		return s, arg, err
	case errors.Is(statErr, fs.ErrNotExist) && shipped:
		if arg != name && filepath.ToSlash(arg) != drills.File(name) {
			fmt.Fprintf(stderr, "warroom: no file %s: running the shipped drill %s\n", arg, name)
		}
		s, err := drills.Load(name)
		return s, drills.File(name), err
	case errors.Is(statErr, fs.ErrNotExist):
		return nil, "", fmt.Errorf("drill: no scenario file %s, and no shipped drill by that name; the shipped drills are %s (warroom drill --list)",
			arg, strings.Join(drills.Names(), ", "))
	}
	return nil, "", fmt.Errorf("drill: %v", statErr)
}

// listDrills prints the shipped scenarios, one a line.
func listDrills(stdout io.Writer) error {
	for _, name := range drills.Names() {
		s, err := drills.Load(name)
		if err != nil {
			return err
		}
		goals := make([]string, len(s.Goals))
		for i, g := range s.Goals {
			goals[i] = g.Name + " " + drill.Short(g.Within)
		}
		fmt.Fprintf(stdout, "%-20s %5s  %s\n%20s        goals: %s\n", name, drill.Short(s.Duration), s.Description, "", strings.Join(goals, ", "))
	}
	fmt.Fprintln(stdout, "\nRun one: warroom drill --demo NAME (or a scenario file of your own; see examples/drills).")
	return nil
}

// drillAlong starts the drill once the room has had a first look at the
// fleet, as the local user; its stop ends the drill (journaled, every
// fault removed) if it still runs when the room closes.
func drillAlong(ctx context.Context, sc *drill.Scenario, file string) func(*setup, *live) (func(), error) {
	return func(s *setup, l *live) (func(), error) {
		me := localActor()
		if err := startDrill(ctx, l, sc, file, me); err != nil {
			return nil, err
		}
		return func() { stopDrill(l, me, "the room closed") }, nil
	}
}

// alongWith runs a's start and then b's, and stops them in reverse.
func alongWith(a, b func(*setup, *live) (func(), error)) func(*setup, *live) (func(), error) {
	if a == nil {
		return b
	}
	return func(s *setup, l *live) (func(), error) {
		stopA, err := a(s, l)
		if err != nil {
			return nil, err
		}
		stopB, err := b(s, l)
		if err != nil {
			stopA()
			return nil, err
		}
		return func() { stopB(); stopA() }, nil
	}
}

// startDrill waits for the room's first look at the fleet (so the drill
// starts from a known state), then starts the drill.
func startDrill(ctx context.Context, l *live, sc *drill.Scenario, file string, me room.Actor) error {
	if _, err := firstLook(ctx, l.door, l.cfg); err != nil {
		return err
	}
	return l.door.StartScenario(ctx, room.ScenarioOf(sc, file), me)
}

// stopDrill ends a running drill; a drill already over is left alone.
func stopDrill(l *live, me room.Actor, reason string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if snap := l.room.Snapshot(); snap.Drill != nil && !snap.Drill.Ended {
		_ = l.door.StopDrill(ctx, reason, me)
	}
}

// runHeadless runs the drill with no terminal app: it prints progress to
// stderr as it goes and the scorecard in Markdown to stdout when the drill
// ends, and fails (exit 1) unless every goal was met. An interrupt stops
// the drill and still prints the scorecard.
func runHeadless(ctx context.Context, s *setup, o liveOptions, sc *drill.Scenario, file string, stdout, stderr io.Writer) error {
	// The room outlives ctx, so an interrupted drill is stopped and
	// journaled before it closes.
	l, err := startLive(context.WithoutCancel(ctx), s.cfg, o, stderr)
	if err != nil {
		return err
	}
	defer l.Close()
	me := localActor()
	sub := l.room.Subscribe()
	defer sub.Close()
	clock, speed := o.clock()
	began := clock.Now()
	if err := startDrill(ctx, l, sc, file, me); err != nil {
		return err
	}
	lasts, pace := sc.Duration/time.Duration(speed), ""
	if speed > 1 {
		pace = fmt.Sprintf(" at %d× speed: %s of real time", speed, drill.Short(lasts))
	}
	fmt.Fprintf(stderr, "warroom: drill %s started (%s%s, ends by %s)\n", sc.Name, drill.Short(sc.Duration), pace, time.Now().Add(lasts).Format("15:04:05"))
	progress := newDrillProgress(stderr, probeSettle(s.cfg))
	card, err := awaitScorecard(ctx, sub, sc, began, lasts+time.Minute, progress.see, func() { stopDrill(l, me, "interrupted") })
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, card.Markdown())
	if missed := len(card.Goals) - card.Met(); missed > 0 {
		return failed{fmt.Errorf("drill %s: %d of %d goals missed (%s)", sc.Name, missed, len(card.Goals), card.EndReason)}
	}
	return nil
}

// awaitScorecard waits for the drill started at or after began (on the
// room's clock) to end, showing see each snapshot of it, and returns its
// scorecard. When ctx ends first it calls stop once and keeps waiting for
// the end it causes; after limit of real time it gives up.
func awaitScorecard(ctx context.Context, sub *room.Subscription, sc *drill.Scenario, began time.Time, limit time.Duration,
	see func(*room.Snapshot, *room.DrillView), stop func()) (drill.Scorecard, error) {
	timer := time.NewTimer(limit) // the runner ends at Duration at the latest
	defer timer.Stop()
	done := ctx.Done()
	for {
		select {
		case snap := <-sub.C():
			d := snap.Drill
			if d == nil || d.Name != sc.Name || d.Started.Before(began.Truncate(time.Second)) {
				continue
			}
			see(snap, d)
			if d.Ended && d.Scorecard != nil {
				return *d.Scorecard, nil
			}
		case <-done:
			done = nil
			stop()
		case <-timer.C:
			return drill.Scorecard{}, fmt.Errorf("drill %s: no end recorded %s after its time limit; see the journal", sc.Name, time.Minute)
		}
	}
}

// probeSettle is how long after the time a probe's result carries (its
// start) the result may still arrive: the longest probe timeout, and a
// second for the room to take it.
func probeSettle(cfg *config.Config) time.Duration {
	d := cfg.Origin.Health.Timeout
	for _, m := range cfg.Mirrors {
		d = max(d, m.Health.Timeout)
	}
	return d + time.Second
}

// drillFilter is the filter every live room puts between the world and
// the room, so a drill can be run on a real fleet (and, in the demo, on
// hosts and channels).
func drillFilter(cfg *config.Config, clock clockwork.Clock) *drill.Filter {
	timeouts := map[string]time.Duration{}
	for _, m := range cfg.Mirrors {
		timeouts[m.Name] = m.Health.Timeout
	}
	return drill.NewFilter(drill.FilterOptions{Clock: clock, Timeouts: timeouts, Fleet: fleetPlaces(cfg)})
}

// fleetPlaces maps the configured mirrors to their regions.
func fleetPlaces(cfg *config.Config) map[string]string {
	out := make(map[string]string, len(cfg.Mirrors))
	for _, m := range cfg.Mirrors {
		out[m.Name] = m.Region
	}
	return out
}

// fleetName says which fleet a scenario was checked against.
func fleetName(cfg *config.Config) string {
	if cfg.Path != "" {
		return cfg.Path
	}
	return cfg.Site
}

// loadShippedDrill loads a shipped scenario by name for the room's drill
// key (tui.Options.LoadDrill, with Drills: drills.Names()).
func loadShippedDrill(name string) (room.Scenario, error) {
	s, err := drills.Load(name)
	return room.ScenarioOf(s, drills.File(name)), err
}
