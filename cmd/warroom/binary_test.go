package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runBinary runs the real binary to its end (at most a minute) and returns
// its exit code and output. The child dies with the test binary.
func runBinary(t *testing.T, bin, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runBinaryAs(t, bin, "", stdin, args...)
}

// runBinaryAs is runBinary with WARROOM_USER set to user (when not "").
func runBinaryAs(t *testing.T, bin, user, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Stdin = strings.NewReader(stdin)
	if user != "" {
		cmd.Env = append(os.Environ(), "WARROOM_USER="+user)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && ctx.Err() == nil:
		code = exit.ExitCode()
	default:
		t.Fatalf("%s %s: %v\n%s%s", bin, strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return code, out.String(), errOut.String()
}
