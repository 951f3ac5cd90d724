package room

import (
	"strings"
	"time"
)

// service is whether users are served: every active mirror up, followed
// through failovers. It is derived from journaled events, so replay
// rebuilds it; the RTO is measured against it.
type service struct {
	down      bool
	downSince time.Time
	upSince   time.Time // when it last came back
	// impact holds the open down or degraded alerts raised on the serving
	// path (an active mirror or the origin), by id, with when.
	impact map[string]time.Time
}

// serviceUp is true when every active mirror's journaled state is up (a
// mirror never recorded otherwise is up). Degraded is not served well.
func (st *state) serviceUp() bool {
	for _, ms := range st.mirrors {
		if s, ok := st.lastState[ms.cfg.Name]; ms.role == "active" && ok && s != StateUp {
			return false
		}
	}
	return true
}

// followService updates the service record and the open incident's
// restoration after an applied event.
func (st *state) followService(ev Event) {
	svc := &st.inc.svc
	switch ev.Kind {
	case EvAlertRaised:
		id := ev.AlertFacts().Alert
		_, seen := svc.impact[id]
		ms := st.byName[ev.Subject]
		outage := strings.HasPrefix(id, "mirror-down/") || strings.HasPrefix(id, "mirror-degraded/")
		if !seen && outage && ms != nil && (ms.role == "active" || ms == st.origin) {
			svc.impact[id] = ev.At
		}
		return
	case EvAlertCleared:
		delete(svc.impact, ev.AlertFacts().Alert)
		return
	case EvMirrorState, EvActionSucceeded, EvIncidentDeclared, EvIncidentStatus:
	default:
		return
	}
	up := st.serviceUp()
	switch {
	case !up && !svc.down:
		svc.down, svc.downSince = true, ev.At
	case up && svc.down:
		svc.down, svc.upSince = false, ev.At
	}
	o := st.inc.open
	if o == nil {
		return
	}
	v := &o.view
	switch {
	case svc.down:
		o.outage, v.Restored = true, time.Time{}
	case v.Restored.IsZero() && (o.outage || indexOf(Statuses(), v.Status) >= indexOf(Statuses(), StatusMitigated)):
		v.Restored = ev.At
	}
}
