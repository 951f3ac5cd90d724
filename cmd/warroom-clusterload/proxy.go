package main

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
)

// countingProxy forwards loopback TCP connections to a member's peer port
// and counts the bytes both ways: all traffic between the peers.
type countingProxy struct {
	ln     net.Listener
	target string
	bytes  atomic.Int64
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	wg     sync.WaitGroup
}

func newCountingProxy(target string) (*countingProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &countingProxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

func (p *countingProxy) addr() string { return p.ln.Addr().String() }

// total is the bytes forwarded so far, both ways.
func (p *countingProxy) total() int64 { return p.bytes.Load() }

func (p *countingProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go p.serve(c)
	}
}

func (p *countingProxy) serve(client net.Conn) {
	defer p.wg.Done()
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	if !p.track(client, up) {
		return
	}
	done := make(chan struct{}, 2)
	pump := func(dst, src net.Conn) {
		_, _ = io.Copy(counted{dst, &p.bytes}, src) // peer streams live long: count as they flow
		dst.Close()
		src.Close()
		done <- struct{}{}
	}
	go pump(up, client)
	go pump(client, up)
	<-done
	<-done
	p.mu.Lock()
	delete(p.conns, client)
	delete(p.conns, up)
	p.mu.Unlock()
}

// track remembers a connection pair so close can end it; false (and both
// closed) once the proxy is closed.
func (p *countingProxy) track(a, b net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.conns == nil {
		a.Close()
		b.Close()
		return false
	}
	p.conns[a], p.conns[b] = struct{}{}, struct{}{}
	return true
}

func (p *countingProxy) close() {
	p.ln.Close()
	p.mu.Lock()
	for c := range p.conns {
		c.Close()
	}
	p.conns = nil
	p.mu.Unlock()
	p.wg.Wait()
}

// counted adds what it writes to n.
type counted struct {
	w io.Writer
	n *atomic.Int64
}

func (c counted) Write(b []byte) (int, error) {
	k, err := c.w.Write(b)
	c.n.Add(int64(k))
	return k, err
}
