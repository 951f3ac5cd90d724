package room

import (
	"fmt"
	"strings"
	"time"

	"warroom/backends/config"
)

// evalRules turns conditions that held long enough into proposals. It runs
// after every probe result; it is a few comparisons per rule.
func (st *state) evalRules(now time.Time) {
	if st.refusal() != nil {
		return // only a leader with quorum proposes or runs anything
	}
	for _, rule := range st.cfg.Actions.Rules {
		subject, reason, since, on := st.condition(rule, now)
		if !on {
			delete(st.ruleSince, rule.Name)
			delete(st.setAside, rule.Name)
			if p, open := st.proposals[rule.Name]; open && p.Request.Kind != Rollback {
				st.record(Event{At: now, Kind: EvActionDismissed, Subject: p.Request.From, Level: "info",
					Text:   fmt.Sprintf("rule %s: condition cleared, proposal withdrawn", rule.Name),
					Fields: ActionFacts{Request: Request{Rule: rule.Name}}.Fields()})
			}
			continue
		}
		if p, open := st.proposals[rule.Name]; open && !st.withdrawUnfit(p, now) {
			continue
		}
		if st.setAside[rule.Name] || now.Sub(since) < rule.For {
			continue
		}
		req, ok := st.proposalFor(rule, subject)
		if !ok {
			continue
		}
		if _, busy := st.running[lockKey(req)]; busy {
			continue
		}
		if rule.Auto {
			st.autoRun(rule, req, reason, now)
			continue
		}
		st.record(Event{At: now, Kind: EvActionProposed, Subject: subjectOf(req), Level: "warning",
			Text:   fmt.Sprintf("rule %s proposes %s: %s", rule.Name, req.String(), reason),
			Fields: proposalFacts(rule.Name, req, reason)})
	}
}

// withdrawUnfit withdraws a failover proposal whose target is no longer fit
// to take the traffic (it drifted, went down, flaps or errs since), so the
// rule can propose a fit one. It reports whether it withdrew.
func (st *state) withdrawUnfit(p *Proposal, now time.Time) bool {
	to := st.byName[p.Request.To]
	if p.Request.Kind != Failover || to == nil {
		return false
	}
	why := Unfit(to.view())
	if len(why) == 0 {
		return false
	}
	st.record(Event{At: now, Kind: EvActionDismissed, Subject: p.Request.From, Level: "warning",
		Text:   fmt.Sprintf("rule %s: proposal withdrawn, %s is no longer fit: %s", p.Rule, p.Request.To, strings.Join(why, "; ")),
		Fields: ActionFacts{Request: Request{Rule: p.Rule}}.Fields()})
	return true
}

// condition reports whether a rule's condition holds now, on which active
// mirror, and since when.
func (st *state) condition(rule config.Rule, now time.Time) (subject, reason string, since time.Time, on bool) {
	for _, ms := range st.mirrors {
		// Down from a minority of regions never proposes: others are still
		// served, and the lag and errors seen here may be this region's.
		if ms.role != "active" || ms.state() == StatePartial {
			continue
		}
		switch rule.When {
		case config.WhenActiveDown:
			if vd := ms.verdict(); vd.state == StateDown {
				return ms.cfg.Name, fmt.Sprintf("active mirror %s down since %s", ms.cfg.Name, vd.since.Format("15:04:05")), vd.since, true
			}
		case config.WhenErrorRate:
			if r := ms.tracker.ErrorRate(); r > rule.Above && !ms.discounted() {
				return ms.cfg.Name, fmt.Sprintf("%s errors at %.0f %% (over %.0f %%)", ms.cfg.Name, r*100, rule.Above*100), st.heldSince(rule, now), true
			}
		case config.WhenLag:
			if ms.pos.LagKnown && ms.pos.Lag.Seconds() > rule.Above && !ms.discounted() {
				return ms.cfg.Name, fmt.Sprintf("active mirror %s is %s behind", ms.cfg.Name, ms.pos.Lag.Round(time.Second)), st.heldSince(rule, now), true
			}
		}
	}
	return "", "", time.Time{}, false
}

func (st *state) heldSince(rule config.Rule, now time.Time) time.Time {
	if t, ok := st.ruleSince[rule.Name]; ok {
		return t
	}
	st.ruleSince[rule.Name] = now
	return now
}

// proposalFor fills in a rule's request: a failover to the best candidate,
// or a rollback of the rule's target to its previous version.
func (st *state) proposalFor(rule config.Rule, subject string) (Request, bool) {
	if rule.Propose == Rollback {
		return Request{Kind: Rollback, Target: rule.Target, Rule: rule.Name}, true
	}
	views := make([]*MirrorView, len(st.mirrors))
	for i, ms := range st.mirrors {
		views[i] = ms.view()
	}
	// Only a fit mirror is proposed (or run by auto): none is better than
	// a drifted, down, flapping or erring one.
	best, ok := Best(Rank(&Snapshot{Mirrors: views}, subject))
	if !ok {
		return Request{}, false
	}
	return Request{Kind: Failover, From: subject, To: best.Mirror.Name, Rule: rule.Name}, true
}

// autoRun starts a rule's action without a person, as the rule allows.
func (st *state) autoRun(rule config.Rule, req Request, reason string, now time.Time) {
	ev, j, err := st.requestEvent(req, "rule "+rule.Name, now)
	if err != nil {
		st.record(Event{At: now, Kind: EvActionProposed, Subject: subjectOf(req), Level: "warning",
			Text:   fmt.Sprintf("rule %s could not run %s by itself: %v", rule.Name, req.String(), err),
			Fields: proposalFacts(rule.Name, req, reason)})
		return
	}
	ev.Text += " automatically: " + reason
	st.record(ev)
	st.attach(j)
	st.launches = append(st.launches, j)
}
