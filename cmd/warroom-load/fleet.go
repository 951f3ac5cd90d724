package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"warroom/backends/sim"
)

// target is one node to probe.
type target struct {
	name, url  string
	blackholed bool
}

// fleet is a running sim: in a child process or in this one.
type fleet struct {
	targets []target
	cmd     *exec.Cmd      // nil when in-process
	stdin   io.WriteCloser // closing it stops the child
	local   *sim.Fleet
}

func startSim(o options, blackholed int) (*sim.Fleet, []target, error) {
	f, err := sim.Start(sim.Options{Mirrors: o.mirrors, Seed: o.seed, SyncEvery: 30 * time.Second})
	if err != nil {
		return nil, nil, err
	}
	ts := []target{{name: f.Origin().Name, url: f.Origin().URL}}
	ms := f.Mirrors()
	for i, n := range ms {
		bh := i >= len(ms)-blackholed
		if bh {
			n.SetBlackhole(true)
		}
		ts = append(ts, target{name: n.Name, url: n.URL, blackholed: bh})
	}
	return f, ts, nil
}

// serveSim is the child: serve the fleet, print "name url blackholed" lines
// then "ready", and stop when stdin closes.
func serveSim(o options, stdin io.Reader, stdout io.Writer) error {
	f, ts, err := startSim(o, o.blackhole)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(stdout)
	for _, t := range ts {
		fmt.Fprintf(w, "%s %s %t\n", t.name, t.url, t.blackholed)
	}
	fmt.Fprintln(w, "ready")
	if err := w.Flush(); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, stdin) // until the parent closes it or dies
	return nil
}

func openFleet(o options) (*fleet, error) {
	if o.inproc {
		f, ts, err := startSim(o, o.blackhole)
		if err != nil {
			return nil, err
		}
		return &fleet{targets: ts, local: f}, nil
	}
	return startSimChild(o.mirrors, o.blackhole, o.seed)
}

// startSimChild runs a fleet of n mirrors in a child process; it dies with
// this one.
func startSimChild(n, blackhole int, seed int64) (*fleet, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own binary to start the sim child: %w", err)
	}
	cmd := exec.Command(self, "-serve-sim",
		"-mirrors", strconv.Itoa(n), "-blackhole", strconv.Itoa(blackhole),
		"-seed", strconv.FormatInt(seed, 10))
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start sim child: %w", err)
	}
	fl := &fleet{cmd: cmd, stdin: stdin}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		if line == "ready" {
			return fl, nil
		}
		f := strings.Fields(line)
		if len(f) != 3 {
			fl.close()
			return nil, fmt.Errorf("sim child printed %q: want \"name url blackholed\"", line)
		}
		fl.targets = append(fl.targets, target{name: f[0], url: f[1], blackholed: f[2] == "true"})
	}
	fl.close()
	return nil, errors.Join(errors.New("sim child exited before it was ready"), sc.Err())
}

// simPID is the child's process id, 0 when in-process.
func (f *fleet) simPID() int {
	if f.cmd == nil {
		return 0
	}
	return f.cmd.Process.Pid
}

func (f *fleet) close() error {
	if f.local != nil {
		return f.local.Close()
	}
	f.stdin.Close()
	done := make(chan error, 1)
	go func() { done <- f.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		_ = f.cmd.Process.Kill()
		return <-done
	}
}
