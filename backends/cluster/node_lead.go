package cluster

import (
	"context"
	"errors"
	"strconv"
	"time"

	"warroom/backends/room"
)

// campaignRetry paces campaigns after a failed one.
const campaignRetry = 500 * time.Millisecond

// campaign runs for the leadership until ctx ends: each won term leads the
// room until its lease is lost, then the node campaigns again.
func (n *Node) campaign(ctx context.Context) {
	for ctx.Err() == nil {
		term, err := n.lead.Campaign(ctx)
		if err == nil {
			err = n.leadTerm(ctx, term)
		}
		if err != nil && ctx.Err() == nil {
			n.cfg.Logf("cluster node %s: %v", n.cfg.Node, err)
			select {
			case <-ctx.Done():
			case <-time.After(campaignRetry):
			}
		}
	}
}

// leadTerm is "restarting the room on this node": catch up to the end of
// the journal, promote the room with the journal fenced by term, lead until
// the lease is lost (or the room stops leading on its own), then demote.
func (n *Node) leadTerm(ctx context.Context, term Term) error {
	lost := n.lead.Lost()
	head, err := n.journal.Head(ctx)
	if err == nil {
		err = n.waitApplied(ctx, head, lost)
	}
	if err == nil {
		err = n.promote(ctx, term)
	}
	if err != nil {
		n.resign(ctx)
		return errors.New("term " + strconv.FormatInt(term.Rev, 10) + ": " + err.Error())
	}
	n.cfg.Logf("cluster node %s: leads the room (term %d, from seq %d)", n.cfg.Node, term.Rev, head)
	n.term.Store(&term)
	n.leading.Store(true)
	sctx, stopServing := context.WithCancel(ctx)
	served := make(chan struct{})
	go func() { defer close(served); n.requests.Serve(sctx, n.serve) }()
	why := n.holdTerm(ctx, lost, strconv.FormatInt(term.Rev, 10))
	n.leading.Store(false)
	n.room.Demote(why)
	stopServing()
	<-served
	n.cfg.Logf("cluster node %s: stopped leading (term %d): %s", n.cfg.Node, term.Rev, why)
	if why != "lost the lease" {
		n.resign(ctx)
	}
	return nil
}

// promote hands the room a journal fenced by term (a fresh Journal, so its
// cached head is read anew); a room that holds facts the journal may not is
// rebuilt from it first.
func (n *Node) promote(ctx context.Context, term Term) error {
	fenced := NewJournal(n.cfg.Client, n.cfg.Site).Fenced(term, n.cfg.AppendTimeout)
	label := strconv.FormatInt(term.Rev, 10)
	err := n.room.Promote(fenced, label)
	if errors.Is(err, room.ErrResync) {
		n.resync(ctx)
		err = n.room.Promote(fenced, label)
	}
	return err
}

// holdTerm waits until the term ends and says why: the lease was lost, the
// node stops, or the room stopped leading by itself (its fenced append
// failed, or another node's records reached it). Snapshots from before the
// promotion name an older term and are passed over.
func (n *Node) holdTerm(ctx context.Context, lost <-chan struct{}, term string) string {
	sub := n.room.Subscribe()
	defer sub.Close()
	for {
		select {
		case <-lost:
			return "lost the lease"
		case <-ctx.Done():
			return "this node is shutting down"
		case s := <-sub.C():
			if s.Role == room.RoleReplica && s.LeaderTerm == term {
				if n.closing.Load() {
					return "this node is shutting down"
				}
				return "the room stopped leading"
			}
		}
	}
}

// resign gives the term up so another node need not wait for the lease
// (Close revokes the lease instead).
func (n *Node) resign(ctx context.Context) {
	if n.closing.Load() {
		return
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), n.cfg.AppendTimeout)
	defer cancel()
	if err := n.lead.Resign(rctx); err != nil {
		n.cfg.Logf("cluster node %s: %v", n.cfg.Node, err)
	}
}

// nodeLease is the room's view of the leader lease (room.Lease): a step of
// an action starts only if the lease, just renewed, outlasts the step.
type nodeLease struct{ n *Node }

func (l nodeLease) Remaining(ctx context.Context) (time.Duration, error) {
	return l.n.lead.LeaseRemaining(ctx)
}
