package traffic

import "time"

// Sample is one server's traffic between two readings of its counters.
type Sample struct {
	Mirror    string        // the mirror the server stands for
	At        time.Time     // the later reading
	Interval  time.Duration // since the earlier one
	Requests  int64         // requests in the interval
	ReqRate   float64       // requests per second
	Responses int64         // HTTP responses in the interval, every class; -1 unknown (TCP mode)
	Errors5xx int64         // 5xx responses among them
	Share5xx  float64       // Errors5xx / Responses; -1 when there were none
	RespTime  time.Duration // HAProxy's rtime (mean of the last 1024); -1 when no request came
	Err       string        // why there are no figures (then every figure is unknown)
}

// Unknown is a sample that says only why nothing was measured.
func Unknown(mirror string, at time.Time, why string) Sample {
	return Sample{Mirror: mirror, At: at, Responses: -1, Share5xx: -1, RespTime: -1, Err: why}
}

type reading struct {
	at time.Time
	s  ServerStat
}

// Meter turns successive counter readings into per-interval samples. It is
// not safe for concurrent use.
type Meter struct {
	prev map[string]reading // by server
}

// Observe takes one reading and returns a sample for each server that was
// also in the previous one; mirror maps a server to its mirror ("" skips
// the server). A counter that went down (HAProxy restarted or reloaded)
// gives an unknown sample, and the next interval starts from the new value.
func (m *Meter) Observe(at time.Time, stats []ServerStat, mirror func(server string) string) []Sample {
	if m.prev == nil {
		m.prev = map[string]reading{}
	}
	var out []Sample
	for _, s := range stats {
		name := mirror(s.Server)
		if name == "" {
			continue
		}
		p, seen := m.prev[s.Server]
		m.prev[s.Server] = reading{at, s}
		if !seen {
			continue
		}
		out = append(out, delta(name, p, reading{at, s}))
	}
	return out
}

func delta(mirror string, p, c reading) Sample {
	dt := c.at.Sub(p.at)
	if dt <= 0 {
		return Unknown(mirror, c.at, "two readings at the same time")
	}
	dReq := c.s.Requests - p.s.Requests
	if c.s.Requests < 0 || p.s.Requests < 0 || dReq < 0 {
		return Unknown(mirror, c.at, "counters went back (HAProxy restarted or reloaded?): figures from the next reading")
	}
	out := Sample{Mirror: mirror, At: c.at, Interval: dt, Requests: dReq,
		ReqRate: float64(dReq) / dt.Seconds(), Responses: -1, Share5xx: -1, RespTime: -1}
	var resp int64
	for i := range c.s.Resp {
		if c.s.Resp[i] < 0 || p.s.Resp[i] < 0 || c.s.Resp[i] < p.s.Resp[i] {
			resp = -1
			break
		}
		resp += c.s.Resp[i] - p.s.Resp[i]
	}
	if resp >= 0 {
		out.Responses = resp
		out.Errors5xx = c.s.Resp[4] - p.s.Resp[4]
		if resp > 0 {
			out.Share5xx = float64(out.Errors5xx) / float64(resp)
		}
	}
	if dReq > 0 && c.s.RTimeMS >= 0 {
		out.RespTime = time.Duration(c.s.RTimeMS) * time.Millisecond
	}
	return out
}
