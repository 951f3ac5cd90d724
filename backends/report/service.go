package report

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"warroom/backends/room"
)

// restoration follows service through the window: the active mirrors
// (the declaration's "serving", walked back over moves made before it)
// and their journaled states. at is when every active mirror was up again
// for good after the window's outage (zero while still down);
// outage is false when service never went down in the window; ok is false
// when the journal does not say who served (older journals).
func (b *builder) restoration() (at time.Time, how string, outage, ok bool) {
	var serving []string
	if b.declIdx >= 0 {
		serving = b.evs[b.declIdx].IncidentFacts().Serving
	}
	if len(serving) == 0 {
		return time.Time{}, "", false, false
	}
	active := map[string]bool{}
	for _, name := range serving {
		active[name] = true
	}
	for i := b.declIdx - 1; i >= b.from; i-- {
		if from, to, moved := b.move(b.evs[i]); moved {
			delete(active, to)
			active[from] = true
		}
	}
	states := map[string]string{}
	for _, ev := range b.evs[:b.from] {
		if ev.Kind == room.EvMirrorState {
			states[ev.Subject] = string(ev.MirrorFacts().To)
		}
	}
	up := func() bool {
		for name := range active {
			if s, known := states[name]; known && s != string(room.StateUp) {
				return false
			}
		}
		return true
	}
	outage = !up()
	for _, ev := range b.evs[b.from : b.to+1] {
		if ev.Kind == room.EvMirrorState {
			states[ev.Subject] = string(ev.MirrorFacts().To)
		} else if from, to, moved := b.move(ev); moved {
			delete(active, from)
			active[to] = true
		} else {
			continue
		}
		switch {
		case !up():
			outage, at = true, time.Time{}
		case outage && at.IsZero():
			at, how = ev.At, fmt.Sprintf("%s serving and up", strings.Join(slices.Sorted(maps.Keys(active)), ", "))
		}
	}
	return at, how, outage, true
}

// move reads a confirmed failover or failback: traffic went from → to.
func (b *builder) move(ev room.Event) (from, to string, ok bool) {
	if ev.Kind != room.EvActionSucceeded {
		return "", "", false
	}
	f := ev.ActionFacts()
	if k := f.Request.Kind; k != room.Failover && k != room.Failback {
		return "", "", false
	}
	req, known := b.requests[f.ID]
	if !known {
		return "", "", false
	}
	r := req.ActionFacts().Request
	return r.From, r.To, true
}
