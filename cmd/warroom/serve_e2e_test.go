package main

import (
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"warroom/backends/cluster/clustertest"
)

// TestServeWithOpenSSHInARealTerminal runs the real binary's `serve` and
// the real OpenSSH client in tmux: connect, see the room, resize, quit.
func TestServeWithOpenSSHInARealTerminal(t *testing.T) {
	sshBin := needTool(t, "ssh", "openssh-client")
	bin := buildBinary(t)
	f := startFleet(t, 3)
	ana := newPerson(t, "ana", "operator")
	cfg := fleetConfig(t, f)
	port := freePort(t)
	appendFile(t, cfg, strings.Replace(serveSection(ana), "127.0.0.1:0", fmt.Sprintf("127.0.0.1:%d", port), 1))

	// The server, as an operator would start it.
	var log strings.Builder
	srv := exec.Command(bin, "serve", "--config", cfg)
	srv.Stderr = &lockedWriter{w: &log}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{}) // closed once the server has exited
	go func() { _ = srv.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = srv.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("server log:\n%s", log.String())
		}
	})

	keyFile := filepath.Join(t.TempDir(), "id_ed25519")
	writePrivateKey(t, ana, keyFile)
	cmd := fmt.Sprintf("%s -tt -i %s -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -p %d ana@127.0.0.1",
		sshBin, keyFile, port)
	term := newTerminal(t, 120, 40, []string{"TERM=xterm-256color"}, waitForPort(port)+" && "+cmd)
	term.waitFor("the room over SSH", 20*time.Second, containsAll("Mirrors", "Sync lag", "Timeline", "ana joined as operator"))
	// The window changes travel over SSH: too small, then big enough again.
	term.resize(50, 12)
	term.waitFor("the too-small note at 50×12", 10*time.Second, containsAll("too small", "50×12"))
	term.resize(100, 30)
	term.waitFor("the room again at 100×30", 10*time.Second, func(s string) bool {
		return strings.Contains(s, "Mirrors") && !strings.Contains(s, "too small")
	})
	term.keys("q")
	term.waitFor("ssh ending with the session", 10*time.Second, containsAll("EXITED:0"))

	if err := srv.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		t.Fatal("serve still running 5 s after SIGINT")
	}
	if !strings.Contains(log.String(), "authenticated") || !strings.Contains(log.String(), gossh.FingerprintSHA256(ana.signer.PublicKey())) {
		t.Errorf("the server log lacks the authentication with the key's fingerprint:\n%s", log.String())
	}
}

// freePort finds a loopback port nobody listens on now, outside the
// ephemeral range so no dialling test takes it before the server binds it.
func freePort(t *testing.T) int {
	t.Helper()
	return clustertest.FreePorts(t, 1)[0]
}

// waitForPort is a shell loop that waits (up to 10 s) for the server to listen.
func waitForPort(port int) string {
	return fmt.Sprintf("for i in $(seq 100); do (echo > /dev/tcp/127.0.0.1/%d) 2>/dev/null && break; sleep 0.1; done", port)
}

func writePrivateKey(t *testing.T, p person, path string) {
	t.Helper()
	block, err := gossh.MarshalPrivateKey(p.key, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
}
