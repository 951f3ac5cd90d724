package cluster

import (
	"bytes"
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"warroom/backends/journal"
)

// Follow delivers every record after afterSeq, in order and without gaps, in
// batches as they commit. When the watch breaks or its revision was
// compacted it reads the missing records again. The channel closes when ctx ends.
func (j *Journal) Follow(ctx context.Context, afterSeq uint64) <-chan []journal.Record {
	out := make(chan []journal.Record)
	go func() {
		defer close(out)
		last := afterSeq
		for ctx.Err() == nil {
			next, ok := j.follow(ctx, last, out)
			last = next
			if !ok {
				select {
				case <-ctx.Done():
				case <-time.After(followRetry):
				}
			}
		}
	}()
	return out
}

// followRetry paces resyncs after an error.
const followRetry = 200 * time.Millisecond

// follow catches up from last, then watches until the watch ends; it returns
// the last seq delivered and whether it ended cleanly (no error to wait out).
func (j *Journal) follow(ctx context.Context, last uint64, out chan<- []journal.Record) (uint64, bool) {
	recs, rev, err := j.ReadFrom(ctx, last)
	if err != nil {
		return last, false
	}
	if !send(ctx, out, recs) {
		return last, true
	}
	if len(recs) > 0 {
		last = recs[len(recs)-1].Seq
	}
	if j.afterRead != nil {
		j.afterRead()
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// WithRequireLeader ends the watch when this member loses the quorum,
	// instead of waiting silently on a member that hears no news.
	wch := j.cli.Watch(clientv3.WithRequireLeader(wctx), j.pfx+"journal/",
		clientv3.WithPrefix(), clientv3.WithRev(rev+1))
	for resp := range wch {
		if resp.Err() != nil || resp.Canceled {
			return last, resp.CompactRevision != 0
		}
		var batch []journal.Record
		for _, ev := range resp.Events {
			if ev.Type != clientv3.EventTypePut {
				continue
			}
			seq, err := parseSeqKey(j.pfx, ev.Kv.Key)
			if err != nil {
				continue
			}
			if seq <= last {
				continue
			}
			if seq != last+1 {
				return last, false
			}
			batch = append(batch, journal.Record{Seq: seq, Data: bytes.Clone(ev.Kv.Value)})
			last = seq
		}
		if !send(ctx, out, batch) {
			return last, true
		}
	}
	return last, ctx.Err() != nil
}

// send delivers a non-empty batch unless ctx ends first.
func send[T any](ctx context.Context, out chan<- []T, batch []T) bool {
	if len(batch) == 0 {
		return true
	}
	select {
	case out <- batch:
		return true
	case <-ctx.Done():
		return false
	}
}
