package room

import (
	"fmt"
	"time"
)

// flapID is the id of the alert a mirror raises while it flaps.
func flapID(name string) string { return "mirror-flapping/" + name }

// noteChange keeps the times of a mirror's recent state changes, from
// the journaled mirror.state events, so a restarted room counts the same.
func (st *state) noteChange(ev Event) {
	if st.flaps == nil {
		st.flaps = map[string][]time.Time{}
	}
	ts := append(st.flaps[ev.Subject], ev.At)
	st.flaps[ev.Subject] = ts[st.flapsBefore(ts, ev.At):]
}

// flapsBefore is how many of ts fell out of the window ending at now.
func (st *state) flapsBefore(ts []time.Time, now time.Time) int {
	from := now.Add(-st.cfg.Alerting.Flap().Window)
	n := 0
	for n < len(ts) && !ts[n].After(from) {
		n++
	}
	return n
}

// flapCount is how many state changes the mirror made in the window.
func (st *state) flapCount(name string, now time.Time) int {
	ts := st.flaps[name]
	return len(ts) - st.flapsBefore(ts, now)
}

// flapping reports whether the mirror flaps: more than changes: state
// changes within the window; once flapping, until at most half that many.
func (st *state) flapping(name string, now time.Time) bool {
	n, limit := st.flapCount(name, now), st.cfg.Alerting.Flap().Changes
	if _, on := st.alerts[flapID(name)]; on {
		return n > limit/2
	}
	return n > limit
}

// quietChange reports whether a state change of ms to `to` stays off the
// timeline: it is one more of a flapping mirror's (this change included).
// The active mirror's and the origin's going down or coming back always
// show.
func (st *state) quietChange(ms *mirrorState, from, to State, at time.Time) bool {
	if (ms.role == "active" || ms == st.origin) && (from == StateDown || to == StateDown) {
		return false
	}
	if _, on := st.alerts[flapID(ms.cfg.Name)]; on {
		return true
	}
	return st.flapCount(ms.cfg.Name, at)+1 > st.cfg.Alerting.Flap().Changes
}

// flapAlert raises or clears the mirror's flapping alert and reports
// whether it flaps now.
func (st *state) flapAlert(ms *mirrorState, state State, now time.Time) bool {
	name := ms.cfg.Name
	on := st.flapping(name, now)
	st.setAlert(now, flapID(name), on, Warning, name, fmt.Sprintf("%s flapping: %d changes in %s, now %s",
		name, st.flapCount(name, now), soakText(st.cfg.Alerting.Flap().Window), state))
	_, raised := st.alerts[flapID(name)]
	return raised
}
