package actions

import (
	"context"
	"fmt"
)

// HAProxy's runtime API has no compare-and-set: the servers' states are
// read just before the change and must still be what the plan assumes,
// which narrows a concurrent change's window to the milliseconds between
// the read and the first `set server`.

// premise says what a failover assumes of the backend, in the words of
// the read-back evidence.
func (h *haproxyExec) premise(st haproxySteps) string {
	if h.mode == modeWeight {
		return fmt.Sprintf("%s READY with weight above 0, %s READY", st.from[1], st.to[1])
	}
	return fmt.Sprintf("%s READY, %s present", st.from[1], st.to[1])
}

// precheck reads the backend and refuses the change unless from still
// takes traffic (ready; in weight mode with a weight) and to can take it
// (present; in weight mode ready, as weights do not lift maintenance). It
// returns the error saying what it found; nothing has been changed then.
func (h *haproxyExec) precheck(ctx context.Context, st haproxySteps) error {
	s, err := h.api.servers(ctx, h.backend)
	if err != nil {
		return h.errorf("read the backend before the change: %v; nothing was changed", ctxErr(ctx, err))
	}
	var from, to *srvState
	for i := range s {
		switch s[i].Name {
		case st.from[1]:
			from = &s[i]
		case st.to[1]:
			to = &s[i]
		}
	}
	weights := h.mode == modeWeight
	var why string
	switch {
	case from == nil:
		why = fmt.Sprintf("server %q is not in backend %q", st.from[1], h.backend)
	case to == nil:
		why = fmt.Sprintf("server %q is not in backend %q", st.to[1], h.backend)
	case !from.ready() || (weights && from.UWeight == 0):
		why = fmt.Sprintf("%s is %s, not taking traffic as the plan's from (someone else changed the backend)", st.from[1], from.label(weights))
	case weights && !to.ready():
		why = fmt.Sprintf("%s is %s: weight mode cannot bring it back, so it would take no traffic", st.to[1], to.label(weights))
	default:
		return nil
	}
	return h.errorf("%s; want %s; nothing was changed (%s)", why, h.premise(st), h.evidence(s))
}
