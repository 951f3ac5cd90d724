package main

import (
	"net/http"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"warroom/backends/loopback"
)

// startDaemon runs cmd, a real server from a Debian package, until the
// test ends (dying with the test binary too) and waits until readyURL
// answers 200. Its output is returned for failure messages.
func startDaemon(t *testing.T, what string, cmd *exec.Cmd, readyURL string) *syncLog {
	t.Helper()
	out := &syncLog{}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-exited })
	ready := pollEvery(60*time.Second, 50*time.Millisecond, func() bool {
		select {
		case <-exited:
			return true
		default:
		}
		resp, err := http.Get(readyURL)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	select {
	case <-exited:
		t.Fatalf("%s exited:\n%s", what, out.String())
	default:
	}
	if !ready {
		t.Fatalf("%s never got ready:\n%s", what, out.String())
	}
	return out
}

// loopbackPorts is n free loopback ports for servers told theirs ahead.
func loopbackPorts(t *testing.T, n int) []int {
	t.Helper()
	ports, err := loopback.Ports(n)
	if err != nil {
		t.Fatal(err)
	}
	return ports
}
