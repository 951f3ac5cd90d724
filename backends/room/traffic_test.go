package room

import (
	"strings"
	"testing"
	"time"

	"warroom/backends/mirrors"
)

// served is a 5 s reading of a mirror's users' traffic: answers of which
// bad are 5xx, at a mean response time rt.
func served(name string, at time.Time, answers, bad int64, rt time.Duration) TrafficSample {
	return TrafficSample{Mirror: name, At: at, Interval: 5 * time.Second, Requests: answers,
		ReqRate: float64(answers) / 5, Responses: answers, Errors5xx: bad,
		Share5xx: float64(bad) / float64(answers), RespTime: rt}
}

// upBoth probes tokyo and osaka up at at.
func (h *harness) upBoth(at time.Time) {
	for _, m := range []string{"tokyo", "osaka"} {
		h.r.ObserveProbe(ok(m, at, mirrors.SyncInfo{}))
	}
}

// A backup whose probes pass while 30 % of its users' answers are 5xx
// raises mirror-5xx once the share stayed over error_5xx for the sustain
// time (30s), and is degraded saying why, without a second degraded
// alert; the healthy mirror raises nothing; back under, both clear.
func TestUsers5xxRaiseAfterSustainAndDegradeAMirrorThatProbesFine(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	h.upBoth(t0)
	var s *Snapshot
	for i := 0; i <= 6; i++ {
		at := t0.Add(time.Duration(i) * 5 * time.Second)
		h.r.ObserveProbe(ok("osaka", at, mirrors.SyncInfo{}))
		h.r.ObserveTraffic([]TrafficSample{served("osaka", at, 100, 30, 40*time.Millisecond), served("tokyo", at, 400, 1, 30*time.Millisecond)})
		s = h.settle()
		if i < 6 && alertByID(s, "mirror-5xx/osaka") != nil {
			t.Fatalf("raised after %s, before the sustain time", time.Duration(i)*5*time.Second)
		}
	}
	a := alertByID(s, "mirror-5xx/osaka")
	if a == nil || a.Severity != Warning || !strings.Contains(a.Text, "osaka: users get 30 % 5xx answers (30 of 100 in 5s) (over 5 % for 30s)") {
		t.Fatalf("mirror-5xx/osaka = %+v", a)
	}
	o := mirrorView(s, "osaka")
	if o.State != StateDegraded || !strings.Contains(o.Reason, "users get 30 % 5xx") || o.Status != 200 {
		t.Errorf("osaka %s (%q), status %d: want degraded by its users' 5xx while probes pass", o.State, o.Reason, o.Status)
	}
	if tv := o.Traffic; tv == nil || !tv.Errors || tv.Share5xx != 0.3 || tv.ReqRate != 20 || tv.Answers != 100 {
		t.Errorf("osaka traffic = %+v", tv)
	}
	if alertByID(s, "mirror-degraded/osaka") != nil {
		t.Error("a mirror degraded only by its users' 5xx gets mirror-5xx, not a second degraded alert")
	}
	if tk := mirrorView(s, "tokyo"); tk.State != StateUp || tk.Traffic.Errors || len(s.Alerts) != 1 {
		t.Errorf("tokyo %s, alerts %+v: the healthy mirror raises nothing", tk.State, s.Alerts)
	}
	var changed bool
	for _, e := range about(s, "osaka") {
		changed = changed || (e.Kind == EvMirrorState && e.MirrorFacts().To == StateDegraded && strings.Contains(e.Text, "5xx"))
	}
	if !changed {
		t.Errorf("the timeline must say osaka went degraded and why: %+v", about(s, "osaka"))
	}
	at := t0.Add(35 * time.Second)
	h.r.ObserveTraffic([]TrafficSample{served("osaka", at, 100, 1, 40*time.Millisecond)})
	s = h.settle()
	if alertByID(s, "mirror-5xx/osaka") != nil || mirrorView(s, "osaka").State != StateUp {
		t.Errorf("back under 5 %%: want cleared and up, got %s and %+v", mirrorView(s, "osaka").State, s.Alerts)
	}
}

// The active mirror is the one users are sent to: its 5xx is critical.
func TestActiveMirrors5xxIsCritical(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	h.upBoth(t0)
	for i := 0; i <= 6; i++ {
		h.r.ObserveTraffic([]TrafficSample{served("tokyo", t0.Add(time.Duration(i)*5*time.Second), 200, 40, 30*time.Millisecond)})
	}
	if a := alertByID(h.settle(), "mirror-5xx/tokyo"); a == nil || a.Severity != Critical {
		t.Fatalf("mirror-5xx/tokyo = %+v, want critical", a)
	}
}

// One error in three requests is not 33 %: a reading with fewer than
// MinAnswers answers neither raises nor keeps the alert; traffic moved
// away (a failover) clears it.
func TestFewAnswersRaiseNothing(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	h.upBoth(t0)
	for i := 0; i <= 12; i++ {
		h.r.ObserveTraffic([]TrafficSample{served("osaka", t0.Add(time.Duration(i)*5*time.Second), 3, 1, 30*time.Millisecond)})
	}
	s := h.settle()
	if len(s.Alerts) != 0 || mirrorView(s, "osaka").State != StateUp {
		t.Fatalf("1 of 3 for a minute: alerts %+v, osaka %s", s.Alerts, mirrorView(s, "osaka").State)
	}
	for i := 13; i <= 20; i++ {
		h.r.ObserveTraffic([]TrafficSample{served("osaka", t0.Add(time.Duration(i)*5*time.Second), 50, 20, 30*time.Millisecond)})
	}
	if alertByID(h.settle(), "mirror-5xx/osaka") == nil {
		t.Fatal("40 % of 50 for 35s must raise")
	}
	h.r.ObserveTraffic([]TrafficSample{{Mirror: "osaka", At: t0.Add(105 * time.Second), Interval: 5 * time.Second, Share5xx: -1, RespTime: -1}})
	if alertByID(h.settle(), "mirror-5xx/osaka") != nil {
		t.Error("no traffic left (failed over): nobody gets 5xx, the alert clears")
	}
}

// Response time is judged against the mirror's own baseline, learned from
// readings that were not slow: 2.5× for the sustain time raises
// mirror-slow and leaves the baseline where it was; 1.9× raises nothing.
func TestSlowAgainstItsOwnBaseline(t *testing.T) {
	run := func(t *testing.T, slow time.Duration, n int) *Snapshot {
		h := newHarness(t, &memJournal{}, nil)
		h.upBoth(t0)
		at := t0
		for i := range 8 + n {
			rt := 100 * time.Millisecond
			if i >= 8 {
				rt = slow
			}
			h.r.ObserveTraffic([]TrafficSample{served("osaka", at, 100, 0, rt)})
			at = at.Add(5 * time.Second)
		}
		return h.settle()
	}
	s := run(t, 250*time.Millisecond, 7)
	a := alertByID(s, "mirror-slow/osaka")
	if a == nil || !strings.Contains(a.Text, "osaka: users wait 250ms, 2.5× the usual 100ms (over 2.0× for 30s)") {
		t.Fatalf("mirror-slow/osaka = %+v", a)
	}
	tv := mirrorView(s, "osaka").Traffic
	if !tv.Slow || tv.Baseline != 100*time.Millisecond || tv.RespTime != 250*time.Millisecond {
		t.Errorf("traffic %+v: a slow spell must not move the baseline", tv)
	}
	if mirrorView(s, "osaka").State != StateUp {
		t.Error("slow answers alert; they do not make the mirror degraded")
	}
	if s := run(t, 190*time.Millisecond, 10); alertByID(s, "mirror-slow/osaka") != nil {
		t.Error("1.9× the baseline is not over response_factor 2.0")
	}
}

// HAProxy unreadable: the figures are unknown and say why (cleaned), and
// the alert in force stays until there are figures again.
func TestUnreadableTrafficHoldsAndSaysWhy(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	h.upBoth(t0)
	for i := 0; i <= 6; i++ {
		h.r.ObserveTraffic([]TrafficSample{served("osaka", t0.Add(time.Duration(i)*5*time.Second), 100, 50, 30*time.Millisecond)})
	}
	h.r.ObserveTraffic([]TrafficSample{{Mirror: "osaka", At: t0.Add(40 * time.Second), Share5xx: -1, RespTime: -1, Responses: -1,
		Err: "haproxy executor edge: connect: refused\x1b[31m"}})
	h.r.ObserveTraffic([]TrafficSample{served("nowhere", t0.Add(40*time.Second), 100, 100, 0)})
	s := h.settle()
	tv := mirrorView(s, "osaka").Traffic
	if tv.Err == "" || strings.ContainsRune(tv.Err, 0x1b) || !strings.Contains(tv.Err, "connect: refused") {
		t.Errorf("traffic error %q: want HAProxy's reason, cleaned", tv.Err)
	}
	if alertByID(s, "mirror-5xx/osaka") == nil {
		t.Error("an unreadable reading must not clear the alert")
	}
}
