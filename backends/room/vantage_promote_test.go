package room

import (
	"testing"
	"time"

	"warroom/backends/mirrors"
)

// A node that takes the room over records what it sees of each mirror
// where the journal says otherwise: the old leader saw tokyo down from its
// region, this one sees it answer.
func TestNewLeaderRecordsTheMirrorsAsItSeesThem(t *testing.T) {
	j := &memJournal{}
	a, b := startNode(t, "a", &fakeExec{}), startNode(t, "b", &fakeExec{})
	if err := a.r.Promote(j, "1"); err != nil {
		t.Fatal(err)
	}
	at := t0
	for i := 0; i < 5; i++ {
		for _, m := range []string{"origin", "tokyo", "osaka"} {
			b.r.ObserveProbe(ok(m, at, mirrors.SyncInfo{}))
			if m == "tokyo" && i >= 3 {
				a.r.ObserveProbe(fail(m, at))
			} else {
				a.r.ObserveProbe(ok(m, at, mirrors.SyncInfo{}))
			}
		}
		at = at.Add(time.Second)
	}
	if s := a.settle(); mirrorView(s, "tokyo").State != StateDown || alertByID(s, "mirror-down/tokyo") == nil {
		t.Fatalf("old leader: tokyo %s, alerts %+v", mirrorView(s, "tokyo").State, s.Alerts)
	}
	b.follow(j)
	a.stop()
	if err := b.r.Promote(j, "2"); err != nil {
		t.Fatal(err)
	}
	s := b.settle()
	evs := mirrorEvents(j.events(t), "tokyo")
	last := evs[len(evs)-1]
	if f := last.MirrorFacts(); f.From != StateDown || f.To != StateUp || last.Text != "tokyo back up" {
		t.Fatalf("tokyo's last event: %+v", last)
	}
	if alertByID(s, "mirror-down/tokyo") != nil {
		t.Fatalf("the old leader's alert stayed: %+v", s.Alerts)
	}
}

// A resync rebuilds the journal's state; the other nodes' verdicts are no
// part of it and stay.
func TestResyncKeepsTheOtherVantages(t *testing.T) {
	j := &memJournal{}
	a, b := startNode(t, "a", &fakeExec{}), startNode(t, "b", &fakeExec{})
	if err := a.r.Promote(j, "1"); err != nil {
		t.Fatal(err)
	}
	a.settle()
	b.probeAll(t0)
	b.verdicts("c", "ap-south", t0, "tokyo")
	if err := b.r.Resync(j.records()); err != nil {
		t.Fatal(err)
	}
	s := b.settle()
	if len(s.Vantages) != 2 || mirrorView(s, "tokyo").State != StatePartial {
		t.Fatalf("after resync: vantages %+v, tokyo %s", s.Vantages, mirrorView(s, "tokyo").State)
	}
}
