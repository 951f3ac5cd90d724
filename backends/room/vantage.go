package room

import (
	"fmt"
	"time"
)

// StatePartial: down from a minority of the vantages that count, up from
// the rest. Users elsewhere are still served, so it never proposes a
// failover; the tracker of one vantage never produces it.
const StatePartial State = "partial"

// VantageID names the place a room probes from: its node and region.
type VantageID struct{ Node, Region string }

// Verdict is one vantage's judgement of one mirror (or the origin), as
// its tracker last said; only changes cross the network.
type Verdict struct {
	Node, Region, Mirror, State, Reason string
	At                                  time.Time // when the vantage's state began
}

// VantageView is one vantage as the snapshot shows it. An isolated one
// sees every mirror and the origin down while another sees some of them
// answer: its own network is at fault, so its votes do not count.
type VantageView struct {
	Node, Region string
	Own          bool // this room's own probes
	Isolated     bool
	LastSeen     time.Time // its newest verdict (own: newest probe)
}

// Vote is one vantage's verdict on one mirror, with whether it counted.
type Vote struct {
	Node, Region string
	State        State
	Reason       string
	Counted      bool // known, and the vantage is not isolated
}

// ObserveVerdict queues a remote vantage's verdict. The room's own node's
// verdicts are ignored: its own probes are fresher. A verdict for a mirror
// not configured here (config skew between nodes) is dropped, as probes are.
func (r *Room) ObserveVerdict(v Verdict) error {
	if err := checkVerdict(v); err != nil {
		return err
	}
	r.inbox <- func() { r.st.observeVerdict(v, r.clock.Now()) }
	return nil
}

// ForgetVantage drops every verdict of node (its lease expired) and
// counts again without it.
func (r *Room) ForgetVantage(node string) {
	r.inbox <- func() { r.st.forgetVantage(node, r.clock.Now()) }
}

func checkVerdict(v Verdict) error {
	if v.Node == "" {
		return fmt.Errorf("verdict on mirror %q: no node named", v.Mirror)
	}
	switch State(v.State) {
	case StateUp, StateDegraded, StateDown, StateUnknown:
		return nil
	}
	return fmt.Errorf("verdict of node %q on mirror %q: state %q: want up, degraded, down or unknown", v.Node, v.Mirror, v.State)
}
