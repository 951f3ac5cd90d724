package drill

import (
	"testing"
	"time"
)

func TestScorecardMarkdown(t *testing.T) {
	c := Scorecard{
		Scenario:  "regional-outage",
		Started:   t0,
		Ended:     t0.Add(15 * time.Minute),
		EndReason: EndTimeLimit,
		Goals: []GoalScore{
			{Name: GoalDetect, Target: time.Minute, Achieved: 9 * time.Second, Reached: true, Met: true},
			{Name: GoalFailover, Target: 5 * time.Minute, Achieved: 6*time.Minute + 2*time.Second, Reached: true},
			{Name: GoalAnnounce, Target: 5 * time.Minute},
			{Name: GoalRecover, Target: 12 * time.Minute, Achieved: 10*time.Minute + 6400*time.Millisecond, Reached: true, Met: true},
		},
	}
	want := `## Drill scorecard: regional-outage

Started 2026-03-14 09:00:00 UTC, ended after 15m: time limit.

| goal | target | achieved | result |
|------|--------|----------|--------|
| detect | 1m | 9s | met |
| failover | 5m | 6m2s | missed (1m2s late) |
| announce | 5m | — | missed (never reached) |
| recover | 12m | 10m6s | met |

2 of 4 goals met. Times count from the first fault.
`
	if got := c.Markdown(); got != want {
		t.Errorf("Markdown:\n%s\nwant:\n%s", got, want)
	}
	c.Ended, c.EndReason = time.Time{}, ""
	running := `## Drill scorecard: regional-outage

Started 2026-03-14 09:00:00 UTC; still running.

| goal | target | achieved | result |
|------|--------|----------|--------|
| detect | 1m | 9s | met |
| failover | 5m | 6m2s | missed (1m2s late) |
| announce | 5m | — | pending |
| recover | 12m | 10m6s | met |

2 of 4 goals met. Times count from the first fault.
`
	if got := c.Markdown(); got != running {
		t.Errorf("Markdown while running:\n%s\nwant:\n%s", got, running)
	}
}

func TestShort(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                            "0s",
		250 * time.Millisecond:       "250ms",
		1500 * time.Millisecond:      "2s",
		time.Minute:                  "1m",
		90 * time.Second:             "1m30s",
		time.Hour:                    "1h",
		time.Hour + time.Second:      "1h0m1s",
		2*time.Hour + 30*time.Minute: "2h30m",
		-30 * time.Second:            "-30s",
	} {
		if got := Short(d); got != want {
			t.Errorf("Short(%v) = %q, want %q", d, got, want)
		}
	}
}
