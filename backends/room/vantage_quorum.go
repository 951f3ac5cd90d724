package room

import (
	"fmt"
	"strings"
	"time"
)

// quorum is a mirror's state judged over every vantage that counts; nil
// while the room is the only vantage (then its tracker's state stands).
type quorum struct {
	state        State
	since, onset time.Time
	reason       string
	votes        []Vote   // in the order of the snapshot's vantages
	downFrom     []string // the regions (or nodes) that see it down
	// discounted: this room's own measures (error rate, flapping) say more
	// about its own network than about the mirror: its vantage is isolated,
	// or it sees the mirror down while the quorum does not.
	discounted bool
}

// state is the mirror's state: the quorum's when there is one, else its
// tracker's, made degraded by its users' 5xx (traffic.go). verdict is all
// of it (since when, why, the first sign).
func (ms *mirrorState) state() State {
	s := ms.tracker.State()
	if ms.q != nil {
		s = ms.q.state
	}
	if s == StateUp && ms.traffic.errs.Active() {
		return StateDegraded
	}
	return s
}

func (ms *mirrorState) verdict() quorum { return ms.byTraffic(ms.probeVerdict()) }

// probeVerdict is the verdict of the probes alone.
func (ms *mirrorState) probeVerdict() quorum {
	if ms.q != nil {
		return *ms.q
	}
	t := ms.tracker
	return quorum{state: t.State(), since: t.Since(), reason: t.Reason(), onset: t.Onset()}
}

// discounted: see quorum.discounted.
func (ms *mirrorState) discounted() bool { return ms.q != nil && ms.q.discounted }

// judge sets the mirror's quorum from the vantages' latest verdicts. Down
// takes a majority of the vantages that count; a minority seeing it down
// makes it partial, which never proposes a failover: people elsewhere are
// still served, and a region's own network fault looks exactly like this.
func (st *state) judge(ms *mirrorState, at time.Time) {
	if !st.vant.active() {
		ms.q = nil
		return
	}
	q := &quorum{votes: make([]Vote, 0, len(st.vant.list))}
	down, bad := -1, -1 // the votes whose reasons are shown, the own first
	counted, downs := 0, 0
	var onset time.Time
	for _, v := range st.vant.list {
		vote, began := st.voteOf(v, ms)
		q.votes = append(q.votes, vote)
		if !vote.Counted {
			continue
		}
		counted++
		own := v == st.vant.own
		switch vote.State {
		case StateDown:
			downs++
			q.downFrom = appendNew(q.downFrom, vantageLabel(v.id))
			onset = earliest(onset, began)
			if down < 0 || own {
				down = len(q.votes) - 1
			}
		case StateDegraded:
			if bad < 0 || own {
				bad = len(q.votes) - 1
			}
		}
	}
	switch {
	case counted == 0:
		q.state = StateUnknown
	case downs*2 > counted:
		q.state, q.reason = StateDown, quorumReason(downs, counted, q.votes[down].Reason)
	case downs > 0:
		q.state = StatePartial
		q.reason = joinReason("down from "+strings.Join(q.downFrom, ", "), q.votes[down].Reason)
	case bad >= 0:
		b := q.votes[bad]
		q.state, q.reason = StateDegraded, b.Reason
		if st.vant.list[bad] != st.vant.own {
			q.reason = joinReason("seen from "+vantageLabel(st.vant.list[bad].id), b.Reason)
		}
	default:
		q.state = StateUp
	}
	was := ms.verdict()
	q.since, q.onset = was.since, was.onset
	if q.state != was.state {
		q.since, q.onset = at, earliest(onset, at)
	}
	own := st.vant.own
	q.discounted = own.isolated || (ms.tracker.State() == StateDown && q.state != StateDown)
	ms.q = q
}

// voteOf is vantage v's verdict on ms and when it began.
func (st *state) voteOf(v *vantage, ms *mirrorState) (Vote, time.Time) {
	vote := Vote{Node: v.id.Node, Region: v.id.Region, State: StateUnknown}
	var began time.Time
	if v == st.vant.own {
		vote.State, vote.Reason, began = ms.tracker.State(), ms.clean.Line(ms.tracker.Reason()), ms.tracker.Onset()
	} else if vd, ok := v.verdicts[ms.cfg.Name]; ok {
		vote.State, vote.Reason, began = State(vd.State), ms.clean.Line(vd.Reason), vd.At
	}
	vote.Counted = !v.isolated && vote.State != StateUnknown && vote.State != ""
	return vote, began
}

func quorumReason(downs, of int, why string) string {
	if downs == of {
		return joinReason(fmt.Sprintf("all %d regions agree", of), why)
	}
	return joinReason(fmt.Sprintf("%d of %d regions", downs, of), why)
}

// vantageLabel names a vantage by its region, else its node.
func vantageLabel(id VantageID) string {
	switch {
	case id.Region != "":
		return id.Region
	case id.Node != "":
		return id.Node
	}
	return "this node"
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// earliest is the earlier of two times, a zero one not counting.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}
