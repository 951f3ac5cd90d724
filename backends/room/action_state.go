package room

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"warroom/backends/actions"
	"warroom/backends/config"
)

// outputKept is how many output lines an action's view carries; the
// journal keeps them all (up to outputJournaled).
const (
	outputKept       = 20
	outputJournaled  = 500
	actionsKept      = 50
	siteLock         = "site"
	decisionRetry    = "retry"
	decisionContinue = "continue"
	decisionAbort    = "abort"
)

// actionState is the room's record of one action.
type actionState struct {
	view    ActionView
	dry     bool        // a drill's dry run: its success moves nothing
	lines   int         // output lines journaled so far
	decide  chan string // a paused job waits here for a person's decision
	watch   map[string]bool
	version string
	soak    time.Duration // the soak under way or just over
}

// job is what a worker needs to run one action outside the room.
type job struct {
	id      string
	exec    actions.Executor
	op      actions.Op
	timeout time.Duration
	batches [][]string    // nil: one run
	soak    time.Duration // rollback: the wait after each batch but the last
	decide  chan string
}

// lockKey is what one action at a time is allowed on.
func lockKey(r Request) string {
	if r.Kind == Rollback {
		return "rollback/" + r.Target
	}
	return siteLock
}

// requestEvent validates a request and returns its event and job. It runs
// on the room goroutine; nothing changes until the event is applied.
func (st *state) requestEvent(req Request, actor string, now time.Time) (Event, *job, error) {
	if st.readOnly() {
		return Event{}, nil, fmt.Errorf("this room is read-only: actions are disabled")
	}
	if id, busy := st.running[lockKey(req)]; busy {
		a := st.actByID[id]
		return Event{}, nil, fmt.Errorf("%s %s is already running: started by %s at %s; wait for it to end",
			a.view.Request.Kind, id, a.view.RequestedBy, a.view.RequestedAt.Format("15:04:05"))
	}
	actor = actorName(actor)
	p, exec, err := st.preview(req, actor)
	if err != nil {
		return Event{}, nil, err
	}
	id := fmt.Sprintf("act-%d", st.nextAction+1)
	f := ActionFacts{ID: id, Request: req, Executor: p.Executor, Plan: p.Plan, Batches: len(p.Batches),
		RPO: p.RPO, RPOKnown: p.RPOKnown, DryRun: st.drillDryRun()}
	ev := Event{At: now, Kind: EvActionRequested, Subject: subjectOf(req), Actor: actor, Level: "info",
		Text: fmt.Sprintf("%s confirmed %s (%s via %s)", actor, req.String(), id, p.Executor), Fields: f.Fields()}
	j := &job{id: id, exec: exec, op: opFor(req, st.cfg.Site, actor), timeout: p.Timeout,
		batches: p.Batches, soak: p.Soak, decide: make(chan string, 1)}
	return ev, j, nil
}

// attach gives a recorded action its worker's decision channel (replayed
// actions have none: no worker waits on them).
func (st *state) attach(j *job) {
	if a, ok := st.actByID[j.id]; ok {
		a.decide = j.decide
	}
}

func (st *state) readOnly() bool { return st.opts.ReadOnly || st.cfg.Actions.ReadOnly }

func subjectOf(r Request) string {
	if r.Kind == Rollback {
		return r.Target
	}
	return r.From
}

// describe names a request in one phrase: "failover tokyo → osaka".
// String names a request in one phrase, as the timeline, the panes and
// the commands all show it: "failover tokyo → osaka", "rollback web to
// 2026.11.20".
func (r Request) String() string {
	if r.Kind == Rollback {
		if r.Version == "" {
			return fmt.Sprintf("rollback %s (version to choose)", r.Target)
		}
		return fmt.Sprintf("rollback %s to %s", r.Target, r.Version)
	}
	return fmt.Sprintf("%s %s → %s", r.Kind, r.From, r.To)
}

func opFor(r Request, site, actor string) actions.Op {
	target := r.Target
	if target == "" {
		target = site
	}
	return actions.Op{Action: r.Kind, Target: target, From: r.From, To: r.To, Version: r.Version, Actor: actor}
}

// actorName is who a request is recorded and rendered as.
func actorName(name string) string {
	if name == "" {
		return "someone"
	}
	return name
}

// preview says what actor's request would run, without running anything;
// the plan is rendered with the op the run will get.
func (st *state) preview(req Request, actor string) (Preview, actions.Executor, error) {
	p := Preview{Request: req}
	var name string
	switch req.Kind {
	case Failover, Failback:
		name = st.cfg.Actions.Failover
		if name == "" {
			return p, nil, fmt.Errorf("no failover executor: set actions.failover in the config")
		}
		if err := st.checkMove(req); err != nil {
			return p, nil, err
		}
		if ms := st.byName[req.To]; ms != nil {
			p.RPO, p.RPOKnown = ms.pos.Lag, ms.pos.LagKnown
		}
	case Rollback:
		t, ok := st.rollbackTarget(req.Target)
		if !ok {
			return p, nil, fmt.Errorf("%q is not a rollback target (see actions.rollback)", req.Target)
		}
		if strings.TrimSpace(req.Version) == "" {
			return p, nil, fmt.Errorf("rollback %s: choose a version", req.Target)
		}
		name = t.Executor
		p.Batches = splitBatches(t.Instances, t.Batches)
		if len(p.Batches) > 1 {
			p.Soak = t.Soak
		}
	default:
		return p, nil, fmt.Errorf("unknown action %q: want failover, failback or rollback", req.Kind)
	}
	exec, ok := st.opts.Executors[name]
	if !ok {
		return p, nil, fmt.Errorf("executor %q is not available (its configuration failed to load)", name)
	}
	if st.drillDryRun() {
		exec = actions.DryRun(exec) // a rehearsal: plan and report, change nothing
	}
	p.Executor, p.Kind, p.Timeout = name, exec.Kind(), st.executorTimeout(name)
	op := opFor(req, st.cfg.Site, actor)
	if len(p.Batches) > 0 {
		for i, b := range p.Batches {
			op.Instances = b
			lines, err := exec.Plan(op)
			if err != nil {
				return p, nil, err
			}
			for _, l := range lines {
				p.Plan = append(p.Plan, fmt.Sprintf("batch %d/%d: %s", i+1, len(p.Batches), l))
			}
			if p.Soak > 0 && i < len(p.Batches)-1 {
				p.Plan = append(p.Plan, fmt.Sprintf("batch %d/%d: soak %s, then wait for continue or abort", i+1, len(p.Batches), soakText(p.Soak)))
			}
		}
	} else {
		lines, err := exec.Plan(op)
		if err != nil {
			return p, nil, err
		}
		p.Plan = lines
	}
	return p, exec, nil
}

// checkMove refuses moves that make no sense: unknown mirrors, a target
// that already serves, a source that does not.
func (st *state) checkMove(req Request) error {
	from, ok := st.byName[req.From]
	if !ok || from == st.origin {
		return fmt.Errorf("%s: %q is not a mirror", req.Kind, req.From)
	}
	to, ok := st.byName[req.To]
	if !ok || to == st.origin {
		return fmt.Errorf("%s: %q is not a mirror", req.Kind, req.To)
	}
	if req.From == req.To {
		return fmt.Errorf("%s: %s is both source and target", req.Kind, req.From)
	}
	if from.role != "active" {
		return fmt.Errorf("%s: %s is not serving traffic (active: %s)", req.Kind, req.From, strings.Join(st.activeNames(), ", "))
	}
	if to.role == "active" {
		return fmt.Errorf("%s: %s already serves traffic", req.Kind, req.To)
	}
	return nil
}

func (st *state) activeNames() []string {
	var out []string
	for _, m := range st.mirrors {
		if m.role == "active" {
			out = append(out, m.cfg.Name)
		}
	}
	return out
}

func (st *state) executorTimeout(name string) time.Duration {
	for _, e := range st.cfg.Actions.Executors {
		if e.Name == name && e.Timeout > 0 {
			return e.Timeout
		}
	}
	if st.cfg.Actions.Timeout > 0 {
		return st.cfg.Actions.Timeout
	}
	return time.Minute
}

// splitBatches cuts instances at cumulative percentages: [10 40 100] of
// ten instances is 1, 3 and 6. Every batch has at least one instance.
func splitBatches(instances []string, pcts []int) [][]string {
	if len(pcts) == 0 || len(instances) == 0 {
		return nil
	}
	var out [][]string
	done := 0
	for _, p := range pcts {
		upTo := (len(instances)*p + 99) / 100
		if upTo <= done {
			upTo = done + 1
		}
		if upTo > len(instances) {
			upTo = len(instances)
		}
		if upTo > done {
			out = append(out, instances[done:upTo])
			done = upTo
		}
	}
	return out
}

// applyAction makes an action event's effect; replay uses it too.
func (st *state) applyAction(ev Event) {
	f := ev.ActionFacts()
	if ev.Kind == EvActionProposed {
		st.proposals[f.Request.Rule] = &Proposal{Rule: f.Request.Rule, Request: f.Request, Reason: f.Reason, At: ev.At}
		st.actionsChanged = true
		return
	}
	if ev.Kind == EvActionDismissed {
		delete(st.proposals, f.Request.Rule)
		if ev.Actor != "" {
			st.setAside[f.Request.Rule] = true // not again until the condition clears
		}
		st.actionsChanged = true
		return
	}
	if ev.Kind == EvActionRequested || ev.Kind == EvActionAwaiting {
		a := &actionState{view: ActionView{
			ID: f.ID, Request: f.Request, Executor: f.Executor, RequestedBy: ev.Actor,
			RequestedAt: ev.At, State: ActionRequested, Plan: f.Plan, RPO: f.RPO, RPOKnown: f.RPOKnown,
			Batches: f.Batches,
		}}
		if ev.Kind == EvActionAwaiting {
			a.view.State = ActionAwaiting
			a.view.ApprovalDue = f.Expires
		}
		a.dry = f.DryRun
		st.acts = append(st.acts, a)
		st.actByID[a.view.ID] = a
		st.running[lockKey(a.view.Request)] = a.view.ID
		if n, err := strconv.Atoi(strings.TrimPrefix(a.view.ID, "act-")); err == nil && n > st.nextAction {
			st.nextAction = n
		}
		for rule, p := range st.proposals {
			if p.Request.Kind == a.view.Request.Kind && lockKey(p.Request) == lockKey(a.view.Request) {
				delete(st.proposals, rule)
			}
		}
		st.actionsChanged = true
		return
	}
	a, ok := st.actByID[f.ID]
	if !ok {
		return
	}
	applySoak(ev, f, a)
	v := &a.view
	switch ev.Kind {
	case EvActionApproved, EvActionRejected, EvActionExpired:
		st.applyApproval(ev, a)
	case EvActionStarted:
		v.State, v.StartedAt = ActionRunning, ev.At
	case EvActionOutput:
		v.Output = appendKept(v.Output, f.Line)
		a.lines++
		v.OutputLines = a.lines
	case EvActionPaused:
		v.State, v.Err, v.Batch = ActionPaused, f.Error, f.Batch
	case EvActionResumed:
		if f.Decision != decisionAbort {
			v.State, v.Err = ActionRunning, ""
		}
	case EvActionSucceeded:
		v.State, v.EndedAt, v.Confirmed = ActionSucceeded, ev.At, f.Confirmed
		st.release(a)
		if !a.dry {
			st.moved(a, ev.At)
		}
	case EvActionFailed:
		v.State, v.EndedAt, v.Err = f.State, ev.At, f.Error
		if v.State != ActionTimedOut {
			v.State = ActionFailed
		}
		st.release(a)
	case EvActionUnknown:
		v.State, v.EndedAt = ActionUnknown, ev.At
		st.release(a)
	case EvRollbackSeen:
		v.Verified, v.Watching, a.watch = true, nil, nil
	}
	v.Urgent = v.Urgent && v.State == ActionRequested
	st.actionsChanged = true
}

func appendKept(lines []string, line string) []string {
	if len(lines) >= outputKept {
		// Copy: snapshots may share the old backing array.
		lines = append([]string(nil), lines[len(lines)-outputKept+1:]...)
	}
	return append(lines, line)
}

func (st *state) release(a *actionState) {
	key := lockKey(a.view.Request)
	if st.running[key] == a.view.ID {
		delete(st.running, key)
	}
}

// moved applies a confirmed switch: the active marker moves only now,
// after the executor read the change back.
func (st *state) moved(a *actionState, now time.Time) {
	r := a.view.Request
	switch r.Kind {
	case Failover, Failback:
		from, to := st.byName[r.From], st.byName[r.To]
		if from == nil || to == nil {
			return
		}
		from.setRole("backup")
		to.setRole("active")
		if r.Kind == Failover && st.primary == "" {
			st.primary, st.standIn = r.From, r.To
		} else if r.Kind == Failover && st.standIn == r.From {
			st.standIn = r.To
		}
		if r.Kind == Failback || r.To == st.primary {
			st.primary, st.standIn = "", ""
		}
	case Rollback:
		t, ok := st.rollbackTarget(r.Target)
		if !ok || len(t.Mirrors) == 0 {
			return
		}
		a.version = r.Version
		a.watch = map[string]bool{}
		for _, m := range t.Mirrors {
			a.watch[m] = true
		}
		st.checkWatch(a, now)
	}
}

// checkWatch drops the watched mirrors that report the rolled-back version
// and records when none is left.
func (st *state) checkWatch(a *actionState, now time.Time) {
	if a.watch == nil {
		return
	}
	for name := range a.watch {
		if ms := st.byName[name]; ms != nil && reports(ms, a.version) {
			delete(a.watch, name)
		}
	}
	left := make([]string, 0, len(a.watch))
	for name := range a.watch {
		left = append(left, name)
	}
	sort.Strings(left)
	a.view.Watching = left
	st.actionsChanged = true
	if len(left) == 0 && st.replayed {
		a.watch = nil
		st.record(Event{At: now, Kind: EvRollbackSeen, Subject: a.view.Request.Target, Level: "ok",
			Text:   fmt.Sprintf("every watched mirror reports %s after rollback %s", a.version, a.view.ID),
			Fields: ActionFacts{ID: a.view.ID, Request: Request{Version: a.version}}.Fields()})
	}
}

// reports is true when a mirror's sync info names the version (label or serial).
func reports(ms *mirrorState, version string) bool {
	return ms.sync.Version == version || (ms.sync.Serial != 0 && strconv.FormatInt(ms.sync.Serial, 10) == version)
}

func (st *state) rollbackTarget(name string) (config.RollbackTarget, bool) {
	return findRollback(st.cfg, name)
}

func findRollback(cfg *config.Config, name string) (config.RollbackTarget, bool) {
	for _, r := range cfg.Actions.Rollback {
		if r.Name == name {
			return r, true
		}
	}
	return config.RollbackTarget{}, false
}

// unfinished marks actions the journal shows as started but never ended:
// the process died while they ran, so nobody knows how they ended.
func (st *state) unfinished(now time.Time) {
	for _, a := range st.acts {
		if a.view.State.Ended() {
			continue
		}
		if _, held := st.held[a.view.ID]; held && a.view.State == ActionAwaiting {
			continue // a new leader holds it again (reholdAwaiting)
		}
		if a.view.State == ActionAwaiting { // nothing ran; the worker is gone
			st.expire(a, now, "warroom restarted before anyone approved it")
			continue
		}
		st.record(Event{At: now, Kind: EvActionUnknown, Subject: subjectOf(a.view.Request), Level: "warning",
			Text: fmt.Sprintf("%s (%s) was %s when warroom stopped: outcome unknown — verify", a.view.Request.String(),
				a.view.ID, a.view.State),
			Fields: ActionFacts{ID: a.view.ID}.Fields()})
	}
}

// actionViews copies the recent actions for a snapshot.
func (st *state) actionViews() []ActionView {
	from := max(len(st.acts)-actionsKept, 0)
	out := make([]ActionView, 0, len(st.acts)-from)
	for _, a := range st.acts[from:] {
		v := a.view
		v.Output = v.Output[:len(v.Output):len(v.Output)]
		out = append(out, v)
	}
	return out
}

// proposalViews lists open proposals, oldest first.
func (st *state) proposalViews() []Proposal {
	out := make([]Proposal, 0, len(st.proposals))
	for _, p := range st.proposals {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].At.Before(out[j].At) || (out[i].At.Equal(out[j].At) && out[i].Rule < out[j].Rule)
	})
	return out
}
