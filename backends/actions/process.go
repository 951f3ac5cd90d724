package actions

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// killGrace is how long output is still read after the process group was
// killed: a descendant that left the group may hold the pipe open.
const killGrace = 500 * time.Millisecond

// proc is one program to run: resolved argv, environment, directory.
type proc struct {
	argv []string
	env  []string
	dir  string
}

// minimalEnv is PATH and HOME of this process plus the configured values.
func minimalEnv(extra []string) []string {
	path := os.Getenv("PATH")
	if path == "" {
		path = "/usr/local/bin:/usr/bin:/bin"
	}
	return append([]string{"PATH=" + path, "HOME=" + os.Getenv("HOME")}, extra...)
}

// run streams merged stdout and stderr lines to line as they come (from
// this goroutine) and keeps the last few for the error.
func (p proc) run(ctx context.Context, line func(string)) (tail []string, err error) {
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer pr.Close()
	cmd, stop, err := p.startPiped(ctx, pr, pw, pw)
	if err != nil {
		return nil, err
	}
	readLines(pr, func(l string) {
		line(l)
		tail = append(tail, l)
		if len(tail) > 5 {
			tail = tail[1:]
		}
	})
	werr := cmd.Wait()
	stop()
	return tail, p.exitError(ctx, werr)
}

// startPiped starts p writing into pw and arms the kill: on ctx's end the
// group is killed and reading pr gives up after killGrace.
func (p proc) startPiped(ctx context.Context, pr, pw *os.File, stderr io.Writer) (*exec.Cmd, func() bool, error) {
	path, err := exec.LookPath(p.argv[0])
	if err != nil {
		pw.Close()
		return nil, nil, fmt.Errorf("command %s: %w (install it or give a full path)", p.argv[0], err)
	}
	cmd := exec.Command(path, p.argv[1:]...)
	cmd.Env, cmd.Dir = p.env, p.dir
	cmd.Stdout, cmd.Stderr = pw, stderr
	cmd.WaitDelay = killGrace // bounds copying stderr when it is not a file
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = cmd.Start()
	pw.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("start %s: %w", p.argv[0], err)
	}
	pgid := cmd.Process.Pid
	stop := context.AfterFunc(ctx, func() {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		_ = pr.SetReadDeadline(time.Now().Add(killGrace))
	})
	return cmd, stop, nil
}

// readLines calls f for each line (long lines come in 64 KiB pieces) until
// EOF or a read error (the kill's read deadline).
func readLines(r io.Reader, f func(string)) {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		b, _, err := br.ReadLine()
		if len(b) > 0 || err == nil {
			f(strings.TrimRight(string(b), "\r"))
		}
		if err != nil {
			return
		}
	}
}

// exitError turns Wait's result into the error Run reports: ctx's error
// first (the group was killed), then the exit status.
func (p proc) exitError(ctx context.Context, werr error) error {
	if c := ctx.Err(); c != nil {
		return fmt.Errorf("%s: %w; process group killed", p.argv[0], c)
	}
	if werr == nil {
		return nil
	}
	var ee *exec.ExitError
	if errors.As(werr, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return fmt.Errorf("%s: killed by signal %s", p.argv[0], ws.Signal())
		}
		return fmt.Errorf("%s: exit status %d", p.argv[0], ee.ExitCode())
	}
	return fmt.Errorf("%s: %w", p.argv[0], werr)
}

// output runs p and returns its stdout (up to 4 MiB); stderr's last lines
// go into the error.
func (p proc) output(ctx context.Context) ([]byte, error) {
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer pr.Close()
	var stderr tailBuffer
	cmd, stop, err := p.startPiped(ctx, pr, pw, &stderr)
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(io.LimitReader(pr, 4<<20))
	_, _ = io.Copy(io.Discard, pr) // let a chatty program finish
	werr := cmd.Wait()
	stop()
	if err := p.exitError(ctx, werr); err != nil {
		if t := stderr.String(); t != "" {
			return b, fmt.Errorf("%w; stderr: %s", err, t)
		}
		return b, err
	}
	return b, nil
}

// tailBuffer keeps the last 2 KiB written to it.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 2048 {
		t.b = t.b[len(t.b)-2048:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return strings.TrimSpace(string(t.b)) }
