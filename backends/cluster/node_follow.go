package cluster

import (
	"context"
	"errors"

	"warroom/backends/journal"
	"warroom/backends/room"
)

// follow applies every replicated record to the room and appends it to the
// local journal, in order, until ctx ends. The leader gets its own records
// back too: its room skips them, its local copy still needs them.
func (n *Node) follow(ctx context.Context) {
	for batch := range n.journal.Follow(ctx, n.Applied()) {
		if err := n.room.Apply(batch); errors.Is(err, room.ErrResync) {
			n.resync(ctx)
		} else if err != nil && ctx.Err() == nil {
			n.cfg.Logf("cluster node %s: apply: %v", n.cfg.Node, err)
		}
		n.materialize(ctx, batch)
		n.advance(batch[len(batch)-1].Seq)
	}
}

// materialize appends batch to the local journal; after a gap (an earlier
// local write failed) it reads what is missing from the cluster again.
func (n *Node) materialize(ctx context.Context, batch []journal.Record) {
	err := Materialize(n.local, batch)
	if err == nil {
		return
	}
	missing, _, rerr := n.journal.ReadFrom(ctx, n.local.LastSeq())
	if rerr == nil {
		err = Materialize(n.local, missing)
	}
	if err != nil && ctx.Err() == nil {
		n.cfg.Logf("cluster node %s: local journal %s lags the cluster's: %v", n.cfg.Node, n.local.Path(), errors.Join(err, rerr))
	}
}

// resync rebuilds the room from the whole replicated journal: it led, and
// a write of that term may have failed after its facts were applied.
func (n *Node) resync(ctx context.Context) {
	recs, _, err := n.journal.ReadFrom(ctx, 0)
	if err == nil {
		err = n.room.Resync(recs)
	}
	if err != nil && ctx.Err() == nil {
		n.cfg.Logf("cluster node %s: resync the room: %v", n.cfg.Node, err)
	}
}

// advance records that the room applied up to seq and wakes the waiters.
func (n *Node) advance(seq uint64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if seq <= n.applied {
		return
	}
	n.applied = seq
	close(n.moved)
	n.moved = make(chan struct{})
}

// waitApplied waits until the room applied seq, or stop is closed or ctx ends.
func (n *Node) waitApplied(ctx context.Context, seq uint64, stop <-chan struct{}) error {
	for {
		n.mu.Lock()
		applied, moved := n.applied, n.moved
		n.mu.Unlock()
		if applied >= seq {
			return nil
		}
		select {
		case <-moved:
		case <-stop:
			return errors.New("lost the lease while catching up")
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
