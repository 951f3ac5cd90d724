package room

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"warroom/backends/actions"
)

// Preview says what a request by actor would run, for the confirmation
// screen: the plan is rendered with the same data as the run, actor
// included. It runs nothing and may be called from any goroutine.
func (r *Room) Preview(ctx context.Context, req Request, actor Actor) (Preview, error) {
	var p Preview
	err := r.query(ctx, func() error {
		var err error
		p, _, err = r.st.preview(req, actorName(actor.Name))
		return err
	})
	return p, err
}

// Act records a person's confirmed request and starts it. It returns the
// action's id once the request is journaled; progress arrives in snapshots.
func (r *Room) Act(ctx context.Context, req Request, actor Actor) (string, error) {
	if err := allow(actor, PermAct); err != nil {
		return "", err
	}
	var j *job
	held := false
	err := r.doMany(ctx, func() ([]Event, error) {
		if err := r.st.holdsPen(actor); err != nil {
			return nil, err
		}
		ev, jb, err := r.st.requestEvent(req, actor.Name, r.clock.Now())
		if err == nil && r.st.needsApproval(req.Kind, actor) {
			r.st.holdForApproval(&ev, r.clock.Now())
		}
		j = jb
		if err != nil {
			return nil, err
		}
		return append([]Event{ev}, r.st.supersededBy(req, actorName(actor.Name), r.clock.Now())...), nil
	}, func(evs []Event) {
		if held = evs[0].Kind == EvActionAwaiting; held {
			r.st.held[j.id] = j // Approve starts it
			return
		}
		r.st.attach(j)
	})
	if err != nil {
		return "", err
	}
	if !held {
		go r.runJob(j)
	}
	return j.id, nil
}

// Decide tells a paused action how to go on: retry the failed batch,
// continue with the next, or abort; a soaking one (or one paused after
// its soak) takes continue or abort.
func (r *Room) Decide(ctx context.Context, id, decision string, by Actor) error {
	if err := allow(by, PermAct); err != nil {
		return err
	}
	actor := by.Name
	var ch chan string
	err := r.do(ctx, func() (Event, error) {
		a, ok := r.st.actByID[id]
		if err := r.st.holdsPen(by); err != nil {
			return Event{}, err
		}
		if !ok {
			return Event{}, fmt.Errorf("no action %q", id)
		}
		if err := checkDecision(a, decision); err != nil {
			return Event{}, err
		}
		ch = a.decide
		return Event{At: r.clock.Now(), Kind: EvActionResumed, Subject: subjectOf(a.view.Request), Actor: actor, Level: "info",
			Text:   decisionText(actor, decision, a.view),
			Fields: ActionFacts{ID: id, Decision: decision}.Fields()}, nil
	})
	if err != nil {
		return err
	}
	select {
	case ch <- decision:
	default: // the job already has a decision waiting
	}
	return nil
}

// Dismiss sets a rule's proposal aside.
func (r *Room) Dismiss(ctx context.Context, rule string, by Actor) error {
	if err := allow(by, PermAct); err != nil {
		return err
	}
	actor := by.Name
	return r.do(ctx, func() (Event, error) {
		p, ok := r.st.proposals[rule]
		if !ok {
			return Event{}, fmt.Errorf("no open proposal from rule %q", rule)
		}
		return Event{At: r.clock.Now(), Kind: EvActionDismissed, Subject: subjectOf(p.Request), Actor: actor, Level: "info",
			Text:   fmt.Sprintf("%s dismissed rule %s's proposal to %s", actor, rule, p.Request.String()),
			Fields: ActionFacts{Request: Request{Rule: rule}}.Fields()}, nil
	})
}

// Versions lists what a rollback target can go back to, newest first, from
// its executor's list step.
func (r *Room) Versions(ctx context.Context, target string) ([]Version, error) {
	t, ok := findRollback(r.opts.Config, target)
	if !ok {
		return nil, fmt.Errorf("%q is not a rollback target (see actions.rollback)", target)
	}
	l, ok := r.opts.Executors[t.Executor].(actions.Lister)
	if !ok {
		return nil, fmt.Errorf("rollback %s: executor %q has no list step to offer versions", target, t.Executor)
	}
	vs, err := l.List(ctx, actions.Op{Action: Rollback, Target: target})
	return versionsOf(vs), err
}

// runJob runs one action outside the room and reports every step back.
func (r *Room) runJob(j *job) {
	ctx := r.workCtx() // a demoted room's workers stop: the next leader says how they ended
	started := func() (Event, error) {
		a := r.st.actByID[j.id]
		text := fmt.Sprintf("%s started: %s", j.id, a.view.Request.String())
		if t := r.st.cl.term; t != "" {
			text += " (term " + t + ")"
		}
		return Event{At: r.clock.Now(), Kind: EvActionStarted, Subject: subjectOf(a.view.Request), Level: "info",
			Text: text, Fields: ActionFacts{ID: j.id, Term: r.st.cl.term}.Fields()}, nil
	}
	// do returns once the record is in the journal: with a cluster's fenced
	// journal, committed under this term (or read back after a lost reply).
	if err := r.do(ctx, started); err != nil {
		r.send(ctx, func() { r.st.actionEnded(j.id, "", fmt.Errorf("not started: %v", err), r.clock.Now()) })
		return
	}
	batches := j.batches
	if len(batches) == 0 {
		batches = [][]string{nil}
	}
	var confirmed string
	for i := 0; i < len(batches); i++ {
		prefix := ""
		if len(batches) > 1 {
			prefix = fmt.Sprintf("batch %d/%d: ", i+1, len(batches))
		}
		op := j.op
		op.Instances = batches[i]
		err := r.fenceStep(ctx, j.timeout)
		var got string
		if err == nil {
			got, err = r.runOnce(ctx, j, op, prefix)
		}
		if ctx.Err() != nil {
			return // shutting down: a restart shows the outcome as unknown
		}
		if err == nil {
			confirmed = got
			if len(batches) > 1 {
				r.send(ctx, func() { r.st.actionOutput(j.id, prefix+"done: "+got, r.clock.Now()) })
			}
			if j.soak > 0 && i < len(batches)-1 && !r.soak(ctx, j, i+1, len(batches)) {
				return
			}
			continue
		}
		if len(batches) == 1 {
			r.send(ctx, func() { r.st.actionEnded(j.id, "", err, r.clock.Now()) })
			return
		}
		batch := i + 1
		r.send(ctx, func() { r.st.actionPaused(j.id, batch, err, r.clock.Now()) })
		var decision string
		select {
		case decision = <-j.decide:
		case <-ctx.Done():
			return
		}
		switch decision {
		case decisionRetry:
			i--
		case decisionAbort:
			r.send(ctx, func() {
				r.st.actionEnded(j.id, "", fmt.Errorf("aborted after batch %d failed: %v", batch, err), r.clock.Now())
			})
			return
		}
	}
	r.send(ctx, func() { r.st.actionEnded(j.id, confirmed, nil, r.clock.Now()) })
}

// runOnce runs the executor with its timeout. An executor that ignores its
// context is abandoned a moment after the deadline: the room never waits
// on a hung executor.
func (r *Room) runOnce(ctx context.Context, j *job, op actions.Op, prefix string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, j.timeout)
	defer cancel()
	type result struct {
		confirmed string
		err       error
	}
	done := make(chan result, 1)
	go func() {
		c, err := j.exec.Run(ctx, op, func(line string) {
			r.send(ctx, func() { r.st.actionOutput(j.id, prefix+line, r.clock.Now()) })
		})
		done <- result{c, err}
	}()
	select {
	case res := <-done:
		if res.err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && !errors.Is(res.err, context.DeadlineExceeded) {
			res.err = fmt.Errorf("%w: %v", context.DeadlineExceeded, res.err)
		}
		return res.confirmed, res.err
	case <-ctx.Done():
		select {
		case res := <-done:
			return res.confirmed, res.err
		case <-time.After(r.opts.HungGrace):
			return "", fmt.Errorf("%w after %s: executor %s did not stop", context.DeadlineExceeded, j.timeout, j.exec.Name())
		}
	}
}

// send queues fn for the room goroutine unless the room is stopping.
func (r *Room) send(ctx context.Context, fn func()) {
	select {
	case r.inbox <- fn:
	case <-ctx.Done():
	}
}

func (st *state) actionOutput(id, line string, now time.Time) {
	a, ok := st.actByID[id]
	if !ok {
		return
	}
	if a.lines >= outputJournaled {
		if a.lines == outputJournaled {
			line = fmt.Sprintf("(output after %d lines is not kept)", outputJournaled)
		} else {
			return
		}
	}
	st.record(Event{At: now, Kind: EvActionOutput, Subject: subjectOf(a.view.Request), Level: "info",
		Text: fmt.Sprintf("%s: %s", id, line), Fields: ActionFacts{ID: id, Line: line}.Fields()})
}

func (st *state) actionPaused(id string, batch int, err error, now time.Time) {
	a := st.actByID[id]
	st.record(Event{At: now, Kind: EvActionPaused, Subject: subjectOf(a.view.Request), Level: "warning",
		Text:   fmt.Sprintf("%s paused: batch %d/%d failed: %v — retry, continue or abort?", id, batch, a.view.Batches, err),
		Fields: ActionFacts{ID: id, Batch: batch, Error: err.Error()}.Fields()})
}

// actionEnded records an action's outcome.
func (st *state) actionEnded(id, confirmed string, err error, now time.Time) {
	a := st.actByID[id]
	req := a.view.Request
	if err == nil {
		text := fmt.Sprintf("%s succeeded (%s): %s", req.String(), id, confirmed)
		f := ActionFacts{ID: id, Request: moveOf(req), Confirmed: confirmed, DryRun: a.dry}
		st.record(Event{At: now, Kind: EvActionSucceeded, Subject: subjectOf(req), Level: "ok", Text: text, Fields: f.Fields()})
		return
	}
	state := ActionFailed
	if errors.Is(err, context.DeadlineExceeded) {
		state = ActionTimedOut
	}
	msg := strings.TrimSpace(err.Error())
	st.record(Event{At: now, Kind: EvActionFailed, Subject: subjectOf(req), Level: "critical",
		Text:   fmt.Sprintf("%s %s (%s): %s", req.String(), state, id, msg),
		Fields: ActionFacts{ID: id, Request: Request{Kind: req.Kind}, State: state, Error: msg}.Fields()})
}
