package room

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
)

// heard collects what OnRecorded is told.
type heard struct {
	mu  sync.Mutex
	evs []Event
}

func (h *heard) add(ev Event) { h.mu.Lock(); h.evs = append(h.evs, ev); h.mu.Unlock() }

func (h *heard) kinds() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, ev := range h.evs {
		out = append(out, ev.Kind+":"+ev.Subject)
	}
	return out
}

// OnRecorded hears every event the journal took, in its order, world
// events and commands alike; never replayed ones, nor unrecorded ones.
func TestOnRecordedHearsWhatTheJournalTook(t *testing.T) {
	j := &memJournal{}
	var got heard
	h := startRoom(t, Options{Config: testConfig(), Journal: j, OnRecorded: got.add})
	h.r.ObserveProbe(fail("tokyo", t0))
	h.r.ObserveProbe(fail("tokyo", t0))
	h.settle()
	if err := h.r.Ack(context.Background(), "mirror-down/tokyo", commander("li.wei")); err != nil {
		t.Fatal(err)
	}
	h.settle()
	if want := j.kinds(t); !slices.Equal(got.kinds(), want) {
		t.Fatalf("heard %v\njournaled %v", got.kinds(), want)
	}
	got.mu.Lock()
	for i, ev := range got.evs {
		if ev.Seq != uint64(i+1) {
			t.Errorf("event %d (%s) heard with seq %d", i+1, ev.Kind, ev.Seq)
		}
	}
	got.mu.Unlock()

	j.mu.Lock()
	j.fail = errors.New("fdatasync: input/output error")
	j.mu.Unlock()
	n := len(got.kinds())
	h.r.ObserveProbe(fail("osaka", t0))
	h.r.ObserveProbe(fail("osaka", t0))
	h.settle()
	if len(got.kinds()) != n {
		t.Errorf("heard events the journal refused: %v", got.kinds()[n:])
	}

	var again heard
	h2 := startRoom(t, Options{Config: testConfig(), Journal: &memJournal{}, Replay: j.records(), OnRecorded: again.add})
	h2.settle()
	for _, k := range again.kinds() {
		if k != "room.opened:" {
			t.Errorf("a restart heard replayed %s", k)
		}
	}
}
