package sim

import (
	"net"
	"net/http"
	"strconv"
	"time"
)

// handler serves one node for one up-period s.
func (n *Node) handler(s *server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.requests.Add(1)
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			reply(w, r, http.StatusMethodNotAllowed, textType, time.Time{}, []byte("method not allowed\n"))
			return
		}
		if !n.holdWhileBlackholed(r, s) {
			abandon()
		}
		fl := n.faults()
		if fl.cutFrom != "" && r.Header.Get(RegionHeader) == fl.cutFrom {
			resetConnection(w)
			return
		}
		arrived := n.fleet.clock.Now()
		if !arrived.Before(fl.outageFrom) && arrived.Before(fl.outageUntil) {
			resetConnection(w)
			return
		}
		if failing, c := fl.flap.phase(arrived); failing {
			if c%2 == 0 {
				resetConnection(w)
				return
			}
			reply(w, r, http.StatusServiceUnavailable, textType, time.Time{}, []byte("flapping: service unavailable\n"))
			return
		}
		wait := fl.delay + n.jitter(fl.jitter)
		if slow, _ := fl.slow.phase(arrived); slow {
			wait += fl.slowBy + n.jitter(fl.slowBy/2)
		}
		if !n.sleep(wait, r, s) {
			abandon()
		}
		n.route(w, r, fl, n.fleet.clock.Now())
	})
}

const (
	textType = "text/plain; charset=utf-8"
	jsonType = "application/json"
)

func (n *Node) route(w http.ResponseWriter, r *http.Request, fl faults, now time.Time) {
	st := fl.view(n.fleet.model, now)
	host := n.Name + ".sim.invalid"
	switch r.URL.Path {
	case "/", "/health":
		code := http.StatusOK
		body := []byte("ok\n")
		if fl.status != 0 && fl.status != http.StatusOK {
			code = fl.status
			body = []byte(strconv.Itoa(code) + " " + http.StatusText(code) + "\n")
		}
		reply(w, r, code, textType, time.Time{}, body)
	case "/lastsync":
		body := fl.beacon
		if body == nil {
			body = strconv.AppendInt(nil, st.Beacon.Unix(), 10)
			body = append(body, '\n')
		}
		reply(w, r, http.StatusOK, textType, st.Beacon, body)
	case "/project/trace/master":
		reply(w, r, http.StatusOK, textType, st.Beacon, trace(st, host, n.mirror))
	case "/version.json":
		reply(w, r, http.StatusOK, jsonType, st.Beacon, versionJSON(st))
	case "/manifest":
		reply(w, r, http.StatusOK, textType, st.Beacon, st.Manifest)
	case "/Archive-Update-in-Progress", "/Archive-Update-in-Progress-" + host:
		if st.Syncing {
			reply(w, r, http.StatusOK, textType, time.Time{}, []byte(host+"\n"))
			return
		}
		notFound(w, r)
	default:
		notFound(w, r)
	}
}

func notFound(w http.ResponseWriter, r *http.Request) {
	reply(w, r, http.StatusNotFound, textType, time.Time{}, []byte("404 not found\n"))
}

// reply writes a complete small response with Content-Length, so clients
// can keep the connection alive.
func reply(w http.ResponseWriter, r *http.Request, code int, ctype string, modified time.Time, body []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if !modified.IsZero() {
		h.Set("Last-Modified", modified.UTC().Format(http.TimeFormat))
	}
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// holdWhileBlackholed waits while the node is blackholed; false means the
// request was abandoned (client gone, node down, fleet closed).
func (n *Node) holdWhileBlackholed(r *http.Request, s *server) bool {
	for {
		ch := n.holdChannel()
		if ch == nil {
			return true
		}
		select {
		case <-ch:
		case <-r.Context().Done():
			return false
		case <-s.stopped:
			return false
		}
	}
}

// sleep waits d on the fleet's clock; false means the request was abandoned.
func (n *Node) sleep(d time.Duration, r *http.Request, s *server) bool {
	if d <= 0 {
		return true
	}
	t := n.fleet.clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.Chan():
		return true
	case <-r.Context().Done():
		return false
	case <-s.stopped:
		return false
	}
}

// abandon ends a held request without an answer: returning normally would
// send an empty 200.
func abandon() { panic(http.ErrAbortHandler) }

// resetConnection drops the connection with a TCP RST, as a crashing or
// overloaded server does.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	c, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}
