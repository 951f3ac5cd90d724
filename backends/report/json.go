package report

import (
	"encoding/json"
	"time"
)

// JSON encodes the review for scripts. Durations are whole seconds in
// "*_seconds" members; times are RFC 3339.
func (r *Report) JSON() ([]byte, error) {
	return json.MarshalIndent(r, "", "  ")
}

// MarshalJSON adds the drill's scorecard in seconds and snake case.
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	out := struct {
		plain
		Scorecard *scorecardJSON `json:"scorecard,omitempty"`
	}{plain: plain(r)}
	if c := r.Scorecard; c != nil {
		out.Scorecard = &scorecardJSON{Scenario: c.Scenario, Started: c.Started, Ended: c.Ended, EndReason: c.EndReason,
			Met: c.Met(), Goals: []goalJSON{}}
		for _, g := range c.Goals {
			out.Scorecard.Goals = append(out.Scorecard.Goals, goalJSON{Name: g.Name, TargetSeconds: secs(g.Target),
				AchievedSeconds: secs(g.Achieved), Reached: g.Reached, Met: g.Met})
		}
	}
	return json.Marshal(out)
}

type scorecardJSON struct {
	Scenario  string     `json:"scenario"`
	Started   time.Time  `json:"started"`
	Ended     time.Time  `json:"ended,omitzero"`
	EndReason string     `json:"end_reason,omitempty"`
	Met       int        `json:"met"`
	Goals     []goalJSON `json:"goals"`
}

type goalJSON struct {
	Name            string `json:"name"`
	TargetSeconds   int64  `json:"target_seconds"`
	AchievedSeconds int64  `json:"achieved_seconds"`
	Reached         bool   `json:"reached"`
	Met             bool   `json:"met"`
}

func secs(d time.Duration) int64 { return int64(d.Round(time.Second) / time.Second) }

// MarshalJSON adds took_seconds.
func (m Measure) MarshalJSON() ([]byte, error) {
	type plain Measure
	out := struct {
		plain
		TookSeconds *int64 `json:"took_seconds"`
	}{plain: plain(m)}
	if m.Known {
		s := secs(m.Took)
		out.TookSeconds = &s
	}
	return json.Marshal(out)
}

// MarshalJSON adds target_seconds and achieved_seconds.
func (o Objective) MarshalJSON() ([]byte, error) {
	type plain Objective
	out := struct {
		plain
		TargetSeconds   *int64 `json:"target_seconds"`
		AchievedSeconds *int64 `json:"achieved_seconds"`
	}{plain: plain(o)}
	if o.Set {
		s := secs(o.Target)
		out.TargetSeconds = &s
	}
	if o.Known {
		s := secs(o.Achieved)
		out.AchievedSeconds = &s
	}
	return json.Marshal(out)
}

// MarshalJSON adds rpo_seconds.
func (a Action) MarshalJSON() ([]byte, error) {
	type plain Action
	out := struct {
		plain
		RPOSeconds *int64 `json:"rpo_seconds,omitempty"`
	}{plain: plain(a)}
	if a.RPOKnown {
		s := secs(a.RPO)
		out.RPOSeconds = &s
	}
	return json.Marshal(out)
}
