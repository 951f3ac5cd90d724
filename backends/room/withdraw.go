package room

import (
	"fmt"
	"sort"
	"time"
)

// supersededBy withdraws the open proposals a person's request takes the
// place of, saying who acted ("rule active-down: proposal withdrawn: ana
// failed over tokyo → nagoya by hand"), so nobody wonders where the
// proposal went. A request that confirms the proposal withdraws nothing:
// it is the proposal going ahead.
func (st *state) supersededBy(req Request, actor string, now time.Time) []Event {
	rules := make([]string, 0, len(st.proposals))
	for rule := range st.proposals {
		rules = append(rules, rule)
	}
	sort.Strings(rules)
	var out []Event
	for _, rule := range rules {
		p := st.proposals[rule]
		if p.Request.Kind != req.Kind || lockKey(p.Request) != lockKey(req) || req.Rule == rule {
			continue
		}
		out = append(out, Event{At: now, Kind: EvActionDismissed, Subject: subjectOf(p.Request), Actor: actor, Level: "info",
			Text:   fmt.Sprintf("rule %s: proposal withdrawn: %s %s by hand", rule, actor, didWhat(req)),
			Fields: ActionFacts{Request: Request{Rule: rule}}.Fields()})
	}
	return out
}

// didWhat is a request in the past tense: "failed over tokyo → nagoya".
func didWhat(r Request) string {
	switch r.Kind {
	case Failover:
		return fmt.Sprintf("failed over %s → %s", r.From, r.To)
	case Failback:
		return fmt.Sprintf("failed back %s → %s", r.From, r.To)
	case Rollback:
		return fmt.Sprintf("rolled back %s to %s", r.Target, r.Version)
	}
	return "ran " + r.String()
}
