package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// runServe measures the real `warroom serve` probing the fleet with nobody
// connected: RSS, CPU, start lateness, the room's inbox and host sample age
// at each mark; then, with -baseline, a bare loop on the same fleet.
func runServe(o options, w io.Writer) (err error) {
	if err = o.validate(); err != nil {
		return err
	}
	marks, err := parseMarks(o.marks)
	if err != nil {
		return err
	}
	if o.checks != "all" && o.checks != "health" {
		return fmt.Errorf("-checks %q: want all or health", o.checks)
	}
	dir, err := os.MkdirTemp("", "warroom-load-")
	if err != nil {
		return err
	}
	defer func() { // kept when the run failed, for its logs
		if err == nil {
			os.RemoveAll(dir)
		}
	}()
	if o.bin == "" {
		if o.bin, err = build(dir); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "starting sim fleet of %d mirrors in %d child process(es)…\n", o.mirrors, (o.mirrors+childMirrors-1)/childMirrors)
	fs, ts, err := startFleets(o)
	if err != nil {
		return err
	}
	defer fs.close()
	srv, err := startServer(o, ts, dir)
	if err != nil {
		return err
	}
	defer srv.stop()
	ctx := context.Background()
	if err := srv.waitUp(ctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "serve: %s with %d targets (origin + %d mirrors), checks %s, interval %v, timeout %v; nobody connected; load %s\n",
		o.bin, len(ts), o.mirrors, o.checks, o.interval, o.timeout, loadAvg())
	wt := newWatch(srv)
	start := time.Now()
	prev := wt.take(ctx, start)
	var steady window
	for i, m := range marks {
		cur, err := wt.until(ctx, start.Add(m))
		if err != nil {
			return err
		}
		win := cur.since(prev)
		fmt.Fprintf(w, "at %-5v %s\n", m, win.line(len(ts), o.interval))
		if i > 0 || len(marks) == 1 {
			steady = steady.add(win)
		}
		prev = cur
	}
	if o.profile != "" {
		if err := saveProfiles(ctx, srv, o.profile, o.cpuFor, w); err != nil {
			return err
		}
	}
	srv.stop()
	fmt.Fprintf(w, "steady (after the first mark): %s\n", steady.line(len(ts), o.interval))
	if o.baseline > 0 {
		return runBaseline(o, ts, steady, w)
	}
	return nil
}

// runBaseline runs the bare loop on the same fleet and compares CPU per check.
func runBaseline(o options, ts []target, serve window, w io.Writer) error {
	rec := newRecorder(ts, time.Now())
	ctx, cancel := context.WithTimeout(context.Background(), o.baseline)
	defer cancel()
	cpu0, t0 := selfCPU(), time.Now()
	runBare(ctx, o, ts, rec)
	cpu, wall := selfCPU()-cpu0, time.Since(t0)
	rec.mu.Lock()
	n := rec.probes
	rec.mu.Unlock()
	if n == 0 || serve.checks == 0 {
		return fmt.Errorf("baseline: %d bare checks, %.0f served checks: nothing to compare", n, serve.checks)
	}
	bare := cpu / time.Duration(n)
	per := serve.cpu / time.Duration(serve.checks)
	fmt.Fprintf(w, "bare loop (%s, %v): %d checks, CPU %v per 1,000 checks, %.1f%% of a core; serve %v per 1,000 checks: %.2f× the bare loop\n",
		o.checks, wall.Round(time.Second), n, (bare * 1000).Round(time.Millisecond), 100*cpu.Seconds()/wall.Seconds(),
		(per * 1000).Round(time.Millisecond), float64(per)/float64(bare))
	return nil
}

// saveProfiles fetches a heap profile and cpuFor of CPU profile from the server.
func saveProfiles(ctx context.Context, srv *server, dir string, cpuFor time.Duration, w io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	secs := max(1, int(cpuFor.Seconds()))
	for name, path := range map[string]string{"heap.pb.gz": "/debug/pprof/heap", "cpu.pb.gz": "/debug/pprof/profile?seconds=" + strconv.Itoa(secs)} {
		b, err := get(ctx, srv.debug, path, time.Duration(secs)*time.Second+time.Minute)
		if err != nil {
			return fmt.Errorf("profile %s: %w", path, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "profiles in %s: go tool pprof -top %s\n", dir, filepath.Join(dir, "cpu.pb.gz"))
	return nil
}

// engine reads the server's /debug/engine figures.
func engine(ctx context.Context, addr string) (string, error) {
	b, err := get(ctx, addr, "/debug/engine", 10*time.Second)
	return string(b), err
}

func get(ctx context.Context, addr, path string, timeout time.Duration) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

func splitComma(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
