package room

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/hosts"
	"warroom/backends/journal"
	"warroom/backends/mirrors"
)

var t0 = time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC)

// memJournal records appends in memory and can be made to fail.
type memJournal struct {
	mu   sync.Mutex
	recs [][]byte
	fail error
}

func (j *memJournal) Append(objs ...[]byte) (uint64, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.fail != nil {
		return 0, j.fail
	}
	first := uint64(len(j.recs)) + 1
	j.recs = append(j.recs, objs...)
	return first, nil
}

// records returns what was appended, as a journal would replay it.
func (j *memJournal) records() []journal.Record {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]journal.Record, len(j.recs))
	for i, b := range j.recs {
		out[i] = journal.Record{Seq: uint64(i + 1), Data: b}
	}
	return out
}

func (j *memJournal) events(t *testing.T) []Event {
	t.Helper()
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]Event, len(j.recs))
	for i, b := range j.recs {
		if err := json.Unmarshal(b, &out[i]); err != nil {
			t.Fatalf("record %d is not an event: %v", i, err)
		}
	}
	return out
}

func (j *memJournal) kinds(t *testing.T) []string {
	var ks []string
	for _, e := range j.events(t) {
		ks = append(ks, e.Kind+":"+e.Subject)
	}
	return ks
}

func testConfig() *config.Config {
	cfg := config.Default()
	cfg.Site = "test"
	mk := func(name, role string) config.Mirror {
		u, _ := url.Parse("http://" + name + ".invalid/")
		return config.Mirror{Name: name, URL: u, Region: "r1", Role: role,
			Health: config.Health{Interval: time.Second, Timeout: 500 * time.Millisecond, FailAfter: 2, RecoverAfter: 2}}
	}
	cfg.Origin = mk("origin", "origin")
	cfg.Mirrors = []config.Mirror{mk("tokyo", "active"), mk("osaka", "backup")}
	cfg.Thresholds.LagWarning = 10 * time.Minute
	cfg.Thresholds.LagCritical = time.Hour
	cfg.Alerting.Kinds = noHolds() // alerts at once; hysteresis_test.go tests the holds
	cfg.ApplyDefaults()
	return &cfg
}

// harness runs a room on a fake clock until the test ends.
type harness struct {
	t     *testing.T
	r     *Room
	clock *clockwork.FakeClock
	j     *memJournal
}

func newHarness(t *testing.T, j Journal, replay []journal.Record) *harness {
	t.Helper()
	return startRoom(t, Options{Config: testConfig(), Journal: j, Replay: replay})
}

// startRoom runs a room with opts on a fake clock until the test ends.
func startRoom(t *testing.T, opts Options) *harness {
	t.Helper()
	return startRoomAt(t, opts, t0)
}

// startRoomAt is startRoom with the clock at start.
func startRoomAt(t *testing.T, opts Options, start time.Time) *harness {
	t.Helper()
	clock := clockwork.NewFakeClockAt(start)
	opts.Clock = clock
	j := opts.Journal
	r, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	mem, _ := j.(*memJournal)
	return &harness{t: t, r: r, clock: clock, j: mem}
}

func (h *harness) settle() *Snapshot {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.r.Settle(ctx); err != nil {
		h.t.Fatal(err)
	}
	return h.r.Snapshot()
}

func ok(name string, at time.Time, sync mirrors.SyncInfo) mirrors.Observation {
	return mirrors.Observation{Mirror: name, Start: at, Status: 200, Latency: 20 * time.Millisecond, Sync: sync}
}

func fail(name string, at time.Time) mirrors.Observation {
	return mirrors.Observation{Mirror: name, Start: at, Err: "unreachable: connection refused"}
}

func mirrorView(s *Snapshot, name string) *MirrorView {
	for _, m := range s.Mirrors {
		if m.Name == name {
			return m
		}
	}
	return nil
}

func alertByID(s *Snapshot, id string) *Alert {
	for i := range s.Alerts {
		if s.Alerts[i].ID == id {
			return &s.Alerts[i]
		}
	}
	return nil
}

func TestActiveMirrorDownRaisesCriticalAlertAndRecovers(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	at := t0
	h.r.ObserveProbe(ok("tokyo", at, mirrors.SyncInfo{}))
	s := h.settle()
	if got := mirrorView(s, "tokyo").State; got != StateUp {
		t.Fatalf("after one good probe tokyo is %s, want up", got)
	}
	h.r.ObserveProbe(fail("tokyo", at.Add(time.Second)))
	s = h.settle()
	if got := mirrorView(s, "tokyo").State; got != StateUp {
		t.Fatalf("one lost probe flapped tokyo to %s", got)
	}
	h.r.ObserveProbe(fail("tokyo", at.Add(2*time.Second)))
	s = h.settle()
	if got := mirrorView(s, "tokyo").State; got != StateDown {
		t.Fatalf("after FailAfter failures tokyo is %s, want down", got)
	}
	a := alertByID(s, "mirror-down/tokyo")
	if a == nil || a.Severity != Critical || !strings.Contains(a.Text, "connection refused") {
		t.Fatalf("want a critical alert naming the reason, got %+v", a)
	}
	if !s.Critical() {
		t.Fatal("snapshot with a down active mirror is not critical")
	}
	h.r.ObserveProbe(ok("tokyo", at.Add(3*time.Second), mirrors.SyncInfo{}))
	h.r.ObserveProbe(ok("tokyo", at.Add(4*time.Second), mirrors.SyncInfo{}))
	s = h.settle()
	// Answering again, but 2 of its 5 probes failed: degraded, not up.
	if got := mirrorView(s, "tokyo"); got.State != StateDegraded || !strings.HasPrefix(got.Reason, "error rate 40%") {
		t.Fatalf("after RecoverAfter successes tokyo is %s (%s), want degraded by its error rate", got.State, got.Reason)
	}
	if alertByID(s, "mirror-down/tokyo") != nil || alertByID(s, "mirror-degraded/tokyo") == nil {
		t.Fatalf("want the down alert cleared and a degraded one raised: %+v", s.Alerts)
	}
	// The critical alert makes the room propose declaring an incident.
	want := []string{"room.opened:", "mirror.state:tokyo", "alert.raised:tokyo", "incident.proposed:", "mirror.state:tokyo", "alert.cleared:tokyo", "alert.raised:tokyo"}
	if got := h.j.kinds(t); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("journal:\n got %v\nwant %v", got, want)
	}
	// The timeline shows the same events, with the journal's numbers.
	if n := len(s.Timeline); n != 7 || s.Timeline[n-1].Seq != 7 || s.LastEventSeq != 7 {
		t.Fatalf("timeline has %d events, last seq %d", n, s.LastEventSeq)
	}
}

func TestBackupDownIsOnlyAWarning(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	h.r.ObserveProbe(fail("osaka", t0))
	h.r.ObserveProbe(fail("osaka", t0.Add(time.Second)))
	s := h.settle()
	a := alertByID(s, "mirror-down/osaka")
	if a == nil || a.Severity != Warning || s.Critical() {
		t.Fatalf("backup down: alert %+v, critical %v", a, s.Critical())
	}
}

func TestLagAndDriftAgainstOrigin(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	origin := mirrors.SyncInfo{Beacon: t0, Serial: 2026112105, Manifest: "aaa"}
	h.r.ObserveProbe(ok("origin", t0, origin))
	h.r.ObserveProbe(ok("tokyo", t0, mirrors.SyncInfo{Beacon: t0.Add(-15 * time.Minute), Serial: 2026112102}))
	h.r.ObserveProbe(ok("osaka", t0, mirrors.SyncInfo{Beacon: t0, Serial: 2026112105, Manifest: "bbb"}))
	s := h.settle()
	tk := mirrorView(s, "tokyo")
	if !tk.LagKnown || tk.Lag != 15*time.Minute || !tk.SerialKnown || tk.SerialsBehind != 3 {
		t.Fatalf("tokyo position: lag %v (%v), serials %d (%v)", tk.Lag, tk.LagKnown, tk.SerialsBehind, tk.SerialKnown)
	}
	if a := alertByID(s, "mirror-lag/tokyo"); a == nil || a.Severity != Warning || !strings.Contains(a.Text, "15m0s") {
		t.Fatalf("lag alert: %+v", a)
	}
	if !mirrorView(s, "osaka").Drift {
		t.Fatal("osaka serves another manifest at the origin's serial but shows no drift")
	}
	if a := alertByID(s, "mirror-drift/osaka"); a == nil || a.Severity != Critical {
		t.Fatalf("drift alert: %+v", a)
	}
	// The origin moves on and tokyo catches up: the lag alert clears.
	h.r.ObserveProbe(ok("tokyo", t0.Add(time.Minute), mirrors.SyncInfo{Beacon: t0, Serial: 2026112105}))
	s = h.settle()
	if alertByID(s, "mirror-lag/tokyo") != nil {
		t.Fatal("lag alert still open after tokyo caught up")
	}
}

func TestMalformedSyncIsAVisibleWarning(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	h.r.ObserveProbe(ok("tokyo", t0, mirrors.SyncInfo{Err: `lastsync: parse "abc": want seconds since epoch`}))
	s := h.settle()
	if got := mirrorView(s, "tokyo").SyncErr; !strings.Contains(got, "abc") {
		t.Fatalf("SyncErr = %q", got)
	}
	if a := alertByID(s, "sync-error/tokyo"); a == nil || a.Severity != Warning {
		t.Fatalf("sync error alert: %+v", a)
	}
}

func TestAckIsJournaledOnceAndRefusedTwice(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	h.r.ObserveProbe(fail("tokyo", t0))
	h.r.ObserveProbe(fail("tokyo", t0))
	h.settle()
	ctx := context.Background()
	if err := h.r.Ack(ctx, "mirror-down/tokyo", commander("li.wei")); err != nil {
		t.Fatal(err)
	}
	s := h.settle()
	a := alertByID(s, "mirror-down/tokyo")
	if a == nil || !a.Acked || a.AckedBy != "li.wei" {
		t.Fatalf("after ack: %+v", a)
	}
	err := h.r.Ack(ctx, "mirror-down/tokyo", commander("ana"))
	if err == nil || !strings.Contains(err.Error(), "li.wei") {
		t.Fatalf("second ack: err = %v, want it to name who acknowledged", err)
	}
	if err := h.r.Ack(ctx, "mirror-down/nowhere", commander("ana")); err == nil {
		t.Fatal("ack of an unknown alert succeeded")
	}
	evs := h.j.events(t)
	last := evs[len(evs)-1]
	if last.Kind != EvAlertAcked || last.Actor != "li.wei" {
		t.Fatalf("last journaled event %+v", last)
	}
}

func TestJournalFailureRefusesCommandsAndIsShown(t *testing.T) {
	j := &memJournal{}
	h := newHarness(t, j, nil)
	h.r.ObserveProbe(fail("tokyo", t0))
	h.r.ObserveProbe(fail("tokyo", t0))
	h.settle()
	j.mu.Lock()
	j.fail = errors.New("fdatasync: input/output error")
	j.mu.Unlock()
	err := h.r.Ack(context.Background(), "mirror-down/tokyo", commander("li.wei"))
	if err == nil {
		t.Fatal("ack succeeded although the journal failed")
	}
	s := h.settle()
	if a := alertByID(s, "mirror-down/tokyo"); a == nil || a.Acked {
		t.Fatalf("an unrecorded ack took effect: %+v", a)
	}
	if !strings.Contains(s.JournalErr, "input/output error") || !s.Critical() {
		t.Fatalf("JournalErr = %q, critical = %v", s.JournalErr, s.Critical())
	}
	// The world keeps being shown even though it is no longer recorded.
	h.r.ObserveProbe(ok("tokyo", t0.Add(time.Second), mirrors.SyncInfo{}))
	h.r.ObserveProbe(ok("tokyo", t0.Add(2*time.Second), mirrors.SyncInfo{}))
	if got := mirrorView(h.settle(), "tokyo").State; got != StateDegraded {
		t.Fatalf("tokyo is %s after answering again with a failed journal, want degraded (its outage's errors)", got)
	}
}

func TestStalledSubscriberNeverBlocksTheRoom(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	stalled := h.r.Subscribe() // never read
	defer stalled.Close()
	live := h.r.Subscribe()
	defer live.Close()
	for i := 0; i < 2000; i++ {
		h.r.ObserveProbe(ok("osaka", t0.Add(time.Duration(i)*time.Millisecond), mirrors.SyncInfo{}))
	}
	s := h.settle()
	var got *Snapshot
	select {
	case got = <-live.C():
	case <-time.After(5 * time.Second):
		t.Fatal("live subscriber got nothing")
	}
	if got.Seq != s.Seq {
		t.Fatalf("live subscriber holds seq %d, latest is %d: the slot must keep only the newest", got.Seq, s.Seq)
	}
	if last := mirrorView(got, "osaka").LastProbe; !last.Equal(t0.Add(1999 * time.Millisecond)) {
		t.Fatalf("newest snapshot shows probe at %v", last)
	}
	if len(stalled.C()) != 1 {
		t.Fatal("the stalled subscriber's slot should hold exactly one snapshot")
	}
	stalled.Close()
	live.Close()
	if n := h.r.Subscribers(); n != 0 {
		t.Fatalf("%d subscriptions left after closing both", n)
	}
}

func TestSnapshotsAreNotChangedAfterPublishing(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	h.r.ObserveProbe(ok("tokyo", t0, mirrors.SyncInfo{}))
	first := h.settle()
	firstTokyo := *mirrorView(first, "tokyo")
	firstTimeline := len(first.Timeline)
	for i := 0; i < 3; i++ {
		h.r.ObserveProbe(fail("tokyo", t0.Add(time.Duration(i+1)*time.Second)))
	}
	h.settle()
	if got := mirrorView(first, "tokyo"); got.State != firstTokyo.State || got.LastProbe != firstTokyo.LastProbe {
		t.Fatal("a published mirror view changed")
	}
	if len(first.Timeline) != firstTimeline {
		t.Fatal("a published timeline changed length")
	}
}

func TestHostThresholdsNeedToBeSustained(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	sustain := testConfig().Thresholds.Sustain
	sample := func(at time.Time, cpu float64) hosts.Sample {
		return hosts.Sample{Host: "bastion", At: at, CPUPercent: cpu, MemPercent: 40, DiskPercent: 50, DiskPath: "/"}
	}
	h.r.ObserveHost(sample(t0, 95))
	if s := h.settle(); alertByID(s, "host-cpu/bastion") != nil {
		t.Fatal("a single CPU spike raised an alert")
	}
	h.r.ObserveHost(sample(t0.Add(sustain), 96))
	s := h.settle()
	if a := alertByID(s, "host-cpu/bastion"); a == nil || !strings.Contains(a.Text, "CPU") {
		t.Fatalf("sustained CPU over 80 %% raised %+v", a)
	}
	if s.Host == nil || len(s.Host.CPU) != 2 {
		t.Fatalf("host history: %+v", s.Host)
	}
	h.r.ObserveHost(sample(t0.Add(sustain+time.Second), 20))
	if alertByID(h.settle(), "host-cpu/bastion") != nil {
		t.Fatal("CPU back under the limit but the alert stays")
	}
}

func TestRestartReplaysAlertsAndAcksWithoutRepeating(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/journal.jsonl"
	j, recs, err := journal.Open(path, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, j, recs)
	h.r.ObserveProbe(ok("osaka", t0, mirrors.SyncInfo{}))
	h.r.ObserveProbe(fail("tokyo", t0))
	h.r.ObserveProbe(fail("tokyo", t0))
	h.settle()
	if err := h.r.Ack(context.Background(), "mirror-down/tokyo", commander("li.wei")); err != nil {
		t.Fatal(err)
	}
	h.settle()
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}

	j2, recs2, err := journal.Open(path, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	before := len(recs2)
	mem := &memJournal{}
	h2 := newHarness(t, mem, recs2)
	s := h2.settle()
	a := alertByID(s, "mirror-down/tokyo")
	if a == nil || !a.Acked || a.AckedBy != "li.wei" {
		t.Fatalf("after restart the acknowledged alert is %+v", a)
	}
	if len(s.Timeline) < before {
		t.Fatalf("timeline lost events across restart: %d < %d", len(s.Timeline), before)
	}
	// Still down, still up: a restart adds no transitions to the record.
	h2.r.ObserveProbe(fail("tokyo", t0.Add(time.Minute)))
	h2.r.ObserveProbe(fail("tokyo", t0.Add(time.Minute)))
	h2.r.ObserveProbe(ok("osaka", t0.Add(time.Minute), mirrors.SyncInfo{}))
	h2.settle()
	for _, k := range mem.kinds(t) {
		if k != "room.opened:" {
			t.Fatalf("restart re-recorded %s", k)
		}
	}
}

// A burst larger than the timeline (a whole region going down at once) is
// journaled in one batch and numbered without running off the timeline.
func TestBurstLargerThanTheTimeline(t *testing.T) {
	cfg := testConfig()
	base := cfg.Mirrors[1]
	for i := 0; i < 300; i++ {
		m := base
		m.Name = fmt.Sprintf("m%03d", i)
		cfg.Mirrors = append(cfg.Mirrors, m)
	}
	j := &memJournal{}
	r, err := New(Options{Config: cfg, Journal: j, Clock: clockwork.NewFakeClockAt(t0), TimelineSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	// Inputs queued before Run are taken in one batch.
	for round := 0; round < 2; round++ {
		for _, m := range cfg.Mirrors {
			r.ObserveProbe(fail(m.Name, t0))
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = r.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	if err := r.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	s := r.Snapshot()
	total := uint64(len(j.events(t)))
	if total < 600 || s.LastEventSeq != total || len(s.Timeline) != 50 {
		t.Fatalf("journal has %d events, snapshot last seq %d, timeline %d", total, s.LastEventSeq, len(s.Timeline))
	}
	for i, e := range s.Timeline {
		if want := total - 49 + uint64(i); e.Seq != want {
			t.Fatalf("timeline[%d].Seq = %d, want %d", i, e.Seq, want)
		}
	}
}

func TestNewSubscriberStartsWithTheLatestSnapshot(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	h.r.ObserveProbe(ok("tokyo", t0, mirrors.SyncInfo{}))
	latest := h.settle()
	sub := h.r.Subscribe()
	defer sub.Close()
	select {
	case got := <-sub.C():
		if got != latest {
			t.Fatalf("new subscriber got seq %d, latest is %d", got.Seq, latest.Seq)
		}
	default:
		t.Fatal("a new subscriber's slot is empty: its view would stay blank until the next change")
	}
}
