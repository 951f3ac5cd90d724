package sim

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"time"
)

// server is one up-period of a node: a listener and the http.Server on it.
// SetDown and Close end it; SetDown(false) starts a new one on the same port.
// It tracks its connections so that stopping it leaves no goroutine behind.
type server struct {
	srv     *http.Server
	ln      net.Listener
	stopped chan struct{} // closed when stopping starts: wakes held handlers
	served  chan struct{} // closed when Serve has returned

	mu    sync.Mutex
	conns map[net.Conn]struct{}
	live  sync.WaitGroup // one per connection until closed or hijacked
}

// listen starts serving the node on addr ("127.0.0.1:0" picks a port).
func (n *Node) listen(addr string) (*server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sim: node %q: listen on %s: %w (is the port taken by another program?)", n.Name, addr, err)
	}
	s := &server{
		stopped: make(chan struct{}),
		served:  make(chan struct{}),
		conns:   map[net.Conn]struct{}{},
	}
	s.srv = &http.Server{
		Handler:           n.handler(s),
		ConnState:         s.track,
		ReadHeaderTimeout: 10 * time.Second, // real time: only bounds idle half-open clients
		IdleTimeout:       n.fleet.idle,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	s.ln = ln
	go func() {
		defer close(s.served)
		_ = s.srv.Serve(ln) // ends only when stopping closes the listener
	}()
	return s, nil
}

func (s *server) track(c net.Conn, st http.ConnState) {
	switch st {
	case http.StateNew:
		s.live.Add(1)
		s.mu.Lock()
		s.conns[c] = struct{}{}
		s.mu.Unlock()
	case http.StateClosed, http.StateHijacked:
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		s.live.Done()
	}
}

// beginStop refuses new connections and closes open ones; held handlers wake.
func (s *server) beginStop() {
	close(s.stopped)
	_ = s.ln.Close() // refuse at once, even if Serve has not started yet
	_ = s.srv.Close()
}

// wait returns when Serve and every connection's goroutine have finished.
func (s *server) wait() {
	<-s.served
	// A connection accepted just as the server closed may have escaped
	// http.Server.Close; Serve has returned, so the set is complete now.
	s.mu.Lock()
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.live.Wait()
}
