package room

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"warroom/backends/config"
	"warroom/backends/hosts"
	"warroom/backends/mirrors"
	"warroom/backends/textsafe"
)

// state is the room's data, touched only by the Run goroutine (and by New
// before Run starts).
type state struct {
	opts       Options
	cfg        *config.Config
	clean      textsafe.Cleaner // outside text: controls stripped, secrets masked
	origin     *mirrorState
	mirrors    []*mirrorState
	views      *viewQueue // mirrors whose views changed since the last snapshot
	byName     map[string]*mirrorState
	originHist *mirrors.OriginHistory

	host      *hostState
	nodeHosts map[string]*nodeHost // in a cluster, the other nodes' machines: see host_nodes.go
	fleet     fleetHosts           // the exporters' hosts: see host_fleet.go

	alerts        map[string]*Alert
	alertsChanged bool
	holds         map[string]*hold       // conditions waiting out for:/keep_for: (hysteresis.go)
	flaps         map[string][]time.Time // each mirror's recent state changes (flapping.go)
	// lastState is each mirror's state as last journaled, so a restart does
	// not re-announce what the timeline already says.
	lastState map[string]State

	// Actions: every action of the journal, the lock per target, the
	// proposals of rules, and the primary a failover replaced.
	acts           []*actionState
	actByID        map[string]*actionState
	running        map[string]string // lock key → action id
	nextAction     int
	proposals      map[string]*Proposal
	ruleSince      map[string]time.Time
	setAside       map[string]bool // rules whose proposal a person dismissed, until their condition clears
	primary        string          // the mirror traffic was failed over from, until failback
	standIn        string          // the mirror serving in its place
	launches       []*job          // auto actions to start once journaled
	held           map[string]*job // requests awaiting approval, by action id
	actionsChanged bool
	replayed       bool // replay is over: new facts may be recorded

	// Announcements: the outbox.
	posts        []*postState
	postByID     map[string]*postState
	nextPost     int
	nextUpdate   time.Time // when the next public update is due; zero before the first
	resume       []*postState
	postsChanged bool

	// Presence: who is in the room now (not replayed: sessions end with
	// the process), and who holds the pen.
	presence        map[string]*PresenceView
	nextPresence    int
	pen             string
	presenceChanged bool
	shared          sharedPresence // in a cluster: see presence_shared.go

	// Incidents and drills: see incident_state.go and drill_state.go.
	inc   incidents
	drill *drillState // nil until the first drill

	vant vantages // where the fleet is seen from: see vantage_state.go

	sil silences // people's silences and maintenance windows: see silence_state.go

	page paging // the routing engine: see paging*.go

	cl clusterMode // leader or replica, and quorum: see mode.go

	timeline   []Event
	lastSeq    uint64
	pending    []Event
	journalErr string
	dirty      bool
}

func newState(opts Options) *state {
	cfg := opts.Config
	st := &state{
		opts:       opts,
		cfg:        cfg,
		clean:      textsafe.New(cfg.Mask),
		byName:     make(map[string]*mirrorState),
		originHist: mirrors.NewOriginHistory(256),
		host:       newHostState(cfg, opts.HistorySize),
		fleet:      newFleetHosts(cfg, opts.HistorySize),
		alerts:     make(map[string]*Alert),
		lastState:  make(map[string]State),
		actByID:    make(map[string]*actionState),
		running:    make(map[string]string),
		proposals:  make(map[string]*Proposal),
		ruleSince:  make(map[string]time.Time),
		setAside:   make(map[string]bool),
		held:       make(map[string]*job),
		presence:   make(map[string]*PresenceView),
		postByID:   make(map[string]*postState),
		inc:        newIncidents(),
		vant:       newVantages(VantageID{Node: opts.Node, Region: opts.Region}),
		sil:        newSilences(cfg),
		page:       newPaging(cfg),
		dirty:      true,
	}
	st.host.local = true
	st.origin = newMirrorState(cfg.Origin, cfg, opts.HistorySize)
	st.byName[cfg.Origin.Name] = st.origin
	st.views = &viewQueue{full: true}
	for i, m := range cfg.Mirrors {
		ms := newMirrorState(m, cfg, opts.HistorySize)
		ms.idx, ms.views = i, st.views
		st.mirrors = append(st.mirrors, ms)
		st.byName[m.Name] = ms
	}
	return st
}

func (st *state) openingLine() string {
	kind := "room opened"
	if st.opts.Demo {
		kind = "demo room opened"
	}
	return fmt.Sprintf("%s: %s, %d mirrors", kind, st.cfg.Site, len(st.mirrors))
}

// record queues a world event and applies it at once: what the world did is
// true whether or not the journal can take it.
func (st *state) record(ev Event) {
	if st.cl.replica {
		return // the leader records the world; its records arrive by Apply
	}
	ev = st.cleanEvent(ev)
	st.pending = append(st.pending, ev)
	st.apply(ev)
}

// flush writes pending events, plus a person's command events, in one
// synced append. The command events take effect only once recorded; a
// failed journal is shown in every snapshot and refuses further commands.
func (st *state) flush(j Journal, cmds ...Event) error {
	world := st.pending
	st.pending = nil
	batch := append(world[:len(world):len(world)], cmds...)
	for i := len(world); i < len(batch); i++ {
		batch[i] = st.cleanEvent(batch[i])
	}
	if len(batch) == 0 {
		return nil
	}
	if st.journalErr != "" {
		return fmt.Errorf("journal failed earlier (%s): not recorded", st.journalErr)
	}
	first := st.lastSeq + 1
	if j != nil {
		objs := make([][]byte, len(batch))
		for i := range batch {
			b, err := json.Marshal(batch[i])
			if err != nil {
				return fmt.Errorf("room: encode event %s: %v", batch[i].Kind, err)
			}
			objs[i] = b
		}
		seq, err := j.Append(objs...)
		if err != nil {
			st.journalErr = err.Error()
			st.dirty = true
			return fmt.Errorf("journal: %v: not recorded", err)
		}
		first = seq
	}
	st.numberWorld(world, first)
	for i, ev := range batch[len(world):] {
		ev.Seq = first + uint64(len(world)+i)
		st.apply(ev)
	}
	if hook := st.opts.OnRecorded; hook != nil {
		for i, ev := range batch {
			ev.Seq = first + uint64(i)
			hook(ev)
		}
	}
	return nil
}

// cleanEvent is ev with its text from outside (answers, output, reasons,
// names) stripped of terminal controls and masked: every event passes here
// before it is journaled, applied or shown.
func (st *state) cleanEvent(ev Event) Event { return CleanEvent(ev, st.clean) }

// CleanEvent is ev with every text in it cleaned by c. The room cleans each
// event it records; readers of journals written by older builds clean too.
func CleanEvent(ev Event, c textsafe.Cleaner) Event {
	ev.Text = c.Line(ev.Text)
	ev.Subject = c.Line(ev.Subject)
	ev.Actor = c.Line(ev.Actor)
	ev.Level = c.Line(ev.Level)
	ev.cleanFields(c)
	return ev
}

// numberWorld gives the journal's sequence numbers to the timeline entries
// of the world events just written: they were applied when recorded, so
// those not quiet are the newest entries (or all that trimming kept).
func (st *state) numberWorld(world []Event, first uint64) {
	n := len(world)
	if n == 0 {
		return
	}
	at := len(st.timeline) - 1
	for k := n - 1; k >= 0 && at >= 0; k-- {
		if !world[k].Quiet() {
			st.timeline[at].Seq = first + uint64(k)
			at--
		}
	}
	st.lastSeq = first + uint64(n) - 1
}

// apply makes an event's effect on the room's durable state. Replay uses
// it too, so the room after a restart is the room before it.
func (st *state) apply(ev Event) {
	st.applyPaging(ev) // first: it remembers what a cleared alert was
	switch ev.Kind {
	case EvMirrorState:
		st.lastState[ev.Subject] = ev.MirrorFacts().To
		st.noteChange(ev)
	case EvAlertRaised:
		f := ev.AlertFacts()
		id := f.Alert
		a, ok := st.alerts[id]
		if !ok {
			a = &Alert{ID: id, Raised: ev.At}
			st.alerts[id] = a
		}
		a.Severity, a.Subject, a.Text = Severity(ev.Level), ev.Subject, f.Text
		a.Acked, a.AckedBy, a.AckedAt = false, "", time.Time{}
		a.External = externalView(ev)
		st.alertsChanged = true
	case EvAlertCleared:
		delete(st.alerts, ev.AlertFacts().Alert)
		st.alertsChanged = true
	case EvAlertAcked:
		if a, ok := st.alerts[ev.AlertFacts().Alert]; ok {
			a.Acked, a.AckedBy, a.AckedAt = true, ev.Actor, ev.At
			st.alertsChanged = true
		}
	case EvActionRequested, EvActionStarted, EvActionOutput, EvActionPaused, EvActionResumed, EvActionSucceeded,
		EvActionFailed, EvActionUnknown, EvActionProposed, EvActionDismissed, EvRollbackSeen,
		EvActionAwaiting, EvActionApproved, EvActionRejected, EvActionExpired:
		st.applyAction(ev)
	case EvPresenceJoined, EvPresenceLeft:
		st.applyPresence(ev)
	case EvPenHanded:
		st.pen = ev.PresenceFacts().To
		st.presenceChanged = true
	case EvRoomLeader:
		f := ev.LeaderFacts()
		st.cl.leader, st.cl.term = f.Node, f.Term
	case EvPostQueued, EvPostSending, EvPostSent, EvPostRetrying, EvPostFailed, EvPostUnknown, EvPostRequeued:
		st.applyPost(ev)
	case EvIncidentProposed, EvIncidentDeclared, EvIncidentLevel, EvIncidentCommander, EvIncidentStatus,
		EvIncidentStep, EvNoteAdded, EvNotePinned:
		st.applyIncident(ev)
	case EvDrillStarted, EvDrillFault, EvDrillEnded:
		st.applyDrill(ev)
	case EvSilenceAdded, EvSilenceExpired:
		st.applySilence(ev)
	}
	if ev.Seq > st.lastSeq {
		st.lastSeq = ev.Seq
	}
	if !ev.Quiet() {
		st.timeline = append(st.timeline, ev)
	}
	if n := st.opts.TimelineSize; len(st.timeline) > 2*n {
		// Snapshots share the backing array; copying drops the old one safely.
		st.timeline = append([]Event(nil), st.timeline[len(st.timeline)-n:]...)
	}
	st.dirty = true
	// Consequences recorded here follow ev in the timeline and the journal.
	st.followIncident(ev)
	st.followDrill(ev)
}

// forgetUnconfigured clears replayed alerts about mirrors and hosts that are
// no longer in the config: nothing would ever clear them. Alertmanager's
// alerts name its own subjects, and it resolves them itself.
func (st *state) forgetUnconfigured(now time.Time) {
	ids := make([]string, 0)
	for id, a := range st.alerts {
		if st.strayAlert(id, a) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		a := st.alerts[id]
		st.record(Event{At: now, Kind: EvAlertCleared, Subject: a.Subject, Level: "info",
			Text:   fmt.Sprintf("cleared: %s (no longer configured)", a.Text),
			Fields: AlertFacts{Alert: id}.Fields()})
	}
}

// strayAlert reports whether nothing would ever clear alert id: its mirror
// or its exporter is gone from the config, or it is about this machine under
// another name (renamed since the journal was written). A host alert naming
// no exporter waits for this machine's first sample, which gives its name.
func (st *state) strayAlert(id string, a *Alert) bool {
	switch {
	case isExternalAlert(id):
		return false
	case isHostAlert(id):
		if _, ok := st.fleet.by[a.Subject]; ok {
			return false
		}
		local := st.host.latest
		return local != nil && local.Host != a.Subject
	default:
		_, ok := st.byName[a.Subject]
		return !ok
	}
}

// setAlert raises, escalates, refreshes or clears the alert id so that it
// matches the condition on. A refresh of the wording alone is not an event.
func (st *state) setAlert(now time.Time, id string, on bool, sev Severity, subject, text string) {
	text = st.clean.Line(text) // as the raised event's copy is, or every tick differs
	on, sev, text = st.hysteresis(now, id, on, sev, subject, text)
	a, active := st.alerts[id]
	switch {
	case on && (!active || a.Severity != sev):
		st.record(Event{At: now, Kind: EvAlertRaised, Subject: subject, Level: string(sev),
			Text: fmt.Sprintf("%s alert: %s", sev, text), Fields: AlertFacts{Alert: id, Text: text}.Fields()})
	case on && a.Text != text:
		a.Text = text
		st.alertsChanged, st.dirty = true, true
	case !on && active:
		st.record(Event{At: now, Kind: EvAlertCleared, Subject: subject, Level: "ok",
			Text: "cleared: " + a.Text, Fields: AlertFacts{Alert: id}.Fields()})
	}
}

// ack validates an acknowledgement and returns its event.
func (st *state) ack(id, actor string, now time.Time) (Event, error) {
	a, ok := st.alerts[id]
	if !ok {
		return Event{}, fmt.Errorf("no active alert %q (it may have cleared)", id)
	}
	if a.Acked {
		return Event{}, fmt.Errorf("alert %q was already acknowledged by %s at %s", id, a.AckedBy, a.AckedAt.Format("15:04:05"))
	}
	if actor == "" {
		actor = "someone"
	}
	return Event{At: now, Kind: EvAlertAcked, Subject: a.Subject, Actor: actor, Level: "info",
		Text: fmt.Sprintf("%s acknowledged: %s", actor, a.Text), Fields: AlertFacts{Alert: id}.Fields()}, nil
}

func (st *state) observeHost(s hosts.Sample) {
	first := st.host.latest == nil
	st.host.observe(s)
	st.dirty = true
	if first {
		st.forgetUnconfigured(s.At) // now this machine's name is known
	}
	for _, c := range st.host.conditions(s) {
		st.setAlert(s.At, c.id, c.on, Warning, s.Host, c.text)
	}
}

// snapshot builds the next immutable snapshot, reusing what did not change.
func (st *state) snapshot(now time.Time, prev *Snapshot) *Snapshot {
	snap := &Snapshot{
		At: now, Site: st.cfg.Site, Demo: st.opts.Demo,
		Origin:     st.origin.view(),
		JournalErr: st.journalErr,
	}
	if prev != nil {
		snap.Seq = prev.Seq + 1
	}
	snap.Mirrors = st.mirrorViews(prev)
	snap.Host = st.host.view()
	snap.Fleet = st.fleetViews()
	snap.Hosts = st.nodeHostViews()
	if prev != nil && !st.actionsChanged {
		snap.Actions, snap.Proposals = prev.Actions, prev.Proposals
	} else {
		snap.Actions, snap.Proposals = st.actionViews(), st.proposalViews()
		st.actionsChanged = false
	}
	if prev != nil && !st.postsChanged {
		snap.Posts = prev.Posts
	} else {
		snap.Posts = st.postViews()
		st.postsChanged = false
	}
	snap.Channels = st.channelViews()
	snap.NextUpdateDue = st.nextUpdate
	snap.Contact, snap.Cadence = st.cfg.Notify.Contact, st.cfg.Notify.Cadence
	if prev != nil && !st.presenceChanged {
		snap.Presence = prev.Presence
	} else {
		snap.Presence = st.presenceViews()
		st.presenceChanged = false
	}
	snap.Pen, snap.PenRequired = st.pen, st.cfg.Actions.Pen
	snap.Incident, snap.IncidentProposal, snap.Drill = st.incidentView(), st.incidentProposal(), st.drillView(now)
	snap.Failback, snap.FailbackWait = st.failbackOffer()
	snap.Vantages, snap.Own = st.vantageViews(), st.ownVerdicts(prev)
	snap.ReadOnly = st.readOnly()
	snap.Role, snap.Leader, snap.LeaderTerm = st.cl.role(), st.cl.leader, st.cl.term
	if st.cl.noQuorum != "" {
		snap.NoQuorum, snap.NoQuorumWhy = NoQuorumText, st.cl.noQuorum
	}
	snap.Confirm = st.cfg.Actions.Confirm
	snap.CanFailover = st.cfg.Actions.Failover != "" && !snap.ReadOnly
	for _, t := range st.cfg.Actions.Rollback {
		snap.RollbackTargets = append(snap.RollbackTargets, t.Name)
	}
	if prev != nil && !st.alertsChanged {
		snap.Alerts = prev.Alerts
	} else {
		snap.Alerts = st.sortedAlerts()
		st.markSilenced(snap.Alerts, now)
		st.alertsChanged = false
	}
	snap.Silences = st.silenceViews(now)
	n := len(st.timeline)
	if n > st.opts.TimelineSize {
		snap.Timeline = st.timeline[n-st.opts.TimelineSize : n : n]
	} else {
		snap.Timeline = st.timeline[:n:n]
	}
	if n > 0 {
		snap.LastEventSeq = st.timeline[n-1].Seq
	}
	return snap
}

func (st *state) sortedAlerts() []Alert {
	out := make([]Alert, 0, len(st.alerts))
	for _, a := range st.alerts {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Acked != out[j].Acked {
			return !out[i].Acked
		}
		if !out[i].Raised.Equal(out[j].Raised) {
			return out[i].Raised.After(out[j].Raised)
		}
		return out[i].ID < out[j].ID
	})
	return out
}
