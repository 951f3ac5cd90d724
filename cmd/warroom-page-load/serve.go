package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"warroom/backends/journal"
	"warroom/backends/room"
	"warroom/cmd/internal/procstat"
)

// buildBinary compiles warroom/cmd/warroom into dir (the command runs
// inside the module, e.g. with go run).
func buildBinary(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "warroom")
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "warroom/cmd/warroom").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build warroom/cmd/warroom (run inside the module, or give -bin): %v\n%s", err, out)
	}
	return bin, nil
}

// server is `warroom serve` as a child that dies with this process.
type server struct {
	cmd      *exec.Cmd
	exited   chan struct{}
	stateDir string
	mu       sync.Mutex
	out      bytes.Buffer
}

func (s *server) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.out.Len() < 1<<20 {
		s.out.Write(p)
	}
	return len(p), nil
}

func (s *server) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// startServer writes the config into dir and starts the room on it,
// returning once its control socket answers.
func startServer(ctx context.Context, bin, dir, cfg string) (*server, error) {
	path := filepath.Join(dir, "warroom.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		return nil, err
	}
	s := &server{exited: make(chan struct{}), stateDir: filepath.Join(dir, "state")}
	s.cmd = exec.Command(bin, "serve", "--config", path)
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	s.cmd.Stdout, s.cmd.Stderr = s, s
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	sock := filepath.Join(s.stateDir, "control", "room.sock")
	err := poll(ctx, 30*time.Second, 20*time.Millisecond, func() (bool, error) {
		select {
		case <-s.exited:
			return false, fmt.Errorf("warroom serve exited:\n%s", s.log())
		default:
		}
		c, err := net.Dial("unix", sock)
		if err == nil {
			c.Close()
		}
		return err == nil, nil
	})
	if err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func (s *server) stop() {
	_ = s.cmd.Process.Kill()
	<-s.exited
}

// events reads the room's journal (without its lock, as `warroom report` does).
func (s *server) events() ([]room.Event, error) {
	records, err := journal.Read(filepath.Join(s.stateDir, "journal.jsonl"))
	if err != nil && len(records) == 0 {
		return nil, err
	}
	out := make([]room.Event, 0, len(records))
	for _, r := range records {
		var ev room.Event
		if err := json.Unmarshal(r.Data, &ev); err != nil {
			return nil, fmt.Errorf("journal record %d: %v", r.Seq, err)
		}
		out = append(out, ev)
	}
	return out, nil
}

// cpu is the server's user+system CPU time so far.
func (s *server) cpu() (time.Duration, error) { return procstat.CPU(s.cmd.Process.Pid) }

// poll calls cond every period until it is true, fails, ctx ends or d passes.
func poll(ctx context.Context, d, period time.Duration, cond func() (bool, error)) error {
	deadline := time.Now().Add(d)
	for {
		ok, err := cond()
		if ok || err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not within %s", d)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(period):
		}
	}
}
