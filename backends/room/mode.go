package room

import (
	"context"
	"errors"
	"fmt"
	"time"

	"warroom/backends/journal"
)

// A room in a cluster is the leader (it decides, records and runs side
// effects) or a replica (it applies the leader's records with the code
// that replays the journal, and does nothing else). Either may lose quorum:
// then it refuses every command and post until the cluster is whole.

// ErrNotLeader refuses a command on a replica: send it to the leader.
var ErrNotLeader = errors.New("not the leader")

// ErrNoQuorum refuses a command while the cluster has no quorum.
var ErrNoQuorum = errors.New("no quorum")

// ErrResync: the room holds facts the journal may not (a write whose
// outcome is unknown while it led). Resync it from the journal's start.
var ErrResync = errors.New("room: state may differ from the journal: resync it from the start")

// NotLeaderError is ErrNotLeader naming the leader when the room knows it.
type NotLeaderError struct{ Leader string }

func (e *NotLeaderError) Error() string {
	if e.Leader == "" {
		return "this node does not lead the room and knows no leader yet: try again in a moment"
	}
	return fmt.Sprintf("this node does not lead the room: %s does", e.Leader)
}

// Is makes errors.Is(err, ErrNotLeader) hold.
func (e *NotLeaderError) Is(target error) bool { return target == ErrNotLeader }

// NoQuorumText is what the snapshot and the header say without quorum.
const NoQuorumText = "no quorum — read-only"

// NoQuorumError is ErrNoQuorum with the cluster's reason.
type NoQuorumError struct{ Why string }

func (e *NoQuorumError) Error() string {
	s := NoQuorumText + ": nothing is recorded, run or sent until the cluster is whole"
	if e.Why != "" {
		s += " (" + e.Why + ")"
	}
	return s
}

// Is makes errors.Is(err, ErrNoQuorum) hold.
func (e *NoQuorumError) Is(target error) bool { return target == ErrNoQuorum }

// Roles of a room in a cluster, as Snapshot.Role says them.
const (
	RoleLeader  = "leader"
	RoleReplica = "replica"
)

// clusterMode is the room's place in a cluster; zero outside one.
type clusterMode struct {
	replica      bool   // follows a leader: records nothing, starts nothing
	clustered    bool   // Replica or promoted: snapshots say the role
	leader, term string // from the last room.leader applied
	noQuorum     string // non-empty: why the cluster has no quorum
	// diverged: facts were applied that the journal may not hold (a write
	// failed while this room led); only a resync makes it equal again.
	diverged bool
}

// refusal is why a person's command may not run now, or nil.
func (st *state) refusal() error {
	switch {
	case st.cl.noQuorum != "":
		return &NoQuorumError{Why: st.cl.noQuorum}
	case st.cl.replica:
		return &NotLeaderError{Leader: st.cl.leader}
	}
	return nil
}

func (cl clusterMode) role() string {
	switch {
	case !cl.clustered:
		return ""
	case cl.replica:
		return RoleReplica
	}
	return RoleLeader
}

// wait runs fn on the room goroutine and returns its error once it ran
// (or when the room stops).
func (r *Room) wait(fn func() error) error { return r.query(r.ctx(), fn) }

// Apply applies records of the replicated journal, in order, as replay
// does. Records the room holds already are skipped; a gap is an error.
// A leader given records it did not write stops leading: another node
// wrote the journal. ErrResync asks for Resync. It waits for Run.
func (r *Room) Apply(recs []journal.Record) error {
	return r.wait(func() error {
		for _, rec := range recs {
			if rec.Seq <= r.st.lastSeq {
				continue
			}
			if !r.st.cl.replica {
				r.demote("another node wrote the journal (seq " + fmt.Sprint(rec.Seq) + ")")
			}
			if r.st.cl.diverged {
				return ErrResync
			}
			if rec.Seq != r.st.lastSeq+1 {
				return fmt.Errorf("room: apply journal record %d: the room holds up to %d: records are missing", rec.Seq, r.st.lastSeq)
			}
			if err := r.st.replayRecord(rec); err != nil {
				return err
			}
		}
		return nil
	})
}

// Resync rebuilds the room's durable state from the journal's records
// from the start, as a replica; what it observed itself is kept.
func (r *Room) Resync(recs []journal.Record) error {
	return r.wait(func() error {
		r.demote("resync")
		nst := newState(r.opts)
		nst.carry(r.st)
		for _, rec := range recs {
			if err := nst.replayRecord(rec); err != nil {
				return err
			}
		}
		nst.actionsChanged, nst.postsChanged, nst.alertsChanged = true, true, true
		r.st = nst
		return nil
	})
}

// carry keeps in a rebuilt state what the journal does not hold: the
// probes' and samplers' readings, presence and the cluster's mode.
func (st *state) carry(old *state) {
	st.origin, st.mirrors, st.byName, st.originHist, st.host = old.origin, old.mirrors, old.byName, old.originHist, old.host
	st.views, st.views.full = old.views, true // the mirrors queue their views there
	st.nodeHosts, st.fleet = old.nodeHosts, old.fleet
	for _, ms := range st.byName {
		ms.setRole(ms.cfg.Role) // replay moves it again
	}
	st.presence, st.nextPresence, st.presenceChanged = old.presence, old.nextPresence, true
	st.shared.leftWhy, st.shared.complete = old.shared.leftWhy, old.shared.complete
	st.vant = old.vant // the other nodes' verdicts
	st.cl = clusterMode{replica: true, clustered: true, noQuorum: old.cl.noQuorum}
}

// Promote makes this room the leader, as a restart of the room on this
// node: j (the journal fenced by term) takes the records; room.leader is
// recorded; actions running on the old leader become "outcome unknown —
// verify" (never run again), an interrupted drill ends, requests awaiting
// approval wait on, queued posts resume; then commands are taken. The
// caller has applied every record first. On error the room stays a replica.
func (r *Room) Promote(j Journal, term string) error {
	return r.wait(func() error {
		st := r.st
		switch {
		case !st.cl.replica:
			return fmt.Errorf("room: promote to term %s: this room leads already (term %s)", term, st.cl.term)
		case st.cl.diverged:
			return ErrResync
		}
		now := r.clock.Now()
		st.cl.replica, st.replayed = false, true
		st.record(Event{At: now, Kind: EvRoomLeader, Level: "info",
			Text:   fmt.Sprintf("%s leads the room (term %s)", nodeName(r.opts.Node), term),
			Fields: LeaderFacts{Node: r.opts.Node, Term: term}.Fields()})
		st.forgetUnconfigured(now)
		st.reconcileMirrors(now)
		st.reholdAwaiting(now)
		st.unfinished(now)
		st.interruptedDrill(now)
		st.evalIncidentProposal(now)
		st.reconcilePresence(now)
		resume := st.interrupted(now)
		if err := st.flush(j); err != nil {
			r.demote("could not record the takeover")
			return fmt.Errorf("room: promote to term %s: %v", term, err)
		}
		r.journal = j
		r.lead.Store(newLeadership(r.ctx()))
		r.enqueue(resume)
		return nil
	})
}

// Demote makes the room a replica at once: no side effect starts from
// here on, running workers are cancelled (the next leader says how they
// ended), and what was not recorded is dropped. It waits for Run.
func (r *Room) Demote(why string) {
	_ = r.wait(func() error { r.demote(why); return nil })
}

// demote is Demote on the room goroutine.
func (r *Room) demote(why string) {
	st := r.st
	if l := r.lead.Load(); l != nil {
		l.cancel()
	}
	if st.cl.replica {
		return
	}
	if len(st.pending) > 0 || st.journalErr != "" {
		st.cl.diverged = true // applied when recorded, maybe never written
	}
	st.cl.replica, st.cl.clustered, st.replayed = true, true, false
	st.pending, st.launches, st.resume = nil, nil, nil
	st.held = make(map[string]*job)
	st.journalErr = "" // the old term's journal; the next leader has its own
	st.dirty = true
	r.journal = nil
	_ = why // the caller logs it; the room's mode shows in every snapshot
}

// SetQuorum says whether the cluster has quorum. Without it, every command
// and post is refused (the leader's fenced journal would fail anyway) and
// world facts wait to be recorded until it returns.
func (r *Room) SetQuorum(ok bool, why string) {
	r.inbox <- func() {
		if ok {
			r.st.cl.noQuorum = ""
		} else if why == "" {
			r.st.cl.noQuorum = "lost contact with most of the cluster"
		} else {
			r.st.cl.noQuorum = why
		}
		r.st.dirty = true
	}
}

// reholdAwaiting gives each request awaiting approval a job again, so an
// approval given to the new leader runs it; one whose plan no longer holds
// expires with the reason.
func (st *state) reholdAwaiting(now time.Time) {
	for _, a := range st.acts {
		if a.view.State != ActionAwaiting {
			continue
		}
		p, exec, err := st.preview(a.view.Request, a.view.RequestedBy)
		if err != nil {
			st.expire(a, now, "the new leader cannot run it: "+err.Error())
			continue
		}
		st.held[a.view.ID] = &job{id: a.view.ID, exec: exec, op: opFor(a.view.Request, st.cfg.Site, a.view.RequestedBy),
			timeout: p.Timeout, batches: p.Batches, decide: make(chan string, 1)}
	}
}

// leadership is the context of one term: the workers it starts stop with it.
type leadership struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func newLeadership(parent context.Context) *leadership {
	ctx, cancel := context.WithCancel(parent)
	return &leadership{ctx: ctx, cancel: cancel}
}

// workCtx is the context workers run under: the present term's.
func (r *Room) workCtx() context.Context {
	if l := r.lead.Load(); l != nil {
		return l.ctx
	}
	return r.ctx()
}

func nodeName(n string) string {
	if n == "" {
		return "this node"
	}
	return n
}

// query runs fn on the room goroutine and waits for its outcome; in any
// mode (commands check refusal themselves, in doMany).
func (r *Room) query(ctx context.Context, fn func() error) error {
	done := make(chan error, 1)
	select {
	case r.inbox <- func() { r.pace.urgent = true; done <- fn() }:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
