package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"warroom/backends/config"
	"warroom/backends/loopback"
)

// childMirrors caps one sim child: it holds a listener and a pooled
// connection per mirror, and RLIMIT_NOFILE is often 20,000.
const childMirrors = 5000

// serveOpts are the -serve mode's: the real `warroom serve` probing the fleet.
type serveOpts struct {
	serve    bool
	bin      string        // warroom binary; "" = go build it
	marks    string        // when to print figures, e.g. "1m,5m,10m"
	checks   string        // "all" (health + lag + manifest + syncing) or "health"
	baseline time.Duration // bare loop on the same fleet afterwards; 0 = none
	profile  string        // directory for heap and CPU profiles of the server; "" = none
	cpuFor   time.Duration // how long the CPU profile runs; default 30s
}

// fleets is one or more sim children serving o.mirrors mirrors in all.
type fleets []*fleet

func startFleets(o options) (fleets, []target, error) {
	var fs fleets
	var ts []target
	for left, i := o.mirrors, 0; left > 0; i++ {
		n := min(left, childMirrors)
		f, err := startSimChild(n, 0, o.seed+int64(i))
		if err != nil {
			fs.close()
			return nil, nil, err
		}
		fs = append(fs, f)
		for _, t := range f.targets {
			if t.name == "origin" && len(ts) > 0 {
				continue // one origin: the first child's
			}
			if t.name != "origin" {
				t.name = "m" + strconv.Itoa(len(ts)) // children's names may collide
			}
			ts = append(ts, t)
		}
		left -= n
	}
	return fs, ts, nil
}

func (fs fleets) close() {
	for _, f := range fs {
		_ = f.close()
	}
}

// server is a running `warroom serve`.
type server struct {
	cmd    *exec.Cmd
	dir    string
	debug  string // host:port of WARROOM_PPROF: profiles and /debug/engine
	exited chan struct{}
}

// startServer writes a config probing ts (health only, or health + lag +
// manifest + syncing marker) and runs the binary on it.
func startServer(o options, ts []target, dir string) (*server, error) {
	ports, err := loopback.Ports(1)
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir, debug: fmt.Sprintf("127.0.0.1:%d", ports[0])}
	cfg := config.Default()
	cfg.Site = "warroom-load"
	cfg.StateDir = filepath.Join(dir, "state")
	cfg.Serve = config.DefaultServe()
	cfg.Serve.Listen = "127.0.0.1:0"
	for i, t := range ts {
		u, err := url.Parse(t.url)
		if err != nil {
			return nil, fmt.Errorf("sim node %s: bad URL %q: %w", t.name, t.url, err)
		}
		h := config.DefaultHealth()
		h.Path, h.Interval, h.Timeout = "/health", o.interval, o.timeout
		m := config.Mirror{Name: t.name, URL: u, Role: "backup", Health: h}
		if o.checks == "all" {
			m.Lag = config.Lag{Kind: config.LagTrace, Path: "/project/trace/master"}
			m.Manifest, m.Syncing = "/manifest", "/Archive-Update-in-Progress"
		}
		switch {
		case t.name == "origin":
			m.Role = "origin"
			cfg.Origin = m
			continue
		case i == 1:
			m.Role = "active"
		}
		cfg.Mirrors = append(cfg.Mirrors, m)
	}
	cfg.ApplyDefaults()
	data, err := cfg.Marshal()
	if err != nil {
		return nil, fmt.Errorf("config: %v", err)
	}
	path := filepath.Join(dir, "warroom.yaml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return nil, err
	}
	log, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		return nil, err
	}
	defer log.Close() // the child has its own copy
	s.cmd = exec.Command(o.bin, "serve", "--config", path)
	s.cmd.Env = append(os.Environ(), "WARROOM_PPROF="+s.debug)
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %v", o.bin, err)
	}
	s.exited = make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	return s, nil
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// waitUp waits until the room's figures are served.
func (s *server) waitUp(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for {
		if text, err := engine(ctx, s.debug); err == nil && strings.Contains(text, "inbox_queued") {
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("warroom serve exited before it served (log: %s)", filepath.Join(s.dir, "serve.log"))
		case <-ctx.Done():
			return fmt.Errorf("warroom serve: no room within 2m (log: %s)", filepath.Join(s.dir, "serve.log"))
		case <-time.After(100 * time.Millisecond): // a poll interval
		}
	}
}

// stop asks the server to end and kills it after 15 s.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// build compiles warroom/cmd/warroom into dir (run inside the module).
func build(dir string) (string, error) {
	bin := filepath.Join(dir, "warroom")
	out, err := exec.Command("go", "build", "-o", bin, "warroom/cmd/warroom").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build warroom/cmd/warroom (run inside the module, or give -bin): %v\n%s", err, out)
	}
	return bin, nil
}

// parseMarks reads "1m,5m,10m": increasing, positive.
func parseMarks(s string) ([]time.Duration, error) {
	var out []time.Duration
	for _, f := range splitComma(s) {
		d, err := time.ParseDuration(f)
		if err != nil || d <= 0 || (len(out) > 0 && d <= out[len(out)-1]) {
			return nil, fmt.Errorf("-marks %q: %q is not a duration after the one before (want e.g. 1m,5m,10m)", s, f)
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-marks %q: want at least one duration", s)
	}
	return out, nil
}

// loadAvg is /proc/loadavg's 1, 5 and 15 minute figures.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}
