package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"
	gossh "golang.org/x/crypto/ssh"
)

// The cluster demo's screen is an SSH session to one node, as anyone's
// would be: the terminal is handed through as is. When that node dies
// (the kill key, or kill -9), the screen attaches to the next live one,
// so the person sees the room carry on elsewhere.

// demoKey makes the key the demo's own person logs in with.
func demoKey() (gossh.Signer, string, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, "", err
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		return nil, "", err
	}
	return signer, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey()))), nil
}

// screen shows the room through the first live node until the person
// quits or ctx ends.
func (d *demoCluster) screen(ctx context.Context, signer gossh.Signer, stdin io.Reader, stdout io.Writer, stderr io.Writer) error {
	fd := os.Stdin.Fd()
	old, err := term.MakeRaw(fd)
	if err != nil {
		return fmt.Errorf("demo --cluster: terminal: %v", err)
	}
	defer term.Restore(fd, old)
	keys := make(chan []byte)
	go func() { // one reader of the terminal for every session in turn
		for {
			buf := make([]byte, 1024)
			n, err := stdin.Read(buf)
			if n > 0 {
				keys <- buf[:n]
			}
			if err != nil {
				close(keys)
				return
			}
		}
	}()
	winch := make(chan os.Signal, 1)
	signal.Notify(winch, syscall.SIGWINCH)
	defer signal.Stop(winch)
	for i := 0; ; i++ {
		p := d.liveFrom(i)
		if p == nil {
			return errAllNodesGone
		}
		quit, err := d.attach(ctx, p, signer, keys, winch, stdout)
		if quit {
			return err
		}
		fmt.Fprintf(stdout, "\r\n\x1b[1m  %s is gone (%v): the room goes on elsewhere; attaching to the next node…\x1b[0m\r\n", p.name, err)
		if len(d.liveNodes()) == 0 {
			return errAllNodesGone
		}
		// The next one may be the old leader's successor still catching up.
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(500 * time.Millisecond):
		}
		i = d.index(p)
	}
}

func (d *demoCluster) index(p *demoNodeProc) int {
	for i, q := range d.nodes {
		if q == p {
			return i
		}
	}
	return 0
}

// liveFrom is the first live node from the i-th on, wrapping around.
func (d *demoCluster) liveFrom(i int) *demoNodeProc {
	for k := range d.nodes {
		if p := d.nodes[(i+k)%len(d.nodes)]; p.alive() {
			return p
		}
	}
	return nil
}

func (d *demoCluster) liveNodes() []*demoNodeProc {
	var out []*demoNodeProc
	for _, p := range d.nodes {
		if p.alive() {
			out = append(out, p)
		}
	}
	return out
}

// attach runs one session on p. quit: the person ended it (or ctx did);
// otherwise the connection was lost and err says how.
func (d *demoCluster) attach(ctx context.Context, p *demoNodeProc, signer gossh.Signer, keys <-chan []byte, winch <-chan os.Signal, stdout io.Writer) (quit bool, err error) {
	client, err := gossh.Dial("tcp", p.sshAddr, &gossh.ClientConfig{User: d.me, Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		// The node is this demo's own child on loopback, with a host key
		// made a moment ago: there is nothing to check it against.
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
	if err != nil {
		return false, err
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		return false, err
	}
	defer sess.Close()
	w, h, err := term.GetSize(os.Stdout.Fd())
	if err != nil {
		w, h = 120, 40
	}
	termName := os.Getenv("TERM")
	if termName == "" {
		termName = "xterm-256color"
	}
	if err := sess.RequestPty(termName, h, w, gossh.TerminalModes{}); err != nil {
		return false, err
	}
	in, err := sess.StdinPipe()
	if err != nil {
		return false, err
	}
	sess.Stdout, sess.Stderr = stdout, stdout
	if err := sess.Shell(); err != nil {
		return false, err
	}
	ended := make(chan error, 1)
	go func() { ended <- sess.Wait() }()
	for {
		select {
		case b, ok := <-keys:
			if !ok {
				return true, nil // the terminal closed
			}
			if _, err := in.Write(b); err != nil {
				return false, err
			}
		case <-winch:
			if w, h, err := term.GetSize(os.Stdout.Fd()); err == nil {
				_ = sess.WindowChange(h, w)
			}
		case err := <-ended:
			var exit *gossh.ExitError
			if err == nil || errors.As(err, &exit) {
				return true, nil // the person quit the room
			}
			return false, err
		case <-ctx.Done():
			return true, nil
		}
	}
}
