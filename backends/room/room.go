// Package room is the single owner of warroom's shared state: it takes
// observations and people's commands, records the facts as journal events,
// and publishes immutable snapshots to every view.
package room

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/actions"
	"warroom/backends/config"
	"warroom/backends/hosts"
	"warroom/backends/journal"
	"warroom/backends/mirrors"
)

// Journal is what the room needs of its event log: one synced append per batch.
type Journal interface {
	Append(objs ...[]byte) (firstSeq uint64, err error)
}

// Options configure a room.
type Options struct {
	Config  *config.Config
	Journal Journal          // nil: nothing is recorded (one-shot status)
	Replay  []journal.Record // the journal's records, replayed before Run
	Clock   clockwork.Clock  // nil: the real clock
	Demo    bool
	// TimelineSize is how many recent events snapshots carry (default 500).
	TimelineSize int
	// HistorySize is how many points latency and lag sparklines keep (default 60).
	HistorySize int
	// Executors by name, built from the config's actions.executors; an
	// executor missing here failed to load and is refused at use.
	Executors map[string]actions.Executor
	ReadOnly  bool // refuse every action (also set by actions.readonly)
	// Outbox delivers announcements; nil: announcing is refused.
	Outbox Outbox
	// Composer drafts and previews announcements for views; nil offers
	// no templates.
	Composer *Composer
	// HungGrace is how long an executor may overrun its timeout before the
	// room gives up on it (default 2s).
	HungGrace time.Duration
	// Drills wire fault injection for StartDrill; without an injector
	// drills are refused.
	Drills DrillOptions
	// Node and Region name this process in a cluster ("" outside one):
	// room.leader records Node, and its own probes are the Region's vantage.
	Node, Region string
	// Replica starts the room following a leader: it applies the records
	// given to Apply, records nothing, starts nothing and refuses commands
	// with ErrNotLeader until Promote (see mode.go).
	Replica bool
	// Lease is the leader's lease in a cluster (nil outside one): a step
	// of an action starts only while it has more left than the step's
	// timeout (see action_fence.go).
	Lease Lease
	// OnRecorded is told of each event this room journals, once the
	// journal took it (never replayed ones): counters such as actions by
	// outcome. It runs on the room goroutine, so it must be quick.
	OnRecorded func(Event)
}

// Room owns the state. Its methods may be called from any goroutine; all
// state changes happen on the goroutine running Run.
type Room struct {
	opts  Options
	clock clockwork.Clock
	inbox chan func()
	subs  subscribers

	latest atomic.Pointer[Snapshot]
	st     *state // touched only by the Run goroutine
	// runCtx is Run's context: workers started by the room stop with it.
	// Run sets it, then closes started; read it through ctx.
	runCtx  context.Context
	started chan struct{}
	// journal takes the records (nil: none, and on a replica); lead is
	// the present term's context. Both change only on the room goroutine.
	journal Journal
	lead    atomic.Pointer[leadership]
	pace    pace // touched only by the Run goroutine
}

// inboxSize bounds queued inputs; the room drains them in microseconds, so
// a full inbox means the room is wedged and back-pressure is the right answer.
const inboxSize = 4096

// New builds a room and replays the journal's records into it.
func New(opts Options) (*Room, error) {
	if opts.Config == nil {
		return nil, fmt.Errorf("room: no config")
	}
	if opts.Clock == nil {
		opts.Clock = clockwork.NewRealClock()
	}
	if opts.TimelineSize <= 0 {
		opts.TimelineSize = 500
	}
	if opts.HungGrace <= 0 {
		opts.HungGrace = 2 * time.Second
	}
	if opts.HistorySize <= 0 {
		opts.HistorySize = 60
	}
	r := &Room{opts: opts, clock: opts.Clock, inbox: make(chan func(), inboxSize), started: make(chan struct{})}
	r.st = newState(opts)
	for _, rec := range opts.Replay {
		if err := r.st.replayRecord(rec); err != nil {
			return nil, err
		}
	}
	if opts.Replica {
		r.st.cl = clusterMode{replica: true, clustered: true}
		r.publish()
		return r, nil // the leader restarted what it found; Promote does it here
	}
	r.journal = opts.Journal
	r.st.replayed = true
	r.st.forgetUnconfigured(r.clock.Now())
	r.st.unfinished(r.clock.Now())
	r.st.interruptedDrill(r.clock.Now())
	r.st.evalIncidentProposal(r.clock.Now())
	r.st.resume = r.st.interrupted(r.clock.Now())
	if err := r.st.flush(r.journal); err != nil {
		return nil, err
	}
	r.publish()
	return r, nil
}

// replayRecord applies one journal record, as at start.
func (st *state) replayRecord(rec journal.Record) error {
	var ev Event
	if err := json.Unmarshal(rec.Data, &ev); err != nil {
		return fmt.Errorf("room: replay journal record %d: %v", rec.Seq, err)
	}
	ev.Seq = rec.Seq
	st.apply(st.cleanEvent(ev)) // older builds journaled outside text raw
	return nil
}

// Run processes inputs until ctx is done. Inputs queued before Run are kept.
func (r *Room) Run(ctx context.Context) error {
	r.runCtx = ctx
	lead := newLeadership(ctx)
	if r.st.cl.replica {
		lead.cancel() // a replica starts nothing
	}
	r.lead.Store(lead)
	close(r.started)
	if !r.st.cl.replica { // the leader's room.leader says it opened
		r.st.record(Event{At: r.clock.Now(), Kind: EvRoomOpened, Level: "info",
			Text: r.st.openingLine(), Fields: MirrorFacts{Mirrors: len(r.st.mirrors)}.Fields()})
	}
	r.commit()
	r.enqueue(r.st.resume)
	r.st.resume = nil
	tick := r.clock.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.Chan():
			r.st.tick(r.clock.Now()) // a late tick carries an old time
			r.commit()
		case <-r.pace.due:
			r.commit()
		case fn := <-r.inbox:
			fn()
			// Take whatever else is waiting, then journal and publish once:
			// bursts of probe results cost one fsync and one snapshot (and
			// a stream of them a snapshot per publishGap).
			for n := 0; n < 256; n++ {
				select {
				case fn = <-r.inbox:
					fn()
					continue
				default:
				}
				break
			}
			r.commitPaced()
		}
	}
}

// commit writes pending events to the journal, then publishes if anything changed.
func (r *Room) commit() {
	r.journalPending()
	if r.st.dirty {
		r.publish()
	}
}

// journalPending writes pending events to the journal and starts what
// waited for them.
func (r *Room) journalPending() {
	var err error
	if refused := r.st.refusal(); refused != nil {
		err = refused // world facts wait for quorum (a replica has none)
	} else {
		r.st.runPaging(r.clock.Now()) // alert posts due now, journaled below
		err = r.st.flush(r.journal)   // a failure is kept in the state and shown
	}
	r.launch(err)
	r.handPages(err)
}

// launch starts the workers of actions requested by rules, once their
// request is journaled; a request the journal refused never runs.
func (r *Room) launch(flushErr error) {
	jobs := r.st.launches
	r.st.launches = nil
	for _, j := range jobs {
		if flushErr != nil {
			r.st.actionEnded(j.id, "", fmt.Errorf("not started: %v", flushErr), r.clock.Now())
			continue
		}
		go r.runJob(j)
	}
}

func (r *Room) publish() {
	snap := r.st.snapshot(r.clock.Now(), r.latest.Load())
	r.st.dirty = false
	r.pace.published()
	r.latest.Store(snap)
	r.subs.publish(snap)
}

// Subscribe returns a subscription that immediately holds the latest snapshot.
func (r *Room) Subscribe() *Subscription { return r.subs.add() }

// Snapshot returns the latest published snapshot.
func (r *Room) Snapshot() *Snapshot { return r.latest.Load() }

// Subscribers reports how many subscriptions are open (for presence and tests).
func (r *Room) Subscribers() int { return r.subs.count() }

// ObserveProbe queues a probe result. It is cheap and safe from any
// goroutine; it blocks only if the room is wedged.
func (r *Room) ObserveProbe(o mirrors.Observation) {
	r.inbox <- func() { r.st.observeProbe(o) }
}

// ObserveHost queues a host sample.
func (r *Room) ObserveHost(s hosts.Sample) {
	r.inbox <- func() { r.st.observeHost(s) }
}

// Ack acknowledges an alert on behalf of actor. It returns once the
// acknowledgement is journaled (or refused), or when ctx ends.
func (r *Room) Ack(ctx context.Context, alertID string, actor Actor) error {
	if err := allow(actor, PermAck); err != nil {
		return err
	}
	return r.do(ctx, func() (Event, error) { return r.st.ack(alertID, actor.Name, r.clock.Now()) })
}

// do runs a person's command on the room goroutine and waits for its
// outcome, which includes the journal write of its event.
func (r *Room) do(ctx context.Context, fn func() (Event, error)) error {
	return r.doMany(ctx, func() ([]Event, error) {
		ev, err := fn()
		return []Event{ev}, err
	}, nil)
}

// doMany is do for commands of several events (or none: world events the
// command recorded itself are flushed with them). then runs on the room
// goroutine once the events are journaled and applied.
func (r *Room) doMany(ctx context.Context, fn func() ([]Event, error), then func([]Event)) error {
	return r.query(ctx, func() error {
		if err := r.st.refusal(); err != nil {
			return err
		}
		evs, err := fn()
		if err == nil {
			err = r.st.flush(r.journal, evs...)
		}
		if err == nil && then != nil {
			then(evs)
		}
		return err
	})
}

// Settle waits until every input queued before it has been applied,
// journaled and published. One-shot commands and tests use it to read a
// snapshot that reflects what they sent.
func (r *Room) Settle(ctx context.Context) error {
	return r.query(ctx, func() error { r.commit(); return nil })
}
