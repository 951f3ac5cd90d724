package room

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// Candidate is a mirror traffic could move to, with what moving costs.
type Candidate struct {
	Mirror   *MirrorView
	RPO      time.Duration // data a switch loses: the candidate's lag; valid when RPOKnown
	RPOKnown bool
	Warnings []string // reasons to think twice: staler than the failing mirror, same region, not healthy
}

// stateRank orders states for failover: healthy first.
var stateRank = map[State]int{StateUp: 0, StateDegraded: 1, StateUnknown: 2, StateDown: 3}

// Rank lists the mirrors traffic could move to from the mirror named from:
// healthy first, then by lag (the data a switch loses), latency and error
// rate. Mirrors already serving are left out.
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
		c := Candidate{Mirror: m, RPO: m.Lag, RPOKnown: m.LagKnown}
		if m.State != StateUp {
			c.Warnings = append(c.Warnings, fmt.Sprintf("%s is %s", m.Name, m.State))
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
		if m.Drift {
			c.Warnings = append(c.Warnings, "serves content that differs from the origin")
		}
		if !m.LagKnown {
			c.Warnings = append(c.Warnings, "lag unknown: the data a switch loses cannot be told")
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool {
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

// lagKey sorts unknown lag after every known one.
func lagKey(m *MirrorView) float64 {
	if !m.LagKnown {
		return math.Inf(1)
	}
	return m.Lag.Seconds()
}
