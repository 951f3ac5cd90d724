package room

import "time"

// StartWithin is how soon the playbook wants a decided action running: an
// action approved (or requested needing no approval) that has not started
// this long after is urgent.
const StartWithin = 3 * time.Minute

// followDecision keeps the open incident's decision clocks from the events
// as they apply, live and in replay alike, so a restart shows the same
// clocks. The rule:
//   - FirstCritical: the earliest raising among the critical alerts open
//     when the incident was declared (the one that led to it), else the
//     first critical alert raised while it is open;
//   - the decision: the first action a person set going since then: an
//     approval (only commanders approve), or a request that needed no
//     approval (a commander's, or an operator's the policy let through: the
//     room holds no other record of that decision). Requests that wait for
//     approval are decided by the approval; a rule's automatic run is no
//     person's decision;
//   - ActionStartedAt: the first action.started at or after the decision
//     (the decided action's own start, unless it never started).
func (st *state) followDecision(ev Event) {
	o := st.inc.open
	if o == nil {
		return
	}
	v := &o.view
	if ev.Kind == EvIncidentDeclared {
		if ev.Subject == v.ID {
			st.decisionsBefore(v, ev)
		}
		return
	}
	decide(v, ev)
}

// decide applies one event to the clocks.
func decide(v *IncidentView, ev Event) {
	switch ev.Kind {
	case EvAlertRaised:
		if v.FirstCritical.IsZero() && Severity(ev.Level) == Critical {
			v.FirstCritical = ev.At
		}
	case EvActionRequested, EvActionApproved:
		f := ev.ActionFacts()
		auto := ev.Kind == EvActionRequested && f.Request.Rule != "" && ev.Actor == "rule "+f.Request.Rule
		if v.DecidedAt.IsZero() && !auto && ev.Actor != "" {
			v.DecidedAt, v.DecidedBy, v.DecidedAction = ev.At, ev.Actor, f.ID
		}
	case EvActionStarted:
		if !v.DecidedAt.IsZero() && v.ActionStartedAt.IsZero() && !ev.At.Before(v.DecidedAt) {
			v.ActionStartedAt = ev.At
		}
	}
}

// decisionsBefore sets the clocks on declaring: the critical alerts open
// then, and the decisions people made between the first of them and the
// declaration (a failover made before anyone pressed declare).
func (st *state) decisionsBefore(v *IncidentView, declared Event) {
	for _, a := range st.alerts {
		if a.Severity == Critical && (v.FirstCritical.IsZero() || a.Raised.Before(v.FirstCritical)) {
			v.FirstCritical = a.Raised
		}
	}
	if v.FirstCritical.IsZero() {
		return
	}
	for _, e := range st.timeline {
		if e.Seq < declared.Seq && !e.At.Before(v.FirstCritical) && e.Kind != EvAlertRaised {
			decide(v, e)
		}
	}
}

// markUrgent flags the actions decided but not started within StartWithin;
// it runs every tick, as only time makes an action urgent.
func (st *state) markUrgent(now time.Time) {
	for _, a := range st.acts {
		urgent := a.view.State == ActionRequested && !now.Before(a.view.DecidedAt().Add(StartWithin))
		if urgent != a.view.Urgent {
			a.view.Urgent = urgent
			st.actionsChanged, st.dirty = true, true
		}
	}
}

// DecidedAt is when the action was decided: its approval, or its request
// when it needed none.
func (v ActionView) DecidedAt() time.Time {
	if !v.ApprovedAt.IsZero() {
		return v.ApprovedAt
	}
	return v.RequestedAt
}
