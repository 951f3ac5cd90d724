package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/actions"
	"warroom/backends/cluster"
	"warroom/backends/config"
	"warroom/backends/drill"
	"warroom/backends/hosts"
	"warroom/backends/journal"
	"warroom/backends/mirrors"
	"warroom/backends/notify"
	"warroom/backends/room"
	"warroom/tui/sshroom"
)

// liveOptions say what a live room runs besides the room itself.
type liveOptions struct {
	demo     bool
	readOnly bool
	decisive bool // one probe decides a mirror's state (one-shot commands)
	noHosts  bool // skip the host sampler (one-shot commands)
	// lookOnly: the room reads the journal without its lock, records
	// nothing, sends nothing and refuses every action (dry runs, lists).
	lookOnly bool
	// cluster: with a cluster: section, run this config's node of the
	// cluster (serve); without it such a config is refused, except to look.
	cluster bool
	// signal ends a node's wait for its peers (serve's SIGTERM); the room
	// itself outlives it. Default: the context startLive is given.
	signal context.Context
	// probeHeader goes with every probe (the cluster demo's region marker).
	probeHeader http.Header
	// killLeader, set in the cluster demo's nodes, is what the kill key
	// of a commander's session runs.
	killLeader func(ctx context.Context, r *room.Room) (string, error)
	// control: listen on the control socket, so local commands act
	// through this room (the rooms people keep open: local and serve).
	control bool
	// faults applies drill faults to the fleet itself (the demo's
	// simulated fleet); nil on a real fleet, where drillFilter shows them.
	faults drill.Injector
	// fast runs the room, its probes and the drill on a faster clock (a
	// drill at --speed, whose simulated fleet runs on the same one); nil:
	// real time.
	fast *drill.FastClock
	// debug: the figures WARROOM_PPROF serves; nil when unset.
	debug *debugVars
}

// clock is the room's clock and how many times faster than real time it runs.
func (o liveOptions) clock() (clockwork.Clock, int) {
	if o.fast != nil {
		return o.fast, o.fast.Speed()
	}
	return clockwork.NewRealClock(), 1
}

// live is a running room with what feeds it (probes, host samples) and
// what it drives (executors, the outbox).
type live struct {
	room       *room.Room // this process's own room
	door       liveRoom   // where sessions and commands go: room, or in a cluster the leader through it
	cfg        *config.Config
	templates  *notify.Templates
	channels   []notify.Channel
	sched      *mirrors.Scheduler
	cancel     context.CancelFunc
	wg         sync.WaitGroup
	closeJ     func() error
	drills     *drill.Filter                             // between the probes, samples, channels and the room
	killLeader func(ctx context.Context) (string, error) // the cluster demo's K; nil elsewhere
	greeting   string                                    // for the local session's footer: how others join (demo --serve)
	hosting    bool                                      // others' sessions end with the local one (demo --serve)
	node       *cluster.Node                             // nil outside a cluster
	// onAppend times the journal's appends for /metrics; nil = not measured.
	onAppend func(time.Duration)
	// roster decides the roles of local commands (control socket);
	// serve swaps in the roster it reloads on SIGHUP.
	roster atomic.Pointer[sshroom.Roster]
}

// startLive opens the journal, builds executors and channels, and starts
// the room, the outbox, the probes and the host sampler. Problems with one
// executor or channel are reported and leave the rest working; using the
// broken one later says why it is missing.
func startLive(ctx context.Context, cfg *config.Config, o liveOptions, stderr io.Writer) (*live, error) {
	clock, speed := o.clock()
	l := &live{cfg: cfg, closeJ: func() error { return nil }}
	l.roster.Store(localRoster(cfg))
	execs := buildExecutors(cfg, stderr)
	var err error
	l.templates, err = buildTemplates(cfg)
	if err != nil {
		return nil, err
	}
	l.drills = drillFilter(cfg, clock)
	l.channels = l.drills.Channels(buildChannels(cfg, clock, stderr))
	var outbox room.Outbox
	var disp *notify.Dispatcher
	if len(l.channels) > 0 && !o.lookOnly {
		disp = notify.NewDispatcher(l.channels, notify.DispatchOptions{Clock: clock,
			Report: func(rep notify.Report) error { return l.room.PostReport(rep) }})
		outbox = disp
	}
	probeCfg := cfg
	if o.decisive {
		probeCfg = decisiveConfig(cfg)
	}
	opts := room.Options{Config: probeCfg, Clock: clock, Demo: o.demo,
		Executors: execs, Outbox: outbox, ReadOnly: o.readOnly || o.lookOnly,
		Composer: room.NewComposer(l.templates, senders(l.channels)),
		Drills:   room.DrillOptions{Injector: drill.Compose(o.faults, l.drills), Clock: clock}}
	var roomAt atomic.Pointer[room.Room]
	met := roomMetrics(cfg, o, &roomAt)
	hookMetrics(met, &opts)
	if met != nil {
		l.onAppend = met.ObserveAppend
	}
	if err := l.openRoom(ctx, o, opts, stderr); err != nil {
		return nil, err
	}
	roomAt.Store(l.room)
	in, err := l.listenIntake(o)
	if err != nil {
		_ = l.closeJ()
		return nil, err
	}
	r := l.room
	if o.killLeader != nil {
		l.killLeader = func(ctx context.Context) (string, error) { return o.killLeader(ctx, r) }
	}
	ctx, l.cancel = context.WithCancel(ctx)
	start := func(fn func()) {
		l.wg.Add(1)
		go func() { defer l.wg.Done(); fn() }()
	}
	if l.node == nil { // a node runs its room itself
		start(func() { _ = r.Run(ctx) })
	}
	if o.control {
		if ln, err := listenControl(controlPath(cfg)); err != nil {
			fmt.Fprintf(stderr, "warroom: %v; local commands (failover, ack, announce …) cannot reach this room\n", err)
		} else {
			cs := &controlServer{ln: ln, l: l, logf: func(format string, args ...any) { fmt.Fprintf(stderr, "warroom: "+format+"\n", args...) }}
			start(func() { cs.serve(ctx) })
		}
	}
	if in != nil {
		start(func() { closeIntake(ctx, in) })
	}
	if srv := listenMetrics(cfg, met, stderr); srv != nil {
		start(func() { serveMetrics(ctx, srv, stderr) })
	}
	if disp != nil {
		start(func() { _ = disp.Run(ctx) })
	}
	prober := mirrors.NewProber(mirrors.ProberOptions{Clock: clock, Speed: speed, Header: o.probeHeader})
	l.sched = mirrors.NewScheduler(prober, clock, l.drills.Probes(r.ObserveProbe))
	l.sched.OnStart = onProbeStart(met, o.debug)
	if o.debug != nil {
		o.debug.room.Store(r)
	}
	start(func() { l.sched.Run(ctx, append([]config.Mirror{probeCfg.Origin}, probeCfg.Mirrors...)) })
	if !o.noHosts {
		sampler := hosts.NewSampler(hosts.Options{DiskPath: cfg.Hosts.DiskPath})
		start(func() { sampler.Run(ctx, clock, cfg.Hosts.Interval, l.drills.Hosts(r.ObserveHost)) })
		startExporters(ctx, cfg, clock, l.drills.Hosts(r.ObserveFleet), start)
		startTraffic(ctx, cfg, clock, r.ObserveTraffic, start)
	}
	return l, nil
}

// openRoom opens the journal and builds the room on it, or starts this
// config's cluster node.
func (l *live) openRoom(ctx context.Context, o liveOptions, opts room.Options, stderr io.Writer) error {
	if l.cfg.Cluster.Enabled() && !o.lookOnly {
		if !o.cluster {
			return errNodeNotRunning
		}
		if o.signal != nil {
			ctx = o.signal
		}
		return l.openNode(ctx, opts, stderr)
	}
	jr, records, closeJ, err := openJournal(l.cfg, o.lookOnly, l.onAppend, stderr)
	if err != nil {
		return err
	}
	opts.Journal, opts.Replay = jr, records
	r, err := room.New(opts)
	if err != nil {
		closeJ()
		return err
	}
	l.room, l.door, l.closeJ = r, r, closeJ
	return nil
}

// openJournal opens the journal for a room that records (holding its
// lock), or only reads it for one that looks (no lock, no writes; no
// journal yet is an empty one).
func openJournal(cfg *config.Config, lookOnly bool, onAppend func(time.Duration), stderr io.Writer) (room.Journal, []journal.Record, func() error, error) {
	path := journalPath(cfg)
	if lookOnly {
		records, _, err := knownRecords(cfg)
		if err != nil {
			return nil, nil, nil, err
		}
		return nil, records, func() error { return nil }, nil
	}
	j, records, err := journal.Open(path, journal.Options{
		Logf:     func(format string, args ...any) { fmt.Fprintf(stderr, "journal: "+format+"\n", args...) },
		OnAppend: onAppend,
	})
	if err != nil {
		return nil, nil, nil, err
	}
	return j, records, j.Close, nil
}

// Close stops everything startLive started and closes the journal.
func (l *live) Close() {
	l.cancel()
	l.wg.Wait()
	_ = l.closeJ()
}

// buildExecutors makes the configured executors; one that fails is left
// out (the room then refuses actions that need it, naming it).
func buildExecutors(cfg *config.Config, stderr io.Writer) map[string]actions.Executor {
	byName := map[string]config.Mirror{}
	for _, m := range cfg.Mirrors {
		byName[m.Name] = m
	}
	out := map[string]actions.Executor{}
	for _, e := range cfg.Actions.Executors {
		x, err := actions.New(e, byName, cfg.Mask)
		if err != nil {
			fmt.Fprintf(stderr, "warroom: %s\n", cfg.Mask(err.Error()))
			continue
		}
		out[e.Name] = x
	}
	return out
}

// buildChannels makes the configured announcement channels.
func buildChannels(cfg *config.Config, clock clockwork.Clock, stderr io.Writer) []notify.Channel {
	var out []notify.Channel
	for _, c := range cfg.Notify.Channels {
		ch, err := notify.New(c, notify.Options{Clock: clock})
		if err != nil {
			fmt.Fprintf(stderr, "warroom: %s\n", cfg.Mask(err.Error()))
			continue
		}
		out = append(out, ch)
	}
	return out
}

// senders are the channels as the room's composer previews them.
func senders(chs []notify.Channel) []room.Previewer {
	out := make([]room.Previewer, len(chs))
	for i, ch := range chs {
		out[i] = ch
	}
	return out
}

// buildTemplates is the built-in templates plus the config's own.
func buildTemplates(cfg *config.Config) (*notify.Templates, error) {
	t := notify.Builtin()
	for _, c := range cfg.Notify.Templates {
		if err := t.Add(c); err != nil {
			return nil, fmt.Errorf("%s: notify.templates: %v", cfg.Path, err)
		}
	}
	return t, nil
}

// decisiveConfig makes one probe decide each mirror's state, for commands
// that act on a single look at the fleet.
func decisiveConfig(cfg *config.Config) *config.Config {
	one := *cfg
	one.Origin = decisive(cfg.Origin)
	one.Mirrors = make([]config.Mirror, len(cfg.Mirrors))
	for i, m := range cfg.Mirrors {
		one.Mirrors[i] = decisive(m)
	}
	return &one
}
