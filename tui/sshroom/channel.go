package sshroom

import (
	"context"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// sessionContext is one session channel's context. The library gives every
// session its connection's context, which ends only with the connection: a
// client that closed just its session (ControlMaster, or any client that
// keeps the connection) would leave the session's command running, and
// its slot taken, until the request behind it ended. Values and the
// connection's details still come from the connection's context.
type sessionContext struct {
	ssh.Context
	ch context.Context
}

func (c *sessionContext) Done() <-chan struct{}       { return c.ch.Done() }
func (c *sessionContext) Err() error                  { return c.ch.Err() }
func (c *sessionContext) Deadline() (time.Time, bool) { return c.ch.Deadline() }

// sessionChannel serves a session channel as the library does, with a
// context that ends when the channel's requests end: the client closed the
// channel or the connection.
func sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	ch, cancel := context.WithCancel(ctx)
	defer cancel()
	ssh.DefaultSessionHandler(srv, conn, nc, &sessionContext{Context: ctx, ch: ch})
}
