package clustertest

import (
	"bytes"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// Link is what a proxy does to the bytes of a connection.
type Link struct {
	Cut       bool          // close the connections and refuse new ones
	Blackhole bool          // keep connections open but drop every byte
	Delay     time.Duration // hold each chunk this long, each way
}

// Proxy forwards TCP connections from its loopback port to a target. Its
// rules apply to live connections too: a cut closes them at once.
type Proxy struct {
	t        testing.TB
	ln       net.Listener
	target   string
	identify func(net.Conn) (src string, read []byte) // a connection's source ("" if unknown) and the bytes read to learn it
	// sniff names the source in later bytes of a connection still unknown
	// ("" if they name none): etcd opens some keep-alive connections with
	// a probe that names no sender, then sends raft messages on them.
	sniff func([]byte) string

	mu    sync.Mutex
	all   Link            // for every connection without a source rule
	from  map[string]Link // by source
	conns map[*conn]struct{}
	wg    sync.WaitGroup
}

// conn is one proxied connection.
type conn struct {
	src        string
	client, up net.Conn
	once       sync.Once
}

func (c *conn) close() {
	c.once.Do(func() {
		c.client.Close()
		c.up.Close()
	})
}

// NewProxy listens on a free loopback port and forwards to target
// ("host:port"); it is closed when the test ends.
func NewProxy(t testing.TB, target string) *Proxy {
	return newProxy(t, target, nil, nil)
}

func newProxy(t testing.TB, target string, identify func(net.Conn) (string, []byte), sniff func([]byte) string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("clustertest: proxy for %s: %v", target, err)
	}
	p := &Proxy{t: t, ln: ln, target: target, identify: identify, sniff: sniff,
		from: map[string]Link{}, conns: map[*conn]struct{}{}}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.Close)
	return p
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// URL is http://host:port of the proxy.
func (p *Proxy) URL() string { return "http://" + p.Addr() }

// Set applies l to every connection that has no rule of its own.
func (p *Proxy) Set(l Link) {
	p.mu.Lock()
	p.all = l
	p.mu.Unlock()
	p.enforce()
}

// SetFrom applies l to connections from src (as the proxy identifies them).
func (p *Proxy) SetFrom(src string, l Link) {
	p.mu.Lock()
	if l == (Link{}) {
		delete(p.from, src)
	} else {
		p.from[src] = l
	}
	p.mu.Unlock()
	p.enforce()
}

// link returns the rule for a source.
func (p *Proxy) link(src string) Link {
	p.mu.Lock()
	defer p.mu.Unlock()
	if l, ok := p.from[src]; ok && src != "" {
		return l
	}
	return p.all
}

// linkOf is the rule for a connection's source as known now.
func (p *Proxy) linkOf(c *conn) Link {
	p.mu.Lock()
	src := c.src
	p.mu.Unlock()
	return p.link(src)
}

// learn sets the source of a connection not known yet from what it sent
// (seen ends with its latest bytes); it returns what to keep of seen to
// find a name cut across two reads.
func (p *Proxy) learn(c *conn, seen []byte) []byte {
	p.mu.Lock()
	known := c.src != ""
	p.mu.Unlock()
	if known {
		return nil
	}
	if src := p.sniff(seen); src != "" {
		p.mu.Lock()
		c.src = src
		p.mu.Unlock()
		return nil
	}
	return bytes.Clone(seen[max(0, len(seen)-sniffCarry):])
}

// sniffCarry is how much of a read is kept to find a header line cut
// across two reads; etcd's X-Server-From line is about 35 bytes.
const sniffCarry = 256

// enforce closes the live connections a cut now covers.
func (p *Proxy) enforce() {
	p.mu.Lock()
	var cut []*conn
	for c := range p.conns {
		l, ok := p.from[c.src]
		if !ok || c.src == "" {
			l = p.all
		}
		if l.Cut {
			cut = append(cut, c)
		}
	}
	p.mu.Unlock()
	for _, c := range cut {
		c.close()
	}
}

// Close stops the proxy and closes its connections.
func (p *Proxy) Close() {
	p.ln.Close()
	p.mu.Lock()
	conns := make([]*conn, 0, len(p.conns))
	for c := range p.conns {
		conns = append(conns, c)
	}
	p.mu.Unlock()
	for _, c := range conns {
		c.close()
	}
	p.wg.Wait()
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go p.serve(client)
	}
}

// serve identifies a connection's source, dials the target and pumps both ways.
func (p *Proxy) serve(client net.Conn) {
	defer p.wg.Done()
	var from io.Reader = client
	src := ""
	if p.identify != nil {
		var read []byte
		src, read = p.identify(client)
		from = io.MultiReader(bytes.NewReader(read), client)
	}
	if p.link(src).Cut {
		client.Close()
		return
	}
	up, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		client.Close()
		return
	}
	c := &conn{src: src, client: client, up: up}
	p.mu.Lock()
	p.conns[c] = struct{}{}
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		delete(p.conns, c)
		p.mu.Unlock()
		c.close()
	}()
	done := make(chan struct{}, 2)
	go func() { p.pump(c, from, up); done <- struct{}{} }()
	go func() { p.pump(c, up, client); done <- struct{}{} }()
	<-done
	c.close()
	<-done
}

// chunk is bytes read and when they may be written.
type chunk struct {
	b   []byte
	due time.Time
}

// pump copies src to dst chunk by chunk, applying the link rule to each.
func (p *Proxy) pump(c *conn, src io.Reader, dst net.Conn) {
	requests := p.sniff != nil && dst == c.up // the client's side names its sender
	var carry []byte
	q := make(chan chunk, 1024)
	go func() {
		defer c.close()
		for ch := range q {
			if d := time.Until(ch.due); d > 0 {
				time.Sleep(d) // the simulated latency itself
			}
			if _, err := dst.Write(ch.b); err != nil {
				return
			}
		}
	}()
	defer close(q)
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if requests {
				carry = p.learn(c, append(carry, buf[:n]...))
				requests = carry != nil
			}
			l := p.linkOf(c)
			switch {
			case l.Cut:
				c.close()
				return
			case l.Blackhole:
			default:
				q <- chunk{b: bytes.Clone(buf[:n]), due: time.Now().Add(l.Delay)}
			}
		}
		if err != nil {
			return
		}
	}
}
