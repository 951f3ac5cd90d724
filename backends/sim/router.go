package sim

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"
)

// RouterServer is one server of a Router's backend: where it forwards to and
// its starting state. Weight is HAProxy's 0–256.
type RouterServer struct {
	Name   string
	URL    string
	Ready  bool // false: starts in forced maintenance
	Weight int
	// Users models requests per second from users who reach this server
	// whatever its state here (the demo's regional users), answered 5xx
	// at Share5xx, in RTime; show stat counts them with forwarded ones.
	Users    float64
	Share5xx float64
	RTime    time.Duration
}

// Router is a tiny HAProxy stand-in for the demo: an HTTP listener that
// forwards each request to the first server (in order) that is ready with a
// weight above 0, and a TCP listener speaking the subset of HAProxy's
// runtime API that the haproxy executor uses, with HAProxy 2.6's replies.
type Router struct {
	backend string
	http    *http.Server
	httpLn  net.Listener
	apiLn   net.Listener
	tr      *http.Transport

	mu      sync.Mutex
	servers []*routerServer
	conns   map[net.Conn]struct{}
	closed  bool

	wg        sync.WaitGroup // API accept loop and connections, HTTP Serve
	closeOnce sync.Once
}

// routerServer is a server's live state, guarded by Router.mu.
type routerServer struct {
	name    string
	host    string
	port    string
	admin   int // HAProxy admin state bits: 0x01 forced maint, 0x08 forced drain
	uweight int
	iweight int
	changed time.Time
	served  int
	traffic routerTraffic
	proxy   *httputil.ReverseProxy
}

const (
	rtFMaint = 0x01
	rtFDrain = 0x08
)

func (s *routerServer) ready() bool { return s.admin&(rtFMaint|rtFDrain) == 0 }

// opState is HAProxy's srv_op_state: 0 stopped (in maintenance), 2 running.
func (s *routerServer) opState() int {
	if s.admin&rtFMaint != 0 {
		return 0
	}
	return 2
}

// StartRouter listens on two fresh 127.0.0.1 ports: HTTP traffic and the
// runtime API. On error nothing is left running.
func StartRouter(backend string, servers []RouterServer) (*Router, error) {
	if backend == "" || strings.ContainsAny(backend, " /;") {
		return nil, fmt.Errorf("sim router: backend %q: want a name without spaces, '/' or ';'", backend)
	}
	r := &Router{backend: backend, conns: map[net.Conn]struct{}{}, tr: &http.Transport{
		Proxy: nil, MaxIdleConnsPerHost: 16, IdleConnTimeout: 30 * time.Second,
	}}
	seen := map[string]bool{}
	for i, s := range servers {
		if s.Name == "" || strings.ContainsAny(s.Name, " /;") || seen[s.Name] {
			return nil, fmt.Errorf("sim router: server %d name %q: want a unique name without spaces, '/' or ';'", i+1, s.Name)
		}
		seen[s.Name] = true
		u, err := url.Parse(s.URL)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, fmt.Errorf("sim router: server %q: URL %q: want http://host:port/", s.Name, s.URL)
		}
		if s.Weight < 0 || s.Weight > 256 {
			return nil, fmt.Errorf("sim router: server %q: weight %d: want 0–256", s.Name, s.Weight)
		}
		if s.Users < 0 || s.Share5xx < 0 || s.Share5xx > 1 || s.RTime < 0 {
			return nil, fmt.Errorf("sim router: server %q: users %v, share5xx %v, rtime %v: want users and rtime ≥ 0, share5xx 0–1", s.Name, s.Users, s.Share5xx, s.RTime)
		}
		rs := &routerServer{name: s.Name, host: u.Hostname(), port: u.Port(), uweight: s.Weight, iweight: s.Weight, changed: time.Now(),
			traffic: routerTraffic{users: s.Users, share5xx: s.Share5xx, rtime: s.RTime, start: time.Now()}}
		if !s.Ready {
			rs.admin = rtFMaint
		}
		rs.proxy = &httputil.ReverseProxy{
			Rewrite:   func(pr *httputil.ProxyRequest) { pr.SetURL(u); pr.SetXForwarded() },
			Transport: r.tr,
			ErrorLog:  log.New(io.Discard, "", 0),
			ErrorHandler: func(w http.ResponseWriter, _ *http.Request, err error) {
				http.Error(w, "sim router: server "+s.Name+": "+err.Error(), http.StatusBadGateway)
			},
		}
		r.servers = append(r.servers, rs)
	}
	var err error
	if r.httpLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("sim router: listen for HTTP: %w", err)
	}
	if r.apiLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		_ = r.httpLn.Close()
		return nil, fmt.Errorf("sim router: listen for the runtime API: %w", err)
	}
	r.http = &http.Server{Handler: http.HandlerFunc(r.serveHTTP), ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	r.wg.Add(2)
	go func() {
		defer r.wg.Done()
		_ = r.http.Serve(r.httpLn)
	}()
	go r.acceptAPI()
	return r, nil
}

// HTTPAddr is host:port of the traffic listener.
func (r *Router) HTTPAddr() string { return r.httpLn.Addr().String() }

// APIAddr is host:port of the runtime API listener (an haproxy executor's address).
func (r *Router) APIAddr() string { return r.apiLn.Addr().String() }

// Active names the servers that take traffic: ready with a weight above 0, in order.
func (r *Router) Active() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, s := range r.servers {
		if s.ready() && s.uweight > 0 {
			out = append(out, s.name)
		}
	}
	return out
}

// Served counts the requests forwarded to each server.
func (r *Router) Served() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int, len(r.servers))
	for _, s := range r.servers {
		out[s.name] = s.served
	}
	return out
}

func (r *Router) serveHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	var pick *routerServer
	for _, s := range r.servers {
		if s.ready() && s.uweight > 0 {
			pick = s
			break
		}
	}
	if pick != nil {
		pick.served++
	}
	r.mu.Unlock()
	if pick == nil {
		http.Error(w, "sim router: backend "+r.backend+" has no server available", http.StatusBadGateway)
		return
	}
	sw := &statusWriter{ResponseWriter: w}
	began := time.Now()
	pick.proxy.ServeHTTP(sw, req)
	r.mu.Lock()
	pick.traffic.record(sw.status, time.Since(began))
	r.mu.Unlock()
}

// Close stops both listeners and every connection, and returns when no
// goroutine of the router is left. Safe to call twice.
func (r *Router) Close() {
	r.closeOnce.Do(func() {
		r.mu.Lock()
		r.closed = true
		for c := range r.conns {
			_ = c.Close()
		}
		r.mu.Unlock()
		_ = r.apiLn.Close()
		_ = r.http.Close()
		r.wg.Wait()
		r.tr.CloseIdleConnections()
	})
}

func (r *Router) acceptAPI() {
	defer r.wg.Done()
	for {
		c, err := r.apiLn.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return // closed
		}
		r.mu.Lock()
		if r.closed {
			r.mu.Unlock()
			_ = c.Close()
			return
		}
		r.conns[c] = struct{}{}
		r.wg.Add(1)
		r.mu.Unlock()
		go r.serveAPI(c)
	}
}
