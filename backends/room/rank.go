package room

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Candidate is a mirror traffic could move to, with what moving costs.
type Candidate struct {
	Mirror   *MirrorView
	RPO      time.Duration // data a switch loses: the candidate's lag; valid when RPOKnown
	RPOKnown bool
	// Unfit says why the mirror must never be recommended, proposed by a
	// rule or chosen by auto: it serves other content than the origin, is
	// down or not yet probed, flaps, or errs over the threshold. A person
	// may still choose it; the warnings begin with these reasons.
	Unfit []string
	// Warnings are reasons to think twice: the Unfit ones ("not
	// recommended: …") first, then staler than the failing mirror, same
	// region, not healthy.
	Warnings []string
}

// Fit reports whether the candidate may be recommended.
func (c Candidate) Fit() bool { return len(c.Unfit) == 0 }

// stateRank orders states for failover: healthy first.
// A mirror down from a minority of regions still serves the rest: it is
// ranked after the healthy and degraded ones, not left out, since in a
// wide outage it may be the best place traffic can go.
var stateRank = map[State]int{StateUp: 0, StateDegraded: 1, StatePartial: 2, StateUnknown: 3, StateDown: 4}

// Unfit lists why a mirror must not take traffic on anyone's advice: the
// one test behind the failover ranking, rules, auto and the failback offer.
func Unfit(m *MirrorView) []string {
	var out []string
	switch {
	case m.Drift:
		out = append(out, "serves content that differs from the origin")
	case m.DriftPending:
		out = append(out, "its content seems to differ from the origin's (confirming at the origin's next reading)")
	}
	switch m.State {
	case StateDown:
		out = append(out, joinReason(m.Name+" is down", m.Reason))
	case StateUnknown, "":
		out = append(out, m.Name+" has not been probed yet")
	}
	if m.Flapping != "" {
		out = append(out, m.Flapping)
	}
	if m.ErrorsHigh != "" {
		out = append(out, m.ErrorsHigh+", over the error threshold")
	}
	return out
}

func joinReason(what, why string) string {
	if why == "" {
		return what
	}
	return what + ": " + why
}

// Rank lists the mirrors traffic could move to from the mirror named from:
// fit first (see Unfit), then healthy, then by lag (the data a switch
// loses), latency and error rate. Mirrors already serving are left out.
func Rank(s *Snapshot, from string) []Candidate {
	if s == nil {
		return nil
	}
	var failing *MirrorView
	for _, m := range s.Mirrors {
		if m.Name == from {
			failing = m
		}
	}
	out := make([]Candidate, 0, len(s.Mirrors))
	for _, m := range s.Mirrors {
		if m.Name == from || m.Role == "active" {
			continue
		}
		c := Candidate{Mirror: m, RPO: m.Lag, RPOKnown: m.LagKnown, Unfit: Unfit(m)}
		for _, u := range c.Unfit {
			c.Warnings = append(c.Warnings, "not recommended: "+u)
		}
		switch m.State {
		case StateDegraded:
			c.Warnings = append(c.Warnings, m.Name+" is degraded") // its reason shows as its last error
		case StatePartial:
			c.Warnings = append(c.Warnings, fmt.Sprintf("%s is down from %s: users there cannot reach it",
				m.Name, strings.Join(m.DownFrom, ", ")))
		}
		if failing != nil {
			if m.LagKnown && failing.LagKnown && m.Lag > failing.Lag {
				c.Warnings = append(c.Warnings, fmt.Sprintf("staler than %s: %s behind vs %s",
					from, m.Lag.Round(time.Second), failing.Lag.Round(time.Second)))
			}
			if m.SerialKnown && failing.SerialKnown && m.Serial < failing.Serial {
				c.Warnings = append(c.Warnings, fmt.Sprintf("older serial than %s: %d vs %d", from, m.Serial, failing.Serial))
			}
			if m.Region != "" && m.Region == failing.Region {
				c.Warnings = append(c.Warnings, fmt.Sprintf("same region as %s (%s): may share its broken upstream", from, m.Region))
			}
		}
		if !m.LagKnown {
			c.Warnings = append(c.Warnings, "lag unknown: the data a switch loses cannot be told")
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if fi, fj := out[i].Fit(), out[j].Fit(); fi != fj {
			return fi
		}
		a, b := out[i].Mirror, out[j].Mirror
		if ra, rb := stateRank[a.State], stateRank[b.State]; ra != rb {
			return ra < rb
		}
		if la, lb := lagKey(a), lagKey(b); la != lb {
			return la < lb
		}
		if a.Latency != b.Latency {
			return a.Latency < b.Latency
		}
		if a.ErrorRate != b.ErrorRate {
			return a.ErrorRate < b.ErrorRate
		}
		return a.Priority < b.Priority
	})
	return out
}

// Best is the first fit candidate, the one to recommend; false when no
// mirror is fit to take the traffic.
func Best(cands []Candidate) (Candidate, bool) {
	for _, c := range cands {
		if c.Fit() {
			return c, true
		}
	}
	return Candidate{}, false
}

// lagKey sorts unknown lag after every known one.
func lagKey(m *MirrorView) float64 {
	if !m.LagKnown {
		return math.Inf(1)
	}
	return m.Lag.Seconds()
}
