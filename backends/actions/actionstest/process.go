package actionstest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"warroom/backends/loopback"
)

// binary finds a server program on PATH or in /usr/sbin, or fails the test.
func binary(t testing.TB, name, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	p := "/usr/sbin/" + name
	if _, err := os.Stat(p); err == nil {
		return p
	}
	t.Fatalf("%s not found on PATH or in /usr/sbin: install %s: apt-get install -y %s", name, pkg, pkg)
	return ""
}

// logBuffer collects a server's output for failure messages.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() < 1<<20 {
		l.b.Write(p)
	}
	return len(p), nil
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// server is a started server process, killed at cleanup.
type server struct {
	cmd    *exec.Cmd
	log    *logBuffer
	exited chan struct{}
	err    error // Wait's result, set before exited closes
}

func startProcess(t testing.TB, argv ...string) *server {
	t.Helper()
	s := &server{log: &logBuffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(argv[0], argv[1:]...)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	dieWithParent(s.cmd.SysProcAttr)
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start %v: %v", argv, err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(s.stop)
	return s
}

func (s *server) stop() {
	select {
	case <-s.exited:
		return
	default:
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	<-s.exited
}

// waitReady polls ready until it holds, the process exits or limit passes.
func (s *server) waitReady(limit time.Duration, ready func() bool) error {
	deadline := time.Now().Add(limit)
	for wait := 2 * time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		if ready() {
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("exited (%v) before it was ready; output:\n%s", s.err, s.log)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready after %v; output:\n%s", limit, s.log)
		}
		time.Sleep(wait) // polling interval of a bounded readiness loop
	}
}

// freePort finds a loopback port free for TCP and UDP now, outside the
// ephemeral range; callers still retry on "in use".
func freePort(t testing.TB) int {
	t.Helper()
	ports, err := loopback.Ports(1)
	if err != nil {
		t.Fatal(err)
	}
	return ports[0]
}
