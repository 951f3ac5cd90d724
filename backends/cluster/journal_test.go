package cluster

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"warroom/backends/journal"
)

// campaign makes node lead on cli and returns its leadership and term.
func campaign(t *testing.T, c *testCluster, member, node string) (*Leadership, Term) {
	t.Helper()
	l, err := NewLeadership(c.cli(member), testSite, node, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	term, err := campaignAgain(t, testCtx(t, 20*time.Second), l)
	if err != nil {
		t.Fatal(err)
	}
	return l, term
}

// campaignAgain campaigns as a node does, again after a failed request (a
// read may time out while etcd elects a new raft leader), until it wins or
// ctx ends.
func campaignAgain(t *testing.T, ctx context.Context, l *Leadership) (Term, error) {
	for {
		term, err := l.Campaign(ctx)
		if err == nil || ctx.Err() != nil {
			return term, err
		}
		t.Logf("campaigning again: %v", err)
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func obj(i int) []byte { return fmt.Appendf(nil, `{"kind":"test","n":%d}`, i) }

// A term that lost the leadership cannot append, even though its holder
// still has the term in hand (a paused leader waking up); the new term can.
func TestAppendIsFencedByTerm(t *testing.T) {
	c := startCluster(t, 3)
	ctx := testCtx(t, 60*time.Second)
	oldL, oldTerm := campaign(t, c, "m1", "n1")
	old := NewJournal(c.cli("m1"), testSite)
	if first, err := old.Append(ctx, oldTerm, obj(1), obj(2)); err != nil || first != 1 {
		t.Fatalf("first append: seq %d, %v", first, err)
	}
	if err := oldL.Close(); err != nil { // the lease ends: as if it expired while paused
		t.Fatal(err)
	}
	_, newTerm := campaign(t, c, "m2", "n2")
	if newTerm.Rev <= oldTerm.Rev {
		t.Fatalf("new term %d not after old %d", newTerm.Rev, oldTerm.Rev)
	}
	if _, err := old.Append(ctx, oldTerm, obj(3)); !errors.Is(err, ErrStaleTerm) {
		t.Fatalf("stale term append: got %v, want ErrStaleTerm", err)
	}
	if _, err := old.Fenced(oldTerm, 5*time.Second).Append(obj(3)); !errors.Is(err, ErrStaleTerm) {
		t.Fatalf("stale fenced append: got %v, want ErrStaleTerm", err)
	}
	fresh := NewJournal(c.cli("m2"), testSite).Fenced(newTerm, 5*time.Second)
	if first, err := fresh.Append(obj(3)); err != nil || first != 3 {
		t.Fatalf("new leader append: seq %d, %v", first, err)
	}
	recs, _, err := NewJournal(c.cli("m3"), testSite).ReadFrom(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || string(recs[2].Data) != string(obj(3)) {
		t.Fatalf("journal: %d records, want 3 ending with obj 3", len(recs))
	}
}

// Two writers with the same term (a leader's journal reopened) never both
// append at one position: the second sees the head moved, retries after it.
func TestAppendComparesHead(t *testing.T) {
	c := startCluster(t, 3)
	ctx := testCtx(t, 60*time.Second)
	_, term := campaign(t, c, "m1", "n1")
	a := NewJournal(c.cli("m1"), testSite)
	b := NewJournal(c.cli("m2"), testSite)
	if _, err := a.Append(ctx, term, obj(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Append(ctx, term, obj(2)); err != nil { // b reads the head first
		t.Fatal(err)
	}
	if _, err := a.Append(ctx, term, obj(3)); !errors.Is(err, ErrConflict) {
		t.Fatalf("append at a moved head: got %v, want ErrConflict", err)
	}
	if first, err := a.Fenced(term, 5*time.Second).Append(obj(3)); err != nil || first != 3 {
		t.Fatalf("fenced append after conflict: seq %d, %v", first, err)
	}
	recs, _, err := a.ReadFrom(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		if r.Seq != uint64(i+1) || string(r.Data) != string(obj(i+1)) {
			t.Fatalf("record %d: seq %d %s", i, r.Seq, r.Data)
		}
	}
}

// Records that would not fit the local journal are refused before they go out.
func TestAppendRefusesBadRecords(t *testing.T) {
	c := startCluster(t, 1)
	_, term := campaign(t, c, "m1", "n1")
	_, err := NewJournal(c.cli("m1"), testSite).Append(testCtx(t, 10*time.Second), term, obj(1), []byte(`{"_seq":1}`))
	if err == nil || !errors.Is(err, journal.ErrInvalidRecord) {
		t.Fatalf("got %v, want an invalid record error", err)
	}
}

// A lost reply is resolved by reading back: the batch right after the head
// it was sent at counts as committed only if its bytes are there.
func TestLostReplyIsResolvedByReadingBack(t *testing.T) {
	c := startCluster(t, 1)
	ctx := testCtx(t, 30*time.Second)
	_, term := campaign(t, c, "m1", "n1")
	j := NewJournal(c.cli("m1"), testSite)
	if _, err := j.Append(ctx, term, obj(1), obj(2)); err != nil {
		t.Fatal(err)
	}
	if ok, err := j.committed(ctx, 0, [][]byte{obj(1), obj(2)}); err != nil || !ok {
		t.Fatalf("committed batch: %v %v", ok, err)
	}
	if ok, err := j.committed(ctx, 0, [][]byte{obj(1), obj(3)}); err != nil || ok {
		t.Fatalf("other bytes counted as committed: %v %v", ok, err)
	}
	if ok, err := j.committed(ctx, 2, [][]byte{obj(3)}); err != nil || ok {
		t.Fatalf("nothing after the head counted as committed: %v %v", ok, err)
	}
}
