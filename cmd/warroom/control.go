package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"warroom/backends/config"
)

// The control socket lets the local commands (failover, ack, announce …)
// act through the running room instead of fighting it for the journal.
// Only the account that runs the room may use it: the socket is 0600 in a
// 0700 folder, and every connection's peer uid is checked.

// controlPath is where a state_dir's room listens.
func controlPath(cfg *config.Config) string {
	return filepath.Join(cfg.StateDir, "control", "room.sock")
}

// maxSocketPath is the longest path a unix socket may have on Linux (108
// bytes with the terminating NUL).
const maxSocketPath = 107

// controlTimeouts: a request must arrive promptly; a client that stops
// reading our output for this long is taken as gone.
const (
	controlRequestTimeout = 5 * time.Second
	controlWriteTimeout   = 10 * time.Second
)

// listenControl makes the owner-only folder and listens on the socket.
// The caller holds the journal's lock, so no other room of this state_dir
// runs: a socket file left here is a killed room's, and is replaced.
func listenControl(path string) (*net.UnixListener, error) {
	if len(path) > maxSocketPath {
		return nil, fmt.Errorf("control socket %s: the path is %d bytes, over the %d a unix socket allows: use a shorter state_dir", path, len(path), maxSocketPath)
	}
	dir := filepath.Dir(path)
	if err := ownerOnlyDir(dir); err != nil {
		return nil, err
	}
	if c, err := net.Dial("unix", path); err == nil {
		c.Close()
		return nil, fmt.Errorf("control socket %s: another room answers there", path)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("control socket %s: remove the stale one: %v", path, err)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("control socket: %v", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control socket %s: %v", path, err)
	}
	return ln, nil
}

// ownerOnlyDir makes dir (0700), or checks that the one there is a real
// folder of ours and tightens its mode.
func ownerOnlyDir(dir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("control socket folder %s: %v", dir, err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("control socket folder %s: %v", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("control socket folder %s is not a folder (%s): remove it", dir, fi.Mode().Type())
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		return fmt.Errorf("control socket folder %s belongs to uid %d, not to us (uid %d): remove it", dir, st.Uid, os.Getuid())
	}
	if fi.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("control socket folder %s: %v", dir, err)
		}
	}
	return nil
}

// controlServer runs the commands that arrive on the socket against l.
type controlServer struct {
	ln   *net.UnixListener
	l    *live
	logf func(format string, args ...any)
}

// serve accepts until ctx ends, then waits for the commands it started:
// they end with ctx (their clients are told they were interrupted).
func (c *controlServer) serve(ctx context.Context) {
	stop := context.AfterFunc(ctx, func() { c.ln.Close() })
	defer stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		conn, err := c.ln.AcceptUnix()
		if err != nil {
			if ctx.Err() == nil {
				c.logf("control socket: %v; local commands can no longer reach this room", err)
			}
			return
		}
		wg.Add(1)
		go func() { defer wg.Done(); c.handle(ctx, conn) }()
	}
}

// handle runs one command for one client.
func (c *controlServer) handle(ctx context.Context, conn *net.UnixConn) {
	defer conn.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var req controlRequest
	// Output that cannot be written (the client is gone, or stopped
	// reading for controlWriteTimeout) ends the command.
	fc := &frameConn{w: deadlineWriter{conn}, broken: func(err error) {
		if errors.Is(err, os.ErrDeadlineExceeded) && len(req.Args) > 0 {
			c.logf("control socket: %s's %q ended: the client stopped reading for %s", cleanLocalName(req.User), req.Args[0], controlWriteTimeout)
		}
		cancel()
	}}
	refuse := func(code int, format string, args ...any) {
		_, _ = fmt.Fprintf(stream{fc, frameStderr}, "warroom: "+format+"\n", args...)
		_ = fc.write(frameExit, exitPayload(code))
	}
	uid, err := peerUID(conn)
	if err != nil || uid != os.Getuid() {
		c.logf("control socket: refused a connection from uid %d (%v)", uid, err)
		refuse(2, "this room runs as uid %d and takes commands from that account only", os.Getuid())
		return
	}
	_ = conn.SetReadDeadline(time.Now().Add(controlRequestTimeout))
	req, err = readRequest(conn)
	if err != nil {
		refuse(2, "%v", err)
		return
	}
	_ = conn.SetReadDeadline(time.Time{})
	stdin := newStdinBuffer()
	go func() {
		// Stdin until its EOF frame, then nothing until the client closes:
		// the end of the connection is the end of the command.
		stdin.close(forwardStdin(conn, stdin))
		cancel()
	}()
	o := oneShot{stdin: bufio.NewReader(stdin), stdout: stream{fc, frameStdout}, stderr: stream{fc, frameStderr},
		actor: localActorIn(c.l.roster.Load(), req.User)}
	code := exitCode(roomCommand(ctx, c.l, req.Args, o, true), o.stderr)
	_ = fc.write(frameExit, exitPayload(code))
}

// forwardStdin copies stdin frames into b until the client's connection
// ends, and returns why it ended.
func forwardStdin(r io.Reader, b *stdinBuffer) error {
	for {
		kind, p, err := readFrame(r)
		if err != nil {
			b.close(errors.New("the client hung up"))
			return err
		}
		switch kind {
		case frameStdin:
			if err := b.write(p); err != nil {
				return err
			}
		case frameStdinEOF:
			b.close(io.EOF)
		default:
			return fmt.Errorf("control: unexpected frame %q from the client", kind)
		}
	}
}

// deadlineWriter gives every write a deadline: a client that stops
// reading cannot hold the command (or the room's shutdown) forever.
type deadlineWriter struct{ c *net.UnixConn }

func (d deadlineWriter) Write(p []byte) (int, error) {
	_ = d.c.SetWriteDeadline(time.Now().Add(controlWriteTimeout))
	return d.c.Write(p)
}

// encodeRequest is the request frame's payload.
func encodeRequest(req controlRequest) ([]byte, error) { return json.Marshal(req) }
