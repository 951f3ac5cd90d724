package room

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// hold is an alert condition that differs from the alert as it stands,
// waiting out its kind's for: (to raise or strengthen) or keep_for: (to
// clear or weaken). Holds live in memory only: a restart starts them over,
// and the journal holds only what they decided.
type hold struct {
	since         time.Time // when the condition first differed
	on            bool      // the condition as last seen
	sev           Severity
	subject, text string
}

// alertKind is an alert id's kind: "mirror-lag" of "mirror-lag/tokyo".
func alertKind(id string) string {
	k, _, _ := strings.Cut(id, "/")
	return k
}

// hysteresis is the condition setAlert acts on: the one seen, once it has
// lasted its kind's for: (raising, or going up to critical) or keep_for:
// (clearing, or going down to warning); until then, the alert as it is.
func (st *state) hysteresis(now time.Time, id string, on bool, sev Severity, subject, text string) (bool, Severity, string) {
	a, active := st.alerts[id]
	var wait time.Duration
	switch {
	case on == active && (!on || a.Severity == sev):
		delete(st.holds, id) // nothing to change
		return on, sev, text
	case on && (!active || sev == Critical):
		wait = st.cfg.Alerting.Hold(alertKind(id)).For
	default: // off, or down from critical
		wait = st.cfg.Alerting.Hold(alertKind(id)).KeepFor
	}
	h := st.holds[id]
	if h == nil || h.on != on || h.sev != sev {
		h = &hold{since: now, on: on, sev: sev}
		if st.holds == nil {
			st.holds = map[string]*hold{}
		}
		st.holds[id] = h
	}
	h.subject, h.text = subject, text
	if now.Sub(h.since) >= wait {
		delete(st.holds, id)
		return on, sev, text
	}
	switch {
	case !active:
		return false, sev, text
	case !on:
		return true, a.Severity, a.Text // kept as it was
	}
	return true, a.Severity, text
}

// settleHolds acts on holds that have waited long enough, between the
// observations that would otherwise notice it.
func (st *state) settleHolds(now time.Time) {
	for _, id := range slices.Sorted(maps.Keys(st.holds)) {
		h := st.holds[id]
		st.setAlert(now, id, h.on, h.sev, h.subject, h.text)
	}
}
