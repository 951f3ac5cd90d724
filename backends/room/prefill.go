package room

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"warroom/backends/notify"
)

// Prefill fills an announcement's fields from the room: the scope from the
// mirrors that are down, the measures from the actions that succeeded, the
// next update from the cadence. People edit them before sending.
func Prefill(s *Snapshot) notify.Fields {
	f := notify.Fields{Site: s.Site, Time: s.At, Contact: s.Contact}
	var down []string
	regions := map[string]bool{}
	for _, m := range s.Mirrors {
		if m.State == StateDown {
			down = append(down, m.Name)
			if m.Region != "" {
				regions[m.Region] = true
			}
		}
	}
	f.DownMirrors = strings.Join(down, ", ")
	f.Regions = strings.Join(slices.Sorted(maps.Keys(regions)), ", ")
	switch {
	case len(down) == 0:
		f.Scope = "no mirror is down; some users may see slow or stale downloads"
	case f.Regions != "":
		f.Scope = fmt.Sprintf("%d of %d mirrors down (%s) in %s", len(down), len(s.Mirrors), f.DownMirrors, f.Regions)
	default:
		f.Scope = fmt.Sprintf("%d of %d mirrors down (%s)", len(down), len(s.Mirrors), f.DownMirrors)
	}
	var measures []string
	for _, a := range s.Actions {
		if a.State == ActionSucceeded {
			measures = append(measures, fmt.Sprintf("%s at %s UTC", a.Request.String(), a.EndedAt.UTC().Format("15:04")))
		}
	}
	f.Measures = strings.Join(measures, "; ")
	if f.Measures == "" {
		f.Measures = "investigating the cause"
	}
	if s.Cadence > 0 {
		f.NextUpdate = s.At.Add(s.Cadence).UTC().Format("15:04") + " UTC"
	}
	f.ExpectedRecovery = "to be confirmed"
	return f
}

// UpdateOverdue reports how late the next public update is (0 if not late).
func (s *Snapshot) UpdateOverdue() time.Duration {
	if s.NextUpdateDue.IsZero() || !s.At.After(s.NextUpdateDue) {
		return 0
	}
	return s.At.Sub(s.NextUpdateDue)
}
