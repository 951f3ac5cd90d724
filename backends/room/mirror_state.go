package room

import (
	"fmt"
	"math"
	"strings"
	"time"

	"warroom/backends/config"
	"warroom/backends/mirrors"
	"warroom/backends/textsafe"
)

// mirrorState is the room's record of one mirror (or the origin).
type mirrorState struct {
	cfg     config.Mirror
	role    string // active | backup | origin: where traffic goes now
	th      config.Thresholds
	tracker *mirrors.Tracker
	last    mirrors.Observation
	sync    mirrors.SyncInfo // last sync info read while the mirror answered
	pos     mirrors.Position
	lagHist *ring
	cached  *MirrorView
	catch   catchUpState // lag and serial trail for the forecast and the detail view; see catchup_state.go // nil when something changed since the last snapshot
	// readySince: since when the mirror has been healthy and caught up
	// without a break (zero when not): failback waits for a settle period.
	readySince time.Time
	driftFrom  time.Time // the probe that first showed the present drift; zero when none
	// driftPending: drift seen by sync time, waiting for the origin's next reading.
	driftPending bool
	clean        textsafe.Cleaner // a mirror's answers are outside text
	q            *quorum          // judged over several vantages; see vantage_quorum.go
	traffic      trafficState     // its users' traffic, where an haproxy executor counts it
	idx          int              // in state.mirrors; -1 for the origin
	views        *viewQueue       // where a changed view is queued; see mirror_views.go
}

func newMirrorState(m config.Mirror, cfg *config.Config, history int) *mirrorState {
	return &mirrorState{
		cfg:     m,
		role:    m.Role,
		th:      cfg.Thresholds,
		tracker: mirrors.NewTracker(m.Health, cfg.Thresholds),
		lagHist: newRing(history),
		catch:   newCatchUpState(history),
		clean:   textsafe.New(cfg.Mask),
		idx:     -1,
	}
}

func (st *state) observeProbe(o mirrors.Observation) {
	ms, ok := st.byName[o.Mirror]
	if !ok {
		return // a result for a mirror no longer configured
	}
	prev, prevWhy := ms.state(), ms.tracker.Reason()
	changed := ms.tracker.Observe(o)
	st.vant.ownDirty = st.vant.ownDirty || changed || ms.tracker.Reason() != prevWhy
	if o.Start.After(st.vant.own.seen) {
		st.vant.own.seen = o.Start
	}
	if st.vant.active() {
		st.judge(ms, o.Start)
	}
	ms.last = o
	if o.OK() {
		ms.sync = o.Sync
	}
	st.dirty = true
	if ms == st.origin {
		if o.OK() && o.Sync.Err == "" {
			st.originHist.Add(o.Sync)
			ms.catch.cadence = st.originHist.Cadence()
		}
		// The origin moved: every mirror's distance to it changed.
		for _, m := range st.mirrors {
			st.place(m)
			m.invalidate()
			st.mirrorAlerts(m, o.Start)
			m.judgeReady(o.Start, st.cfg.Thresholds.LagWarning)
		}
	} else {
		st.place(ms)
		lag := math.NaN()
		if ms.pos.LagKnown {
			lag = ms.pos.Lag.Seconds()
		}
		ms.lagHist.push(lag)
		st.trail(ms, o.Start, lag)
	}
	ms.invalidate()
	ms.judgeReady(o.Start, st.cfg.Thresholds.LagWarning)
	if ms.state() != prev {
		st.transition(ms, prev, o.Start)
	}
	if changed {
		st.ownMoved(o.Start)
	}
	st.mirrorAlerts(ms, o.Start)
	for _, a := range st.acts {
		if a.watch[ms.cfg.Name] {
			st.checkWatch(a, o.Start)
		}
	}
	st.evalRules(o.Start)
}

// place compares the mirror with the origin. Drift found by sync time alone
// (no serial) stands only once the origin has been read again after the
// probe that first showed it: until then the origin's next cycle, not read
// yet, may be what a syncing mirror already holds.
func (st *state) place(ms *mirrorState) {
	ms.pos = mirrors.Compare(st.origin.sync, st.originHist, ms.sync)
	ms.catch.reference = mirrors.Reference(st.origin.sync, st.originHist, ms.sync)
	ms.driftPending = false
	if !ms.pos.Drift {
		ms.driftFrom = time.Time{}
		return
	}
	if ms.driftFrom.IsZero() {
		ms.driftFrom = ms.last.Start
	}
	if ms.sync.Serial <= 0 && !st.origin.last.Start.After(ms.driftFrom) {
		ms.pos.Drift, ms.driftPending = false, true // no alarm yet, but no advice to move traffic there either
	}
}

// setRole moves the active marker; alerts follow at the next probe.
func (ms *mirrorState) setRole(role string) {
	ms.role = role
	ms.invalidate()
}

// transition records a state change as an event, unless it only repeats
// what the journal already says (a restart finding a mirror still up).
func (st *state) transition(ms *mirrorState, prev State, at time.Time) {
	vd := ms.verdict()
	to, why := vd.state, vd.reason
	name := ms.cfg.Name
	last, known := st.lastState[name]
	if prev == StateUnknown && ((!known && to == StateUp) || (known && last == to)) {
		st.lastState[name] = to
		return
	}
	text := fmt.Sprintf("%s %s", name, to)
	switch {
	case to == StateUp && (prev == StateDown || last == StateDown):
		text = fmt.Sprintf("%s back up", name)
	case to == StateUp && prev == StatePartial:
		text = fmt.Sprintf("%s answers from every region again", name)
	case to == StateUp:
		text = fmt.Sprintf("%s healthy again", name)
	case to == StateDegraded && prev == StateDown:
		text = fmt.Sprintf("%s answers again but is degraded: %s", name, why)
	case to == StatePartial:
		text = fmt.Sprintf("%s %s", name, why) // "tokyo down from eu-west: …"
	case why != "":
		text = fmt.Sprintf("%s %s: %s", name, to, why)
	}
	from := prev
	if prev == StateUnknown && known {
		from = last
	}
	f := MirrorFacts{From: from, To: to, Reason: why, Quiet: st.quietChange(ms, from, to, at)}
	if to != StateUp {
		// The verdict comes FailAfter probes after the first sign; the
		// report counts detection from the sign.
		f.Since = vd.onset
	}
	if ms.q != nil {
		f.Votes = ms.q.votes // the evidence, per vantage
	}
	st.record(Event{At: at, Kind: EvMirrorState, Subject: name, Level: string(to), Text: text, Fields: f.Fields()})
}

// MirrorOnset is the first sign of what a mirror.state event reports (the
// first failed probe of the streak that took the mirror down, say): its
// since field, else (journals written before it) the event's own time.
func MirrorOnset(ev Event) time.Time {
	t := ev.MirrorFacts().Since
	if t.IsZero() || t.After(ev.At) {
		return ev.At
	}
	return t
}

// mirrorAlerts keeps the mirror's alerts in line with its latest state.
// Nothing is decided while the mirror has not been judged yet.
func (st *state) mirrorAlerts(ms *mirrorState, now time.Time) {
	vd := ms.verdict()
	state, why := vd.state, vd.reason
	if state == StateUnknown {
		return
	}
	name, th := ms.cfg.Name, ms.th
	downSev := Warning
	if ms.role == "active" || ms == st.origin {
		downSev = Critical
	}
	// A flapping mirror's flapping alert stands for its ups and downs,
	// except the active mirror's or the origin's going down.
	flaps := st.flapAlert(ms, state, now)
	st.setAlert(now, "mirror-down/"+name, state == StateDown && (!flaps || downSev == Critical), downSev, name,
		fmt.Sprintf("%s down: %s", name, why))
	st.setAlert(now, "mirror-degraded/"+name, state == StateDegraded && !flaps && !ms.degradedByTraffic(), Warning, name,
		fmt.Sprintf("%s degraded: %s", name, why))
	st.setAlert(now, "mirror-partial/"+name, state == StatePartial && !flaps, Warning, name,
		fmt.Sprintf("%s %s", name, why))
	if ms == st.origin {
		return
	}
	// Lag warns at lag_warning and, once warned of, clears below lag_clear.
	lagSev, lagOn := Warning, false
	lagFrom := th.LagWarning
	if _, warned := st.alerts["mirror-lag/"+name]; warned || st.holds["mirror-lag/"+name] != nil {
		lagFrom = th.LagClearAt()
	}
	if ms.pos.LagKnown && ms.pos.Lag >= lagFrom {
		lagOn = true
		if ms.pos.Lag >= th.LagCritical {
			lagSev = Critical
		}
	}
	st.setAlert(now, "mirror-lag/"+name, lagOn, lagSev, name, lagText(name, ms.pos))
	st.setAlert(now, "mirror-drift/"+name, ms.pos.Drift, Critical, name, driftText(name, ms.sync))
	st.setAlert(now, "sync-error/"+name, ms.sync.Err != "" && state != StateDown, Warning, name,
		fmt.Sprintf("%s: lag unknown: %s", name, strings.TrimPrefix(ms.sync.Err, fmt.Sprintf("mirror %q: ", name))))
	exp := ms.last.TLSExpiry
	left := exp.Sub(now)
	tlsSev := Warning
	if left <= 0 {
		tlsSev = Critical
	}
	st.setAlert(now, "tls-expiry/"+name, !exp.IsZero() && left < th.TLSExpiryWarning, tlsSev, name,
		fmt.Sprintf("%s TLS certificate expires %s", name, exp.UTC().Format("2006-01-02")))
}

func driftText(name string, s mirrors.SyncInfo) string {
	if s.Serial > 0 {
		return fmt.Sprintf("%s serves content that differs from the origin at serial %d", name, s.Serial)
	}
	return fmt.Sprintf("%s serves content that differs from the origin's of %s", name, s.Beacon.UTC().Format("2006-01-02 15:04:05 UTC"))
}

func lagText(name string, p mirrors.Position) string {
	s := fmt.Sprintf("%s is %s behind the origin", name, p.Lag.Round(time.Second))
	if p.SerialKnown && p.SerialsBehind > 0 {
		s += fmt.Sprintf(" (%d serials)", p.SerialsBehind)
	}
	return s
}

// view returns the mirror's immutable view, building it only after a change.
func (ms *mirrorState) view() *MirrorView {
	if ms.cached != nil {
		return ms.cached
	}
	t, o, vd := ms.tracker, ms.last, ms.verdict()
	v := &MirrorView{
		Name: ms.cfg.Name, Region: ms.cfg.Region, Role: ms.role, Priority: ms.cfg.Priority,
		State: vd.state, Since: vd.since, Reason: ms.clean.Line(vd.reason),
		Status: o.Status, Latency: o.Latency, Baseline: t.Baseline(), ErrorRate: t.ErrorRate(),
		LastProbe: o.Start, TLSExpiry: o.TLSExpiry, LatencyHistory: t.LatencyHistory(),
		Lag: ms.pos.Lag, LagKnown: ms.pos.LagKnown,
		SerialsBehind: ms.pos.SerialsBehind, SerialKnown: ms.pos.SerialKnown,
		Serial: ms.sync.Serial, Version: ms.sync.Version, Syncing: ms.sync.Syncing,
		Drift: ms.pos.Drift, SyncErr: ms.clean.Line(ms.sync.Err), LagHistory: ms.lagHist.values(),
	}
	v.DriftPending = ms.driftPending
	ms.catch.fill(v, ms.sync.Manifest)
	v.StreakN, v.StreakOf, v.StreakFailing = t.Streak()
	if ms.q != nil {
		v.Votes, v.DownFrom = ms.q.votes, ms.q.downFrom
	}
	// Failures only this vantage sees are its network's, not the mirror's.
	if on, why := t.Flapping(); on && !ms.discounted() {
		v.Flapping = why
	}
	if on, why := t.OverErrorRate(); on && !ms.discounted() {
		v.ErrorsHigh = why
	}
	v.URL = config.Redact(ms.cfg.URL) // a ?token= must not reach a screen
	v.Host = ms.cfg.Host
	v.Traffic = ms.traffic.view()
	ms.cached = v
	return v
}
