package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is the real binary serving the room, as a child process.
type server struct {
	cmd  *exec.Cmd
	addr string
	log  *os.File
	done chan error
}

var listening = regexp.MustCompile(` on (127\.0\.0\.1:\d+), host key `)

// startServer runs bin with args (`serve --config cfg`, or the naive
// server) and waits for its address. It dies with this process.
func startServer(logPath, bin string, args ...string) (*server, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	pr, pw := io.Pipe()
	cmd.Stderr = pw
	cmd.Stdout = logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %v", bin, err)
	}
	s := &server{cmd: cmd, log: logFile, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait(); pw.Close() }()
	found := make(chan string, 1)
	go func() { // copy the log, noting the address
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(logFile, line)
			if m := listening.FindStringSubmatch(line); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	select {
	case s.addr = <-found:
		return s, nil
	case err := <-s.done:
		return nil, fmt.Errorf("%s exited before listening (%v); see %s", bin, err, logPath)
	case <-time.After(20 * time.Second):
		s.kill()
		return nil, fmt.Errorf("%s did not say where it listens within 20s; see %s", bin, logPath)
	}
}

// stop sends SIGTERM and returns how long the server took to exit.
func (s *server) stop(within time.Duration) (time.Duration, error) {
	start := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return 0, err
	}
	select {
	case err := <-s.done:
		return time.Since(start), err
	case <-time.After(within):
		s.kill()
		return time.Since(start), fmt.Errorf("still running %s after SIGTERM; killed", within)
	}
}

func (s *server) kill() {
	_ = s.cmd.Process.Kill()
}

// cpu is the server's user+system CPU time so far.
func (s *server) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	st := string(b)
	i := strings.LastIndexByte(st, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(st[i+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+stime) * time.Second / 100 // USER_HZ
}

// rss is the server's resident memory in bytes.
func (s *server) rss() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
