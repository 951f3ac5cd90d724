package actionstest

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// HAProxy is a running haproxy with one frontend and one backend.
type HAProxy struct {
	SocketPath   string // runtime API, level admin (unix socket)
	FrontendAddr string // 127.0.0.1:port taking HTTP traffic for the backend
	Backend      string
	srv          *server
}

// Log is haproxy's output so far (for failure messages).
func (h *HAProxy) Log() string { return h.srv.log.String() }

// Command sends one runtime API command and returns the reply.
func (h *HAProxy) Command(cmd string) (string, error) {
	c, err := net.DialTimeout("unix", h.SocketPath, 2*time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, cmd+"\n"); err != nil {
		return "", err
	}
	b, err := io.ReadAll(c)
	return string(b), err
}

// StartHAProxy runs /usr/sbin/haproxy in the foreground (-db) with a config
// written for the test: a frontend on a free loopback port whose backend
// (balance roundrobin) holds servers (name → http://host:port/ or
// host:port, weight 100) and an admin stats socket. The servers named in
// active start ready, the others `disabled` (maintenance); with no active
// names all start ready. It returns when the socket answers and the
// frontend accepts connections; haproxy is killed at cleanup.
func StartHAProxy(t testing.TB, backend string, servers map[string]string, active ...string) *HAProxy {
	t.Helper()
	bin := binary(t, "haproxy", "haproxy")
	// A unix socket path must stay under 108 bytes: test names make t.TempDir long.
	dir, err := os.MkdirTemp("", "hx")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	up := map[string]bool{}
	for _, a := range active {
		up[a] = true
	}
	names := make([]string, 0, len(servers))
	for n := range servers {
		names = append(names, n)
	}
	sort.Strings(names)
	var lines []string
	for _, n := range names {
		addr := servers[n]
		if u, err := url.Parse(addr); err == nil && u.Host != "" {
			addr = u.Host
		}
		l := fmt.Sprintf("    server %s %s weight 100", n, addr)
		if len(active) > 0 && !up[n] {
			l += " disabled"
		}
		lines = append(lines, l)
	}
	for attempt := 1; ; attempt++ {
		h := &HAProxy{SocketPath: filepath.Join(dir, "admin.sock"), Backend: backend}
		h.FrontendAddr = "127.0.0.1:" + strconv.Itoa(freePort(t))
		cfg := filepath.Join(dir, "haproxy.cfg")
		text := fmt.Sprintf(`global
    stats socket %s level admin
    nbthread 1
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind %s
    default_backend %s
backend %s
    balance roundrobin
%s
`, h.SocketPath, h.FrontendAddr, backend, backend, strings.Join(lines, "\n"))
		if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		_ = os.Remove(h.SocketPath)
		h.srv = startProcess(t, bin, "-db", "-f", cfg)
		err := h.srv.waitReady(10*time.Second, func() bool {
			r, err := h.Command("show servers state " + backend)
			if err != nil || !strings.HasPrefix(r, "1\n") {
				return false
			}
			c, err := net.DialTimeout("tcp", h.FrontendAddr, time.Second)
			if err == nil {
				c.Close()
			}
			return err == nil
		})
		if err == nil {
			return h
		}
		h.srv.stop()
		if attempt < 3 && strings.Contains(h.Log(), "cannot bind") {
			continue // the free port was taken meanwhile
		}
		t.Fatalf("haproxy %s: %v\nconfig:\n%s", bin, err, text)
	}
}
