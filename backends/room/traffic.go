package room

import (
	"fmt"
	"time"

	"warroom/backends/config"
	"warroom/backends/hosts"
	"warroom/backends/traffic"
)

// TrafficSample is one mirror's users' traffic over a reading interval,
// as an haproxy executor's backend counted it.
type TrafficSample = traffic.Sample

// TrafficView is what users got from a mirror in the latest interval.
type TrafficView struct {
	ReqRate  float64       // requests per second
	Share5xx float64       // share of answers that were 5xx; -1 unknown (no answers)
	Answers  int64         // answers the share is of; -1 unknown
	RespTime time.Duration // mean response time; -1 unknown
	Baseline time.Duration // its usual response time; 0 until known
	At       time.Time
	Err      string // why the figures are unknown (HAProxy unreadable)
	Errors   bool   // 5xx over thresholds.error_5xx for the sustain time
	Slow     bool   // response time over response_factor × baseline for the sustain time
}

// Traffic judging: a share needs this many answers in a reading to start
// or keep a 5xx breach (one error in three requests is no 33 %); the
// baseline is an EWMA over this many readings, trusted after baselineMin;
// slow also takes slowFloor over the baseline, so 2 ms against 1 ms is not slow.
const (
	MinAnswers  = 20
	baselineN   = 10
	baselineMin = 5
	slowFloor   = 20 * time.Millisecond
)

// trafficState is one mirror's traffic judgement, kept by the room.
type trafficState struct {
	last       *TrafficSample
	baseline   time.Duration
	baseSeen   int
	errs, slow hosts.Breach
	errsSince  time.Time // when the present 5xx breach began to count
	cached     *TrafficView
}

// observe takes a sample and moves the breaches. Unknown figures (HAProxy
// unreadable) neither start nor end one; an interval with too few answers
// or no requests ends it: nobody is measurably hurt.
func (t *trafficState) observe(s TrafficSample, th config.Thresholds) {
	t.last, t.cached = &s, nil
	if s.Err != "" {
		return
	}
	share := 0.0
	if s.Responses >= MinAnswers && s.Share5xx >= 0 {
		share = s.Share5xx
	}
	if on, changed := t.errs.Observe(s.At, share, hosts.Threshold{Limit: th.Error5xx, Sustain: th.Sustain}); on && changed {
		t.errsSince = s.At
	}
	ratio := 0.0
	if s.RespTime >= 0 && t.baseSeen >= baselineMin && s.RespTime > t.baseline+slowFloor {
		ratio = float64(s.RespTime) / float64(max(t.baseline, time.Millisecond))
	}
	t.slow.Observe(s.At, ratio, hosts.Threshold{Limit: th.ResponseFactor, Sustain: th.Sustain})
	// The baseline learns only from readings that are not over the limit,
	// so a slow spell does not become the new normal.
	if s.RespTime >= 0 && ratio <= th.ResponseFactor {
		t.learn(s.RespTime)
	}
}

func (t *trafficState) learn(rt time.Duration) {
	if t.baseSeen == 0 {
		t.baseline = rt
	} else {
		n := min(t.baseSeen+1, baselineN)
		t.baseline += (rt - t.baseline) / time.Duration(n)
	}
	t.baseSeen++
}

// Baseline is the usual response time, 0 until enough readings.
func (t *trafficState) Baseline() time.Duration {
	if t.baseSeen < baselineMin {
		return 0
	}
	return t.baseline
}

func (t *trafficState) view() *TrafficView {
	if t.last == nil {
		return nil
	}
	if t.cached == nil {
		s := t.last
		t.cached = &TrafficView{ReqRate: s.ReqRate, Share5xx: s.Share5xx, Answers: s.Responses, RespTime: s.RespTime,
			Baseline: t.Baseline(), At: s.At, Err: s.Err, Errors: t.errs.Active(), Slow: t.slow.Active()}
	}
	return t.cached
}

// ObserveTraffic queues users' traffic per mirror (from an haproxy
// executor's backend). Samples for mirrors not configured are ignored.
func (r *Room) ObserveTraffic(samples []TrafficSample) {
	r.inbox <- func() { r.st.observeTraffic(samples) }
}

func (st *state) observeTraffic(samples []TrafficSample) {
	var last time.Time
	for _, s := range samples {
		ms, ok := st.byName[s.Mirror]
		if !ok || ms == st.origin {
			continue
		}
		s.Err = ms.clean.Line(s.Err)
		prev := ms.state()
		ms.traffic.observe(s, st.cfg.Thresholds)
		ms.invalidate()
		st.dirty = true
		if ms.state() != prev {
			st.transition(ms, prev, s.At)
		}
		st.mirrorAlerts(ms, s.At)
		st.trafficAlerts(ms, s.At)
		last = s.At
	}
	if !last.IsZero() {
		st.evalRules(last)
	}
}

// trafficAlerts raises mirror-5xx and mirror-slow from the breaches; the
// active mirror's 5xx is critical: it is the one users are sent to.
func (st *state) trafficAlerts(ms *mirrorState, now time.Time) {
	t, name, th := &ms.traffic, ms.cfg.Name, st.cfg.Thresholds
	sev := Warning
	if ms.role == "active" {
		sev = Critical
	}
	st.setAlert(now, "mirror-5xx/"+name, t.errs.Active(), sev, name,
		fmt.Sprintf("%s: %s (over %s for %s)", name, t.errorsText(), pct(th.Error5xx), th.Sustain))
	st.setAlert(now, "mirror-slow/"+name, t.slow.Active(), Warning, name,
		fmt.Sprintf("%s: %s (over %.1f× for %s)", name, t.slowText(), th.ResponseFactor, th.Sustain))
}

func (t *trafficState) errorsText() string {
	s := t.last
	if s == nil || s.Share5xx < 0 {
		return "users get 5xx answers"
	}
	return fmt.Sprintf("users get %s 5xx answers (%d of %d in %s)", pct(s.Share5xx), s.Errors5xx, s.Responses, s.Interval.Round(time.Second))
}

func (t *trafficState) slowText() string {
	s := t.last
	if s == nil || s.RespTime < 0 || t.baseline <= 0 {
		return "users wait longer than usual"
	}
	return fmt.Sprintf("users wait %s, %.1f× the usual %s", s.RespTime.Round(time.Millisecond),
		float64(s.RespTime)/float64(t.baseline), t.baseline.Round(time.Millisecond))
}

func pct(share float64) string { return fmt.Sprintf("%.0f %%", share*100) }

// byTraffic makes a mirror that probes up but serves 5xx to its users
// degraded, saying so: its probes alone would call it up.
func (ms *mirrorState) byTraffic(q quorum) quorum {
	if q.state != StateUp || !ms.traffic.errs.Active() {
		return q
	}
	q.state, q.reason = StateDegraded, ms.traffic.errorsText()
	q.since, q.onset = ms.traffic.errsSince, ms.traffic.errsSince
	return q
}

// degradedByTraffic: its degraded state is only its users' 5xx, which the
// mirror-5xx alert already stands for.
func (ms *mirrorState) degradedByTraffic() bool {
	return ms.traffic.errs.Active() && ms.probeVerdict().state == StateUp
}
