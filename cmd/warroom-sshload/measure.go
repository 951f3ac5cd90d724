package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"warroom/backends/sim"
	"warroom/tui"
)

func measure(ctx context.Context, o options) error {
	dir, err := os.MkdirTemp("", "warroom-sshload-")
	if err != nil {
		return err
	}
	if o.keep {
		defer fmt.Printf("state folder kept: %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		return err
	}
	pub := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey())))
	_, mpriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	markerKey, err := gossh.NewSignerFromKey(mpriv)
	if err != nil {
		return err
	}
	markerPub := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(markerKey.PublicKey())))

	fleet, err := sim.Start(sim.Options{Mirrors: o.mirrors, Seed: 1, SyncEvery: 10 * time.Second})
	if err != nil {
		return fmt.Errorf("simulated fleet: %v", err)
	}
	defer fleet.Close()
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	if !o.frozen {
		go fleet.Animate(actx)
		stopToggle := make(chan struct{})
		toggled := make(chan struct{})
		go func() { toggler(fleet, o.toggle, stopToggle); close(toggled) }()
		defer func() { close(stopToggle); <-toggled }()
	}

	cfg, err := writeConfig(dir, fleet, pub, markerPub, o.sessions+o.probes+50)
	if err != nil {
		return err
	}
	srv, err := startServer(filepath.Join(dir, "server.log"), o.bin, "serve", "--config", cfg)
	if err != nil {
		return err
	}
	defer srv.kill()
	fmt.Printf("machine: %s, %d CPUs, %s/%s; server %s (pid %d) on %s; %d mirrors, terminals %dx%d%s\n",
		cpuModel(), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, o.bin, srv.cmd.Process.Pid, srv.addr, o.mirrors, o.width, o.height,
		map[bool]string{true: "; fleet frozen (no animation, no toggling, no marker): only the clock and the host's own figures change"}[o.frozen])
	viewers, w, err := window(ctx, srv, signer, o, func(wctx context.Context) error {
		if o.frozen || o.mark <= 0 {
			return nil
		}
		return markLoop(wctx, srv.addr, markerKey, o)
	})
	defer func() {
		for _, v := range viewers {
			v.close()
		}
	}()
	if err != nil {
		return err
	}
	if o.frozen {
		fmt.Printf("  what session 1 was sent, by row (1 = the header): %s\n", w.rows)
	} else {
		marks, err := readMarks(filepath.Join(dir, "journal.jsonl"), "marker", w.t0, w.t1.Add(-time.Second))
		if err != nil {
			return err
		}
		delays, missed := changeDelays(marks, w.recorded)
		if missed > 0 && len(marks) > 0 && len(w.recorded) > 0 {
			fmt.Printf("  (a change not seen: %s; what session 1 received after it:)\n%s\n", marks[0].pattern, sampleAfter(w.recorded[0], marks[0].at, 1500))
		}
		fmt.Printf("change to screen: %d joins and leaves × %d sessions = %d observations (%d not seen); p50 %s p99 %s max %s\n",
			len(marks), len(viewers), len(delays), missed, pct(delays, 50), pct(delays, 99), pct(delays, 100))
	}

	if o.probes > 0 {
		ds, err := probeFirstFrames(srv.addr, signer, o, o.probes)
		if err != nil {
			return err
		}
		fmt.Printf("first frame with %d sessions open: %d probes, p50 %s p99 %s max %s\n", len(viewers), len(ds), pct(ds, 50), pct(ds, 99), pct(ds, 100))
	}
	if o.stalled > 0 {
		if err := stalledPhase(ctx, srv.addr, signer, o); err != nil {
			return err
		}
	}

	// SIGTERM with every session open: each must be told, the server must
	// be gone within 2 s.
	for _, v := range viewers {
		v.record()
	}
	took, err := srv.stop(10 * time.Second)
	told := 0
	for _, v := range viewers {
		select {
		case <-v.ended:
		case <-time.After(2 * time.Second):
		}
		_, ch := v.stopRecording()
		for _, c := range ch {
			if strings.Contains(c.text, "shutting down") {
				told++
				break
			}
		}
	}
	fmt.Printf("SIGTERM with %d sessions open: exited in %s (err %v); %d of %d sessions showed the shutdown notice\n",
		len(viewers), took.Round(time.Millisecond), err, told, len(viewers))
	last, n := journalTail(filepath.Join(dir, "journal.jsonl"))
	fmt.Printf("journal after exit: %d records, all whole; last %s\n", n, last)
	for _, v := range viewers {
		v.close()
	}
	viewers = nil
	if o.naive {
		return measureNaive(ctx, dir, cfg, signer, o, w)
	}
	return nil
}

// measureNaive runs the same window against the naive server (naive.go)
// on the same fleet and config, and compares.
func measureNaive(ctx context.Context, dir, cfg string, signer gossh.Signer, o options, ours figures) error {
	if err := pause(ctx, time.Second); err != nil { // the real server's sessions gone
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	srv, err := startServer(filepath.Join(dir, "naive.log"), self, naiveCommand, cfg)
	if err != nil {
		return err
	}
	defer srv.kill()
	fmt.Printf("naive server (one program per session, nothing shared, Bubble Tea's renderer at %d fps; pid %d) on %s\n", tui.FPS, srv.cmd.Process.Pid, srv.addr)
	viewers, naive, err := window(ctx, srv, signer, o, func(wctx context.Context) error {
		if o.frozen || o.mark <= 0 {
			return nil
		}
		return markLoop(wctx, srv.addr, signer, o) // the same joins and leaves
	})
	for _, v := range viewers {
		v.close()
	}
	if err != nil {
		return err
	}
	fmt.Printf("ratio with %d sessions: warroom %.1f%% / naive %.1f%% of a core = %.2f×; bytes per session per second %.0f / %.0f\n",
		o.sessions, ours.cpuPct(), naive.cpuPct(), ours.cpuPct()/naive.cpuPct(), ours.bytesPerSec, naive.bytesPerSec)
	_, err = srv.stop(5 * time.Second)
	return err
}

// figures are one server's over the window.
type figures struct {
	cpu, wall   time.Duration
	bytesPerSec float64
	t0, t1      time.Time
	recorded    [][]chunk
	rows        string // what session 1 was sent, by row
}

func (f figures) cpuPct() float64 { return 100 * float64(f.cpu) / float64(f.wall) }

// window connects the sessions to srv one after the other (the k-th first
// frame is measured with k-1 open), lets the room settle, then measures
// the server's CPU and memory and the bytes the sessions receive over
// o.duration while during runs.
func window(ctx context.Context, srv *server, signer gossh.Signer, o options, during func(context.Context) error) ([]*viewer, figures, error) {
	var f figures
	if err := pause(ctx, 3*time.Second); err != nil { // first probes, a steady room
		return nil, f, err
	}
	rss0 := srv.rss()
	viewers := make([]*viewer, 0, o.sessions)
	var firsts []time.Duration
	for range o.sessions {
		v, err := dialViewer(srv.addr, signer, o.width, o.height)
		if err != nil {
			return viewers, f, err
		}
		viewers = append(viewers, v)
		d, err := v.waitFirst(10 * time.Second)
		if err != nil {
			return viewers, f, fmt.Errorf("session %d: %v", len(viewers), err)
		}
		firsts = append(firsts, d)
	}
	fmt.Printf("connect: %d sessions; first frame (dial to first frame, k-th with k-1 open) p50 %s p99 %s max %s\n",
		o.sessions, pct(firsts, 50), pct(firsts, 99), pct(firsts, 100))
	if err := pause(ctx, 3*time.Second); err != nil {
		return viewers, f, err
	}
	b0 := make([]int64, len(viewers))
	for i, v := range viewers {
		b0[i] = v.record()
	}
	cpu0 := srv.cpu()
	f.t0 = time.Now()
	errc := make(chan error, 1)
	dctx, stop := context.WithTimeout(ctx, o.duration)
	go func() { errc <- during(dctx) }()
	err := pause(ctx, o.duration)
	stop()
	if err != nil {
		return viewers, f, err
	}
	cpu1 := srv.cpu()
	f.t1 = time.Now()
	if err := <-errc; err != nil {
		return viewers, f, err
	}
	rss1 := srv.rss()
	f.cpu, f.wall = cpu1-cpu0, f.t1.Sub(f.t0)
	var total int64
	f.recorded = make([][]chunk, len(viewers))
	for i, v := range viewers {
		b, ch := v.stopRecording()
		total += b - b0[i]
		f.recorded[i] = ch
	}
	f.rows = viewers[0].rowsText()
	f.bytesPerSec = float64(total) / float64(len(viewers)) / f.wall.Seconds()
	fmt.Printf("window %s with %d sessions: server CPU %.1f%% of a core (%s CPU); RSS %.1f MB → %.1f MB, %.0f KB per session\n",
		f.wall.Round(time.Millisecond), len(viewers), f.cpuPct(), f.cpu.Round(time.Millisecond),
		mb(rss0), mb(rss1), float64(rss1-rss0)/float64(len(viewers))/1024)
	fmt.Printf("bytes sent: %.0f per session per second (%.1f KB per session over the window)\n",
		f.bytesPerSec, float64(total)/float64(len(viewers))/1024)
	return viewers, f, nil
}

// probeFirstFrames connects, waits for the first frame and hangs up, n times.
func probeFirstFrames(addr string, signer gossh.Signer, o options, n int) ([]time.Duration, error) {
	var out []time.Duration
	for range n {
		v, err := dialViewer(addr, signer, o.width, o.height)
		if err != nil {
			return nil, err
		}
		d, err := v.waitFirst(10 * time.Second)
		v.close()
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// stalledPhase opens connections that never send an SSH version, times a
// real user's first frame meanwhile, and how long the server keeps them.
func stalledPhase(ctx context.Context, addr string, signer gossh.Signer, o options) error {
	conns := make([]net.Conn, 0, o.stalled)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	opened := time.Now()
	for range o.stalled {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return fmt.Errorf("stalled connection %d: %v", len(conns)+1, err)
		}
		conns = append(conns, c)
	}
	ds, err := probeFirstFrames(addr, signer, o, max(o.probes, 5))
	if err != nil {
		return fmt.Errorf("with %d stalled handshakes: %v", o.stalled, err)
	}
	fmt.Printf("with %d stalled handshakes open: a real user's first frame p50 %s p99 %s max %s (%d probes)\n",
		o.stalled, pct(ds, 50), pct(ds, 99), pct(ds, 100), len(ds))
	var mu sync.Mutex
	var closed []time.Duration
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = c.SetReadDeadline(opened.Add(o.stalledWait))
			buf := make([]byte, 512)
			for {
				if _, err := c.Read(buf); err != nil {
					if ne, ok := err.(net.Error); ok && ne.Timeout() {
						return // still open at the deadline
					}
					mu.Lock()
					closed = append(closed, time.Since(opened))
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	fmt.Printf("stalled handshakes closed by the server: %d of %d within %s; after p50 %s max %s\n",
		len(closed), len(conns), o.stalledWait, pct(closed, 50), pct(closed, 100))
	return ctx.Err()
}

func pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
		}
	}
	return "unknown CPU"
}

// sampleAfter is up to n bytes of what a session received after t.
func sampleAfter(chunks []chunk, t time.Time, n int) string {
	var b strings.Builder
	for _, c := range chunks {
		if !c.at.Before(t) && b.Len() < n {
			b.WriteString(c.text)
		}
	}
	s := b.String()
	if len(s) > n {
		s = s[:n]
	}
	return s
}

// markLoop is a person joining and leaving the room every --mark interval:
// changes the room makes and journals at once, which every screen shows in
// its timeline.
func markLoop(ctx context.Context, addr string, key gossh.Signer, o options) error {
	t := time.NewTicker(o.mark)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		v, err := dialViewer(addr, key, 80, 24)
		if err != nil {
			return fmt.Errorf("marker: %v", err)
		}
		_, err = v.waitFirst(10 * time.Second)
		v.close()
		if err != nil {
			return fmt.Errorf("marker: %v", err)
		}
	}
}
