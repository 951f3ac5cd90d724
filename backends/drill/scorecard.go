package drill

import (
	"fmt"
	"strings"
	"time"
)

// Scorecard is how a drill went: each goal's target and what was achieved.
type Scorecard struct {
	Scenario  string
	Started   time.Time
	Ended     time.Time // zero while the drill runs
	EndReason string    // EndGoalsMet, EndGoalsReached, EndTimeLimit, EndCancelled, a Stop reason or "fault failed: …"
	Goals     []GoalScore
}

// GoalScore is one goal's result.
type GoalScore struct {
	Name     string
	Target   time.Duration
	Achieved time.Duration // from the first fault; 0 when never reached
	Reached  bool          // it happened before the drill ended
	Met      bool          // it happened within Target
}

// End reasons set by the runner; Stop gives its own.
const (
	EndGoalsMet     = "goals met"     // every goal reached within its target
	EndGoalsReached = "goals reached" // every goal reached, some late
	EndTimeLimit    = "time limit"
	EndCancelled    = "cancelled" // the context given to Start ended
)

// Met counts the goals met.
func (c Scorecard) Met() int {
	n := 0
	for _, g := range c.Goals {
		if g.Met {
			n++
		}
	}
	return n
}

// Markdown renders the scorecard as a heading, one summary line and a table
// (goal, target, achieved, result), for the room and the drill report.
func (c Scorecard) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Drill scorecard: %s\n\n", c.Scenario)
	const stamp = "2006-01-02 15:04:05 MST"
	if c.Ended.IsZero() {
		fmt.Fprintf(&b, "Started %s; still running.\n\n", c.Started.Format(stamp))
	} else {
		fmt.Fprintf(&b, "Started %s, ended after %s: %s.\n\n", c.Started.Format(stamp), Short(c.Ended.Sub(c.Started)), c.EndReason)
	}
	b.WriteString("| goal | target | achieved | result |\n")
	b.WriteString("|------|--------|----------|--------|\n")
	for _, g := range c.Goals {
		achieved, result := "—", "missed (never reached)"
		if c.Ended.IsZero() {
			result = "pending"
		}
		if g.Reached {
			achieved, result = Short(g.Achieved), "met"
			if !g.Met {
				result = "missed (" + Short(g.Achieved-g.Target) + " late)"
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", g.Name, Short(g.Target), achieved, result)
	}
	fmt.Fprintf(&b, "\n%d of %d goals met. Times count from the first fault.\n", c.Met(), len(c.Goals))
	return b.String()
}

// Short formats a duration for people: whole seconds from a second up
// ("1m5s", "2m", "1h"), milliseconds below.
func Short(d time.Duration) string {
	if d < time.Second && d > -time.Second {
		return d.Round(time.Millisecond).String()
	}
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
