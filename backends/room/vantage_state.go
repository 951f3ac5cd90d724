package room

import (
	"sort"
	"time"
)

// vantages are the places the fleet is seen from: this room's own probes
// and the verdicts of other nodes. While there is no other, the room is
// what it always was: each tracker's state is the mirror's state.
type vantages struct {
	own    *vantage
	remote map[string]*vantage // by node
	list   []*vantage          // own and remote, by region then node
	// ownDirty: an own verdict changed since the snapshot's Own was built.
	ownDirty bool
}

// vantage is one place probing from. Remote ones keep their verdicts and
// count them; the own one reads the trackers.
type vantage struct {
	id       VantageID
	verdicts map[string]Verdict // remote only, by mirror
	seen     time.Time
	isolated bool
	// down: verdicts saying down; answering: known and not down.
	down, answering int
}

func newVantages(id VantageID) vantages {
	own := &vantage{id: id}
	return vantages{own: own, remote: map[string]*vantage{}, list: []*vantage{own}}
}

// active: some other vantage reports, so mirror states are judged by quorum.
func (vs *vantages) active() bool { return len(vs.remote) > 0 }

func (vs *vantages) sortList() {
	vs.list = append(vs.list[:0], vs.own)
	for _, v := range vs.remote {
		vs.list = append(vs.list, v)
	}
	sort.Slice(vs.list, func(i, j int) bool {
		a, b := vs.list[i].id, vs.list[j].id
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.Node < b.Node
	})
}

func (st *state) observeVerdict(v Verdict, now time.Time) {
	ms, ok := st.byName[v.Mirror]
	if v.Node == st.vant.own.id.Node || !ok {
		return
	}
	vt := st.vant.remote[v.Node]
	fresh := vt == nil
	if fresh {
		vt = &vantage{id: VantageID{Node: v.Node}, verdicts: map[string]Verdict{}}
		st.vant.remote[v.Node] = vt
		st.countOwn() // not kept while alone
	}
	moved := fresh || vt.id.Region != v.Region
	if moved {
		vt.id.Region = v.Region
		st.vant.sortList()
	}
	if old, had := vt.verdicts[v.Mirror]; had {
		vt.tally(old, -1)
	}
	vt.verdicts[v.Mirror] = v
	vt.tally(v, +1)
	if v.At.After(vt.seen) {
		vt.seen = v.At
	}
	at := v.At
	if at.IsZero() || at.After(now) {
		at = now // a vantage's clock ahead of ours must not date our events
	}
	st.dirty = true
	// A new or moved vantage changes every mirror's votes; a new isolation, their count.
	if iso := st.isolation(); moved || iso {
		st.recount(at)
	} else {
		st.rejudge(ms, at)
	}
	st.evalRules(at)
}

func (st *state) forgetVantage(node string, now time.Time) {
	if _, ok := st.vant.remote[node]; !ok {
		return
	}
	delete(st.vant.remote, node)
	st.vant.sortList()
	st.isolation()
	st.dirty = true
	st.recount(now)
	st.evalRules(now)
}

// tally adds (n=+1) or removes (n=-1) a verdict from the vantage's counts.
func (v *vantage) tally(vd Verdict, n int) {
	switch State(vd.State) {
	case StateDown:
		v.down += n
	case StateUp, StateDegraded:
		v.answering += n
	}
}

// countOwn counts the own trackers' verdicts, after one of them changed.
func (st *state) countOwn() {
	o := st.vant.own
	o.down, o.answering = 0, 0
	for _, ms := range st.byName {
		switch ms.tracker.State() {
		case StateDown:
			o.down++
		case StateUp, StateDegraded:
			o.answering++
		}
	}
}

// isolation marks the vantages that see everything down (every mirror and
// the origin) while another sees something answer. It reports whether
// any mark changed; then every mirror must be judged again.
func (st *state) isolation() bool {
	all := len(st.byName)
	changed := false
	for _, v := range st.vant.list {
		iso := false
		if v.down == all {
			for _, o := range st.vant.list {
				iso = iso || (o != v && o.answering > 0)
			}
		}
		if iso != v.isolated {
			v.isolated, changed = iso, true
		}
	}
	return changed
}

// ownMoved follows a change of one of the own trackers: the own vantage
// may have become isolated, or stopped being so.
func (st *state) ownMoved(at time.Time) {
	st.vant.ownDirty = true
	if !st.vant.active() {
		return
	}
	st.countOwn()
	if st.isolation() {
		st.recount(at)
	}
}

// recount judges every mirror (and the origin) again.
func (st *state) recount(at time.Time) {
	for _, ms := range st.all() {
		st.rejudge(ms, at)
	}
}

// rejudge judges one mirror over the vantages and records what changed.
func (st *state) rejudge(ms *mirrorState, at time.Time) {
	prev := ms.state()
	st.judge(ms, at)
	ms.invalidate()
	if ms.state() != prev {
		st.transition(ms, prev, at)
		st.mirrorAlerts(ms, at)
	}
}

// vantageViews are the vantages for the snapshot; nil while alone.
func (st *state) vantageViews() []VantageView {
	if !st.vant.active() {
		return nil
	}
	out := make([]VantageView, len(st.vant.list))
	for i, v := range st.vant.list {
		out[i] = VantageView{Node: v.id.Node, Region: v.id.Region, Own: v == st.vant.own, Isolated: v.isolated, LastSeen: v.seen}
	}
	return out
}

// ownVerdicts are this room's verdicts on the origin and every mirror,
// for the node to publish; nil when the room names no vantage.
func (st *state) ownVerdicts(prev *Snapshot) []Verdict {
	id := st.vant.own.id
	if id.Node == "" {
		return nil
	}
	if prev != nil && !st.vant.ownDirty {
		return prev.Own
	}
	st.vant.ownDirty = false
	out := make([]Verdict, 0, len(st.mirrors)+1)
	for _, ms := range st.all() {
		t := ms.tracker
		out = append(out, Verdict{Node: id.Node, Region: id.Region, Mirror: ms.cfg.Name,
			State: string(t.State()), Reason: ms.clean.Line(t.Reason()), At: t.Since()})
	}
	return out
}

// reconcileMirrors, when this node takes the room over, records each
// mirror's state where the journal last said otherwise (the old leader saw
// it from elsewhere, or did not live to record a change) and sets its
// alerts to match: a replica records nothing until then.
func (st *state) reconcileMirrors(now time.Time) {
	for _, ms := range st.all() {
		s := ms.state()
		if s == StateUnknown {
			continue // its first verdict is recorded as it comes
		}
		if last, known := st.lastState[ms.cfg.Name]; !known || last != s {
			st.transition(ms, StateUnknown, now)
		}
		st.mirrorAlerts(ms, now)
	}
}

// all is the origin, then every mirror.
func (st *state) all() []*mirrorState {
	return append([]*mirrorState{st.origin}, st.mirrors...)
}
