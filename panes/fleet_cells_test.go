package panes

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"warroom/backends/room"
	"warroom/panes/panestest"
)

// fresh derives s's cells from nothing, the way measureFleet did before
// it kept the last snapshot's.
func fresh(s *room.Snapshot) *fleetCells {
	fleetMemo.Lock()
	fleetMemo.last = nil
	fleetMemo.Unlock()
	return measureFleet(s)
}

// A snapshot that keeps most views and replaces some, as the room
// publishes them, is measured as if from nothing: counts, pins, widths.
func TestFleetCellsFollowChangedViews(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	states := []room.State{room.StateUp, room.StateDegraded, room.StatePartial, room.StateDown, room.StateUnknown}
	s := panestest.Big(300)
	measureFleet(s)
	for round := range 200 {
		next := *s
		next.Mirrors = slices.Clone(s.Mirrors)
		for range rng.IntN(8) {
			i := rng.IntN(len(next.Mirrors))
			v := *next.Mirrors[i]
			v.State = states[rng.IntN(len(states))]
			v.Name = fmt.Sprintf("m-%d-%s", round, string(make([]byte, rng.IntN(30))))
			v.Reason = fmt.Sprintf("reason %*d", rng.IntN(60), round)
			next.Mirrors[i] = &v
		}
		got := measureFleet(&next)
		want := fresh(&next)
		if !reflect.DeepEqual(got.counts, want.counts) || !slices.Equal(got.pins, want.pins) ||
			!slices.Equal(got.each, want.each) || got.trending != want.trending || got.traffic != want.traffic {
			t.Fatalf("round %d: kept cells differ from fresh ones:\ncounts %v vs %v\npins %v vs %v", round, got.counts, want.counts, got.pins, want.pins)
		}
		s = &next
	}
}

// The pins are the active mirror, then the down ones in config order.
func TestFleetCellsPinTheActiveMirrorFirst(t *testing.T) {
	s := panestest.Big(20)
	for _, i := range []int{3, 11} {
		v := *s.Mirrors[i]
		v.State = room.StateDown
		s.Mirrors[i] = &v
	}
	was, now := *s.Mirrors[0], *s.Mirrors[15]
	was.Role, was.State = "backup", room.StateUp
	now.Role, now.State = "active", room.StateUp
	s.Mirrors[0], s.Mirrors[15] = &was, &now
	var down []int
	for i, m := range s.Mirrors {
		if m.State == room.StateDown && m.Role != "active" {
			down = append(down, i)
		}
	}
	if got, want := fresh(s).pins, append([]int{15}, down...); !slices.Equal(got, want) {
		t.Fatalf("pins %v, want %v", got, want)
	}
}
