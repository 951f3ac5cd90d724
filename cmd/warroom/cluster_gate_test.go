package main

import (
	"bufio"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// apiGate stands between one node and HAProxy's runtime API (one command
// per connection, as the executor talks): each node's executor is given its
// own gate, so the test knows which node sent what, and can hold a command
// before HAProxy sees it to stop a failover half-way.
type apiGate struct {
	socket string // HAProxy's admin socket
	ln     net.Listener
	wg     sync.WaitGroup

	mu      sync.Mutex
	cmds    []string          // every command received, in order
	hold    func(string) bool // a matching command waits for release
	held    int
	release chan struct{}
}

// startGate listens on a loopback port for commands bound for socket.
func startGate(t *testing.T, socket string) *apiGate {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := &apiGate{socket: socket, ln: ln, release: make(chan struct{})}
	g.wg.Add(1)
	go g.serve()
	t.Cleanup(func() {
		ln.Close()
		g.Release()
		g.wg.Wait()
	})
	return g
}

func (g *apiGate) Addr() string { return g.ln.Addr().String() }

func (g *apiGate) serve() {
	defer g.wg.Done()
	for {
		c, err := g.ln.Accept()
		if err != nil {
			return
		}
		g.wg.Add(1)
		go func() { defer g.wg.Done(); g.handle(c) }()
	}
}

// handle reads one command, records it, waits if it is held, then passes
// it to HAProxy and the reply back. A held command is still delivered
// once released, even if its sender died meanwhile: it was sent.
func (g *apiGate) handle(c net.Conn) {
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return
	}
	cmd := strings.TrimSpace(line)
	g.mu.Lock()
	g.cmds = append(g.cmds, cmd)
	wait := g.hold != nil && g.hold(cmd)
	if wait {
		g.held++
	}
	release := g.release
	g.mu.Unlock()
	if wait {
		<-release
	}
	hx, err := net.DialTimeout("unix", g.socket, 2*time.Second)
	if err != nil {
		return
	}
	defer hx.Close()
	_ = hx.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(hx, cmd+"\n"); err != nil {
		return
	}
	_ = c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, _ = io.Copy(c, hx)
}

// Hold makes commands matching match wait until Release.
func (g *apiGate) Hold(match func(string) bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.hold = match
}

// Release lets every held command through and holds nothing more.
func (g *apiGate) Release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.hold = nil
	select {
	case <-g.release:
	default:
		close(g.release)
	}
}

// Held counts the commands that were held.
func (g *apiGate) Held() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.held
}

// Changes lists the commands that change HAProxy (set …), in order.
func (g *apiGate) Changes() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []string
	for _, c := range g.cmds {
		if strings.HasPrefix(c, "set ") {
			out = append(out, c)
		}
	}
	return out
}
