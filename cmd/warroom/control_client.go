package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"

	"warroom/backends/config"
)

// exitStatus is the exit code of a command that ran in the room: it has
// said everything itself, so nothing more is printed.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// interruptWait is how long an interrupted client waits for the room to
// say how the command ended.
const interruptWait = 3 * time.Second

// throughRoom runs a local command line (args after "warroom") in the room
// that listens in cfg's state_dir, as the person at this keyboard, with
// its input and output here. ran is false when no room answers (no socket,
// or a killed room's): the caller then opens the journal itself.
func throughRoom(ctx context.Context, cfg *config.Config, args []string, o oneShot) (ran bool, err error) {
	path := controlPath(cfg)
	conn, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED) {
			return false, nil
		}
		if errors.Is(err, syscall.EACCES) {
			return true, fmt.Errorf("control socket %s: permission denied: the room there runs as another user; run this as that user", path)
		}
		return true, fmt.Errorf("control socket %s: %v", path, err)
	}
	defer conn.Close()
	fc := &frameConn{w: conn}
	payload, err := encodeRequest(controlRequest{Args: args, User: o.actor.Name})
	if err != nil {
		return true, err
	}
	if err := fc.write(frameRequest, payload); err != nil {
		return true, fmt.Errorf("control socket %s: %v", path, err)
	}
	if o.stdin != nil {
		go sendStdin(fc, o.stdin)
	} else {
		_ = fc.write(frameStdinEOF, nil)
	}
	// Interrupted: tell the room (it ends the command) and hear how it ended.
	stop := context.AfterFunc(ctx, func() {
		fc.mu.Lock()
		_ = conn.CloseWrite()
		fc.mu.Unlock()
		_ = conn.SetReadDeadline(time.Now().Add(interruptWait))
	})
	defer stop()
	for {
		kind, p, err := readFrame(conn)
		if err != nil {
			if ctx.Err() != nil {
				return true, fmt.Errorf("interrupted; the room carries on: its timeline shows how %s ended", args[0])
			}
			return true, fmt.Errorf("the room closed the connection before %s finished (it may have stopped): see its timeline before running it again", args[0])
		}
		switch kind {
		case frameStdout:
			_, _ = o.stdout.Write(p)
		case frameStderr:
			_, _ = o.stderr.Write(p)
		case frameExit:
			code, err := exitFromPayload(p)
			if err != nil || code == 0 {
				return true, err
			}
			return true, exitStatus(code)
		default:
			return true, fmt.Errorf("control: unexpected frame %q from the room", kind)
		}
	}
}

// sendStdin forwards this process's standard input to the room. It ends
// with the input, or when the connection is closed.
func sendStdin(fc *frameConn, in io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := in.Read(buf)
		if n > 0 {
			if fc.write(frameStdin, buf[:n]) != nil {
				return
			}
		}
		if err != nil {
			_ = fc.write(frameStdinEOF, nil)
			return
		}
	}
}
