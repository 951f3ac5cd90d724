package sim

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// routerTraffic is what a server's users got: the requests the router
// forwarded, plus a modelled load (RouterServer.Users), as HAProxy's
// show stat counts them. Guarded by Router.mu.
type routerTraffic struct {
	users    float64       // modelled requests per second
	share5xx float64       // of the modelled ones, answered 5xx
	rtime    time.Duration // modelled response time
	start    time.Time     // the model counts from here
	req      int64         // forwarded requests
	resp     [6]int64      // their answers by class: 1xx … 5xx, other
	rtimeMS  float64       // forwarded requests' mean time, moving
}

// counters are the cumulative figures at now: forwarded plus modelled.
func (t *routerTraffic) counters(now time.Time) (req int64, resp [6]int64, rtimeMS int64) {
	req, resp, rtimeMS = t.req, t.resp, int64(t.rtimeMS+0.5)
	if t.users <= 0 {
		return req, resp, rtimeMS
	}
	n := int64(t.users * now.Sub(t.start).Seconds())
	bad := int64(float64(n) * t.share5xx)
	req += n
	resp[1] += n - bad
	resp[4] += bad
	return req, resp, t.rtime.Milliseconds()
}

// record counts one forwarded request's answer.
func (t *routerTraffic) record(status int, took time.Duration) {
	t.req++
	class := status / 100
	if class < 1 || class > 5 {
		class = 6
	}
	t.resp[class-1]++
	// HAProxy's rtime is a mean over the last 1024 requests; a moving mean is close.
	ms := float64(took) / float64(time.Millisecond)
	n := float64(min(t.req, 1024))
	t.rtimeMS += (ms - t.rtimeMS) / n
}

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets the proxy reach the writer's flusher.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// statColumns is a subset of HAProxy 2.6's show stat columns, in its
// order: what a reader finds by name.
const statColumns = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,\n"

// showStat answers `show stat [<backend> [<type> <sid>]]` with the
// backend's server lines (type 2) and its own line (type 1).
func (r *Router) showStat(backend string) string {
	if backend != "" && backend != r.backend && backend != "-1" {
		return "No such proxy.\n"
	}
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	b.WriteString(statColumns)
	var sumReq int64
	var sumResp [6]int64
	for i, s := range r.servers {
		req, resp, rt := s.traffic.counters(now)
		sumReq += req
		for c := range resp {
			sumResp[c] += resp[c]
		}
		status := "UP"
		switch {
		case s.admin&rtFMaint != 0:
			status = "MAINT"
		case s.admin&rtFDrain != 0:
			status = "DRAIN"
		}
		b.WriteString(statLine(r.backend, s.name, status, s.uweight, 2, i+1, req, resp, rt))
	}
	b.WriteString(statLine(r.backend, "BACKEND", "UP", 0, 1, 0, sumReq, sumResp, 0))
	return b.String()
}

func statLine(px, sv, status string, weight, typ, sid int, req int64, resp [6]int64, rtime int64) string {
	return fmt.Sprintf("%s,%s,0,0,0,0,,%d,0,0,,0,,0,0,0,0,%s,%d,1,0,0,0,0,0,,1,2,%d,,%d,,%d,0,,0,,,,%d,%d,%d,%d,%d,%d,,0,0,%d,0,0,,,,,0,,,0,0,%d,0,\n",
		px, sv, req, status, weight, sid, req, typ, resp[0], resp[1], resp[2], resp[3], resp[4], resp[5], req, rtime)
}
