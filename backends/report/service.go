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
	if b.declIdx < 0 || b.evs[b.declIdx].Fields["serving"] == "" {
		return time.Time{}, "", false, false
	}
	active := map[string]bool{}
	for _, name := range strings.Split(b.evs[b.declIdx].Fields["serving"], ",") {
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
			states[ev.Subject] = ev.Fields["to"]
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
			states[ev.Subject] = ev.Fields["to"]
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
	if k := ev.Fields["action"]; k != room.Failover && k != room.Failback {
		return "", "", false
	}
	req, known := b.requests[ev.Fields["id"]]
	if !known {
		return "", "", false
	}
	return req.Fields["from"], req.Fields["to"], true
}
