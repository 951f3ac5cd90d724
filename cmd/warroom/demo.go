package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"warroom/backends/config"
	"warroom/backends/drill"
	"warroom/backends/sim"
	"warroom/backends/sim/simdrill"
)

// cmdDemo starts a simulated fleet on loopback and opens the room on it, with
// nothing to configure. The fleet misbehaves on a schedule (see package sim)
// so the first minute already shows transitions, alerts and trends.
func cmdDemo(ctx context.Context, args []string, stderr io.Writer) error {
	return demoRoom(ctx, args, stderr, nil, nil)
}

// roomOpener runs a prepared room; nil opens the terminal app on it
// (warroom drill passes one that starts a drill in it, or runs headless).
type roomOpener func(ctx context.Context, s *setup, o liveOptions, alongside func(*setup, *live) (func(), error)) error

// demoRoom is cmdDemo with the opening step left to open; with fast, the
// simulated fleet and the room run on that faster clock.
func demoRoom(ctx context.Context, args []string, stderr io.Writer, open roomOpener, fast *drill.FastClock) error {
	var f roomFlags
	fs := newFlags("demo", stderr)
	fs.StringVar(&f.theme, "theme", "", "dark, light or high-contrast")
	fs.StringVar(&f.keymap, "keymap", "", "default or vim")
	fs.BoolVar(&f.readOnly, "readonly", false, "hide and refuse every action")
	n := fs.Int("mirrors", 8, "how many simulated mirrors")
	seed := fs.Int64("seed", 1, "seed for the simulation (same seed, same fleet)")
	serve := demoServe{stderr: stderr}
	fs.StringVar(&serve.addr, "serve", "", "also serve the room over SSH on this address, e.g. :2222")
	fs.StringVar(&serve.keysFile, "authorized-keys", defaultAuthorizedKeys(), "with --serve: the public keys admitted, each as a commander")
	nodes := fs.Int("cluster", 0, "run the room on a cluster of N nodes (3 or 5), each its own process with its own etcd member")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkDemoCluster(*nodes, serve.addr, open); err != nil {
		return err
	}
	if *n < 1 || *n > 5000 {
		return usageError(fmt.Sprintf("demo: --mirrors %d: want 1 to 5000", *n))
	}
	simOpts := sim.Options{Mirrors: *n, Seed: *seed, SyncEvery: 10 * time.Second, KeepIdle: demoKeepIdle}
	if fast != nil {
		simOpts.Clock = fast
	}
	fleet, err := sim.Start(simOpts)
	if err != nil {
		return fmt.Errorf("demo: start simulated fleet: %v", err)
	}
	defer fleet.Close()
	ctx, cancel := context.WithCancel(ctx)
	animated := make(chan struct{})
	go func() { fleet.Animate(ctx); close(animated) }()
	defer func() { cancel(); <-animated }() // before the fleet closes

	stateDir, err := os.MkdirTemp("", "warroom-demo-")
	if err != nil {
		return fmt.Errorf("demo: state folder: %v", err)
	}
	defer os.RemoveAll(stateDir)
	cfg := demoConfig(fleet, stateDir)
	router, err := demoRouter(fleet, cfg)
	if err != nil {
		return fmt.Errorf("demo: start simulated router: %v", err)
	}
	defer router.Close()
	chat, err := sim.StartChat()
	if err != nil {
		return fmt.Errorf("demo: start simulated chat: %v", err)
	}
	defer chat.Close()
	demoActions(cfg, router, chat)
	fleetHosts, err := startDemoHosts(simOpts.Clock)
	if err != nil {
		return err
	}
	defer fleetHosts.Close()
	fleetHosts.apply(cfg)
	if *nodes > 0 {
		return runDemoCluster(ctx, *nodes, fleet, func(dir string) *config.Config {
			c := demoConfig(fleet, dir)
			demoActions(c, router, chat)
			fleetHosts.apply(c)
			if f.theme != "" {
				c.Theme = f.theme
			}
			if f.keymap != "" {
				c.Keymap = f.keymap
			}
			return c
		}, stderr)
	}
	s, err := finish(cfg, f)
	if err != nil {
		return err
	}
	var alongside func(*setup, *live) (func(), error)
	if serve.addr != "" {
		alongside = serve.start
	}
	alongside = withPace(alongside, demoPace(*n))
	// Drill faults on mirrors happen for real in the simulated fleet.
	o := liveOptions{demo: true, readOnly: s.readOnly, faults: simdrill.New(fleet), fast: fast}
	if open != nil {
		return open(ctx, s, o, alongside)
	}
	return openRoomWith(ctx, s, o, stderr, alongside)
}

// demoLag gives the demo's mirrors each of the lag conventions in turn, so
// the demo shows all four working side by side.
var demoLag = []config.Lag{
	{Kind: config.LagTrace, Path: "/project/trace/master"},
	{Kind: config.LagJSON, Path: "/version.json"},
	{Kind: config.LagTrace, Path: "/project/trace/master"},
	{Kind: config.LagBeacon, Path: "/lastsync"},
	{Kind: config.LagLastModified, Path: "/lastsync"},
	{Kind: config.LagJSON, Path: "/version.json"},
}

// demoConfig describes the simulated fleet as a config, with short
// intervals and thresholds so the demo moves at a watchable pace; a big
// fleet's unscripted mirrors are probed less often (demo_scale.go). The
// timeout leaves room for the slow mirror's four sequential reads.
func demoConfig(fleet *sim.Fleet, stateDir string) *config.Config {
	health := config.Health{Path: "/health", Interval: demoInterval, Timeout: 2500 * time.Millisecond, FailAfter: 2, RecoverAfter: 2}
	extra := health
	extra.Interval = demoExtraInterval(len(fleet.Mirrors()))
	node := func(n *sim.Node, role string, lag config.Lag) config.Mirror {
		return config.Mirror{
			Name: n.Name, URL: mustURL(n.URL), Region: n.Region, Role: role,
			Health: health, Lag: lag, Manifest: "/manifest", Syncing: "/Archive-Update-in-Progress",
		}
	}
	cfg := config.Default()
	cfg.Site = "demo.mirrors (simulated)"
	cfg.StateDir = stateDir
	cfg.Origin = node(fleet.Origin(), "origin", config.Lag{Kind: config.LagJSON, Path: "/version.json"})
	ms := fleet.Mirrors()
	active := demoActive(fleet)
	for i, n := range ms {
		role := "backup"
		if i == active {
			role = "active"
		}
		m := node(n, role, demoLag[i%len(demoLag)])
		m.Priority = i + 1
		if i >= demoScripted {
			m.Health = extra
		}
		cfg.Mirrors = append(cfg.Mirrors, m)
	}
	cfg.Thresholds.LagWarning = time.Minute
	cfg.Thresholds.LagCritical = 3 * time.Minute
	cfg.Thresholds.Sustain = 10 * time.Second
	cfg.ApplyDefaults()
	return &cfg
}

// demoActive is the mirror serving traffic when the demo starts: one the
// demo script leaves alone, so its outage is the incident.
func demoActive(fleet *sim.Fleet) int { return min(5, len(fleet.Mirrors())-1) }

// Demo incident: the active mirror stops answering after demoOutageAfter,
// for demoOutageFor, so a failover (and later a failback) has a reason.
const (
	demoOutageAfter = 20 * time.Second
	demoOutageFor   = 4 * time.Minute
)

// demoRouter starts a simulated HAProxy in front of the fleet, sending
// traffic to the active mirror, and schedules the active mirror's outage.
// Each mirror has a modelled load of users, and one (a mirror the demo
// script leaves alone) answers 12 % of them with 5xx while its probes pass.
func demoRouter(fleet *sim.Fleet, cfg *config.Config) (*sim.Router, error) {
	var servers []sim.RouterServer
	bad := min(6, len(cfg.Mirrors)-1)
	for i, m := range cfg.Mirrors {
		s := sim.RouterServer{Name: m.Name, URL: m.URL.String(), Ready: m.Role == "active", Weight: 100,
			Users: float64(8 + 3*(i%4)), RTime: time.Duration(30+7*i) * time.Millisecond}
		if i == bad && m.Role != "active" {
			s.Share5xx = 0.12
		}
		servers = append(servers, s)
	}
	fleet.Mirrors()[demoActive(fleet)].ScheduleOutage(demoOutageAfter, demoOutageFor)
	return sim.StartRouter("mirrors", servers)
}

// demoActions wires the demo's actions and announcements to the simulated
// router and chat: failover uses the real HAProxy executor against the
// router's runtime API; posts go to the chat stand-in.
func demoActions(cfg *config.Config, router *sim.Router, chat *sim.Chat) {
	cfg.Actions.Executors = []config.Executor{{Name: "demo-router",
		HAProxy: &config.HAProxyExecutor{Address: router.APIAddr(), Backend: "mirrors"}}}
	cfg.Actions.Failover = "demo-router"
	cfg.Actions.Rules = []config.Rule{{Name: "active-down", When: config.WhenActiveDown, For: 15 * time.Second, Propose: "failover"}}
	cfg.Notify.Contact = "#demo-incident"
	cfg.Notify.Channels = []config.Channel{
		{Name: "ops-slack", Kind: config.ChannelSlack, URL: chat.URL("slack"), Public: true},
		{Name: "ops-dingtalk", Kind: config.ChannelDingTalk, URL: chat.URL("dingtalk")},
		{Name: "ops-wecom", Kind: config.ChannelWeCom, URL: chat.URL("wecom")},
		{Name: "ops-feishu", Kind: config.ChannelFeishu, URL: chat.URL("feishu")},
		{Name: "demo-pager", Kind: config.ChannelPager, URL: chat.URL("pagerduty"),
			Pager: config.Pager{RoutingKey: "demo0000000000000000000000000000"}},
	}
	// Critical alerts page within seconds of the outage (a short
	// group_wait), and go to DingTalk when nobody acknowledges them.
	cfg.Alerting.Routes = []config.Route{{Name: "critical", Match: config.AlertMatch{Severity: []string{"critical"}},
		Receivers: []string{"ops-slack", "demo-pager"}, Escalate: []string{"ops-dingtalk"},
		GroupWait: 10 * time.Second, GroupInterval: time.Minute, Resolved: true}}
	cfg.ApplyDefaults()
}

// mustURL parses a URL the simulated fleet made itself.
func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(fmt.Sprintf("demo: simulated fleet gave a bad URL %q: %v", s, err))
	}
	return u
}
