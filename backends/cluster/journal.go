package cluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"warroom/backends/journal"
)

var (
	// ErrStaleTerm: the term's leader key is gone or belongs to a newer
	// campaign; the writer no longer leads and must stop acting.
	ErrStaleTerm = errors.New("cluster: stale leader term")
	// ErrConflict: the journal's head moved; someone else appended.
	ErrConflict = errors.New("cluster: journal head moved")
	// ErrUnknownOutcome: the append may or may not have committed (the
	// reply was lost); read the journal back before trusting either.
	ErrUnknownOutcome = errors.New("cluster: append outcome unknown")
)

// readPage is how many records one Get returns.
const readPage = 500

// Journal is the site's replicated event log in etcd.
type Journal struct {
	cli *clientv3.Client
	pfx string

	afterRead func() // a test's hook between Follow's read and its watch

	mu    sync.Mutex
	head  uint64 // the last seq this writer knows; valid when known
	known bool
}

// NewJournal returns the site's journal.
func NewJournal(cli *clientv3.Client, site string) *Journal {
	return &Journal{cli: cli, pfx: prefix(site)}
}

// Head returns the last seq in the journal (a linearizable read).
func (j *Journal) Head(ctx context.Context) (uint64, error) {
	resp, err := j.cli.Get(ctx, j.pfx+"head")
	if err != nil {
		return 0, fmt.Errorf("cluster: read journal head: %w", err)
	}
	if len(resp.Kvs) == 0 {
		return 0, nil
	}
	return parseHead(resp.Kvs[0].Value)
}

func parseHead(v []byte) (uint64, error) {
	n, err := strconv.ParseUint(string(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("cluster: journal head %q is not a number", v)
	}
	return n, nil
}

// Append writes objs as the next records in one transaction, only if the
// head is still where this writer last saw it and term still leads; it
// returns the first record's seq. ErrStaleTerm and ErrConflict mean nothing
// was written; ErrUnknownOutcome means the reply was lost.
func (j *Journal) Append(ctx context.Context, term Term, objs ...[]byte) (uint64, error) {
	if len(objs) == 0 {
		return 0, errors.New("cluster: journal append called with no records")
	}
	for i, obj := range objs {
		if err := journal.CheckRecord(obj); err != nil {
			return 0, fmt.Errorf("cluster: journal record %d of %d: %w", i+1, len(objs), err)
		}
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.known {
		h, err := j.Head(ctx)
		if err != nil {
			return 0, err
		}
		j.head, j.known = h, true
	}
	first, err := j.txn(ctx, term, j.head, objs)
	switch {
	case err == nil:
		j.head += uint64(len(objs))
	case !errors.Is(err, ErrConflict):
		j.known = false
	}
	return first, err
}

// txn is one fenced compare-and-append after head.
func (j *Journal) txn(ctx context.Context, term Term, head uint64, objs [][]byte) (uint64, error) {
	headKey := j.pfx + "head"
	headCmp := clientv3.Compare(clientv3.Value(headKey), "=", strconv.FormatUint(head, 10))
	if head == 0 {
		headCmp = clientv3.Compare(clientv3.CreateRevision(headKey), "=", 0)
	}
	ops := make([]clientv3.Op, 0, len(objs)+1)
	for i, obj := range objs {
		ops = append(ops, clientv3.OpPut(seqKey(j.pfx, head+1+uint64(i)), string(obj)))
	}
	last := head + uint64(len(objs))
	ops = append(ops, clientv3.OpPut(headKey, strconv.FormatUint(last, 10)))
	resp, err := j.cli.Txn(ctx).
		If(headCmp, clientv3.Compare(clientv3.CreateRevision(term.Key), "=", term.Rev)).
		Then(ops...).
		Else(clientv3.OpGet(headKey), clientv3.OpGet(term.Key)).
		Commit()
	if err != nil {
		return 0, fmt.Errorf("%w: appending seq %d-%d: %w", ErrUnknownOutcome, head+1, last, err)
	}
	if resp.Succeeded {
		return head + 1, nil
	}
	if tk := resp.Responses[1].GetResponseRange().Kvs; len(tk) == 0 || tk[0].CreateRevision != term.Rev {
		return 0, fmt.Errorf("%w: %s's term %d no longer leads", ErrStaleTerm, term.Node, term.Rev)
	}
	now := uint64(0)
	if hk := resp.Responses[0].GetResponseRange().Kvs; len(hk) > 0 {
		h, err := parseHead(hk[0].Value)
		if err != nil {
			return 0, err
		}
		now = h
	}
	j.head = now
	return 0, fmt.Errorf("%w: expected head %d, found %d", ErrConflict, head, now)
}

// ReadFrom returns every record after afterSeq, read in pages at one
// revision, and that revision (watch from rev+1 to follow on).
func (j *Journal) ReadFrom(ctx context.Context, afterSeq uint64) ([]journal.Record, int64, error) {
	end := clientv3.GetPrefixRangeEnd(j.pfx + "journal/")
	var recs []journal.Record
	var rev int64
	next := afterSeq + 1
	for {
		opts := []clientv3.OpOption{clientv3.WithRange(end), clientv3.WithLimit(readPage)}
		if rev != 0 {
			opts = append(opts, clientv3.WithRev(rev))
		}
		resp, err := j.cli.Get(ctx, seqKey(j.pfx, next), opts...)
		if err != nil {
			return nil, 0, fmt.Errorf("cluster: read journal after seq %d: %w", next-1, err)
		}
		if rev == 0 {
			rev = resp.Header.Revision
		}
		for _, kv := range resp.Kvs {
			seq, err := parseSeqKey(j.pfx, kv.Key)
			if err != nil {
				return nil, 0, err
			}
			if seq != next {
				return nil, 0, fmt.Errorf("cluster: journal has seq %d where %d was expected: a record is missing", seq, next)
			}
			recs = append(recs, journal.Record{Seq: seq, Data: bytes.Clone(kv.Value)})
			next++
		}
		if !resp.More {
			return recs, rev, nil
		}
	}
}

// FencedJournal is the journal bound to one term, as the room writes it:
// it implements the room's Journal (Append(objs ...[]byte) (uint64, error)).
type FencedJournal struct {
	j       *Journal
	term    Term
	timeout time.Duration
}

// Fenced binds term; each Append gets timeout.
func (j *Journal) Fenced(term Term, timeout time.Duration) *FencedJournal {
	return &FencedJournal{j: j, term: term, timeout: timeout}
}

// Term returns the term the journal is bound to.
func (f *FencedJournal) Term() Term { return f.term }

// Append appends objs under the term. A moved head is retried once (the
// term still led when the compare ran); a lost reply is resolved by reading
// the records back, so a batch is never written twice.
func (f *FencedJournal) Append(objs ...[]byte) (uint64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), f.timeout)
	defer cancel()
	for attempt := 0; ; attempt++ {
		head, known := f.j.cachedHead()
		first, err := f.j.Append(ctx, f.term, objs...)
		switch {
		case err == nil:
			return first, nil
		case errors.Is(err, ErrConflict) && attempt == 0:
			continue
		case errors.Is(err, ErrUnknownOutcome) && known && ctx.Err() == nil:
			if ok, rerr := f.j.committed(ctx, head, objs); rerr == nil && ok {
				return head + 1, nil
			} else if rerr == nil && attempt == 0 {
				continue
			}
		}
		return 0, err
	}
}

func (j *Journal) cachedHead() (uint64, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.head, j.known
}

// committed reports whether objs are the records right after head.
func (j *Journal) committed(ctx context.Context, head uint64, objs [][]byte) (bool, error) {
	recs, _, err := j.ReadFrom(ctx, head)
	if err != nil {
		return false, err
	}
	if len(recs) < len(objs) {
		return false, nil
	}
	for i, obj := range objs {
		if !bytes.Equal(recs[i].Data, obj) {
			return false, nil
		}
	}
	j.mu.Lock()
	j.head, j.known = head+uint64(len(objs)), true
	j.mu.Unlock()
	return true, nil
}
