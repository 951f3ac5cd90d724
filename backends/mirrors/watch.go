package mirrors

import (
	"context"
	"errors"
	"io"
	"net"
	"sync/atomic"
	"syscall"

	"warroom/backends/config"
)

// A mirror whose process dies closes every connection it held: its
// kernel sends a FIN (or a reset) at once. The prober keeps a pooled
// connection to each mirror between probes, so it hears of the death long
// before the next slot; the scheduler then checks that the mirror refuses
// new connections and, if it does, probes at once and retries (see
// Scheduler). A mirror that merely closes idle connections (a keep-alive
// timeout shorter than the interval) costs one TCP connect per close and
// nothing else. A host that goes dark sends nothing and is found at its
// next slot, as is every mirror beyond PoolUpTo (none of their
// connections are kept). A connection is named after the mirror it was
// dialled for; mirrors sharing a host and port share the pool's
// connections, so one of them may hear for all.

// mirrorKey carries the probed mirror's name to the dialer.
type mirrorKey struct{}

// watchDial wraps dial so that a connection dialled for a probe calls
// p.lost with the mirror's name when the mirror closes it first.
func (p *Prober) watchDial(dial func(context.Context, string, string) (net.Conn, error)) func(context.Context, string, string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		name, _ := ctx.Value(mirrorKey{}).(string)
		if err != nil || name == "" {
			return c, err
		}
		return &watchedConn{Conn: c, mirror: name, p: p}, nil
	}
}

// watchedConn tells the prober when the peer ends the connection: a read
// that meets the end of the stream or a reset before this side closed it.
type watchedConn struct {
	net.Conn
	mirror string
	p      *Prober
	closed atomic.Bool // this side closed it: what follows is not news
	told   atomic.Bool // tell once per connection
}

func (c *watchedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if err != nil && !c.closed.Load() && peerEnded(err) && c.told.CompareAndSwap(false, true) {
		if lost := c.p.lost; lost != nil {
			lost(c.mirror)
		}
	}
	return n, err
}

func (c *watchedConn) Close() error {
	c.closed.Store(true)
	return c.Conn.Close()
}

func peerEnded(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET)
}

// Reachable reports whether the mirror accepts a TCP connection now (one
// is opened and closed at once, nothing is sent): after it closed a kept
// connection, this tells a keep-alive timeout from a dead process.
func (p *Prober) Reachable(ctx context.Context, m *config.Mirror) bool {
	if m.URL == nil {
		return false
	}
	addr := m.URL.Host
	if m.URL.Port() == "" {
		port := "80"
		if m.URL.Scheme == "https" {
			port = "443"
		}
		addr = net.JoinHostPort(m.URL.Hostname(), port)
	}
	ctx, cancel := context.WithTimeout(ctx, p.dialTimeout)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}
