package report

import (
	"context"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/actions"
	"warroom/backends/config"
	"warroom/backends/journal"
	"warroom/backends/mirrors"
	"warroom/backends/notify"
	"warroom/backends/room"
)

// switcher is a failover executor that always succeeds.
type switcher struct{}

func (switcher) Name() string                         { return "edge" }
func (switcher) Kind() string                         { return "haproxy" }
func (switcher) Plan(op actions.Op) ([]string, error) { return []string{"serve " + op.To}, nil }
func (switcher) Run(_ context.Context, op actions.Op, out func(string)) (string, error) {
	return op.To + " READY", nil
}
func (switcher) Check(context.Context) error { return nil }

// acceptAll takes every post; the test reports each one sent.
type acceptAll struct{}

func (acceptAll) Enqueue(string, notify.Post) error { return nil }

// liveRoom is a real room on a fake clock, journaling to a real file.
type liveRoom struct {
	t     *testing.T
	r     *room.Room
	clock *clockwork.FakeClock
	path  string
}

var roomStart = time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC)

func roomConfig() *config.Config {
	cfg := config.Default()
	cfg.Site = "test"
	mk := func(name, role string) config.Mirror {
		u, _ := url.Parse("http://" + name + ".invalid/")
		return config.Mirror{Name: name, URL: u, Region: "r-" + name, Role: role,
			Health: config.Health{Interval: time.Second, Timeout: 500 * time.Millisecond, FailAfter: 2, RecoverAfter: 2}}
	}
	cfg.Origin = mk("origin", "origin")
	cfg.Mirrors = []config.Mirror{mk("tokyo", "active"), mk("osaka", "backup"), mk("seoul", "backup")}
	cfg.Actions.Failover = "edge"
	cfg.Actions.Executors = []config.Executor{{Name: "edge", Timeout: time.Second, HAProxy: &config.HAProxyExecutor{}}}
	cfg.Notify.Channels = []config.Channel{{Name: "slack", Kind: "slack", Public: true}}
	cfg.Incident.RTO = 15 * time.Minute
	cfg.Alerting.Kinds = map[string]config.AlertKind{} // no holds: alerts at once, as these measures expect
	for _, k := range config.AlertKindNames {
		cfg.Alerting.Kinds[k] = config.AlertKind{}
	}
	cfg.ApplyDefaults()
	return &cfg
}

func startLiveRoom(t *testing.T, opts room.Options) *liveRoom {
	t.Helper()
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	j, _, err := journal.Open(path, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	clock := clockwork.NewFakeClockAt(roomStart)
	if opts.Config == nil {
		opts.Config = roomConfig()
	}
	opts.Journal, opts.Clock, opts.Outbox = j, clock, acceptAll{}
	opts.Executors = map[string]actions.Executor{"edge": switcher{}}
	r, err := room.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; j.Close() })
	return &liveRoom{t: t, r: r, clock: clock, path: path}
}

func (l *liveRoom) settle() *room.Snapshot {
	l.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := l.r.Settle(ctx); err != nil {
		l.t.Fatal(err)
	}
	return l.r.Snapshot()
}

// at moves the room clock to roomStart+d.
func (l *liveRoom) at(d time.Duration) time.Time {
	l.clock.Advance(roomStart.Add(d).Sub(l.clock.Now()))
	return l.clock.Now()
}

func (l *liveRoom) probe(name string, up bool, tls time.Time) {
	o := mirrors.Observation{Mirror: name, Start: l.clock.Now(), Status: 200, Latency: 20 * time.Millisecond, TLSExpiry: tls}
	if !up {
		o = mirrors.Observation{Mirror: name, Start: l.clock.Now(), Err: "unreachable: connection refused"}
	}
	l.r.ObserveProbe(o)
}

// waitAction polls the snapshots until action id has succeeded.
func (l *liveRoom) waitAction(id string) {
	l.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, a := range l.settle().Actions {
			if a.ID == id && a.State == room.ActionSucceeded {
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	l.t.Fatalf("action %s never succeeded", id)
}

// upAgain probes name successfully once a second from roomStart+from
// until the room sees it up, and returns when.
func (l *liveRoom) upAgain(name string, from time.Duration) time.Time {
	l.t.Helper()
	for i := range 100 {
		at := l.at(from + time.Duration(i)*time.Second)
		l.probe(name, true, time.Time{})
		for _, m := range l.settle().Mirrors {
			if m.Name == name && m.State == room.StateUp {
				return at
			}
		}
	}
	l.t.Fatalf("%s never came back up", name)
	return time.Time{}
}

func (l *liveRoom) report(id string) *Report {
	l.t.Helper()
	l.settle()
	r, err := FromJournal(l.path, id)
	if err != nil {
		l.t.Fatal(err)
	}
	return r
}

func measureOf(t *testing.T, r *Report, name string) time.Duration {
	t.Helper()
	for _, m := range r.Durations {
		if m.Name == name {
			if !m.Known {
				t.Fatalf("%s unknown", name)
			}
			return m.Took
		}
	}
	t.Fatalf("no measure %q in %+v", name, r.Durations)
	return 0
}

var (
	ana = room.Actor{Name: "ana", Role: room.RoleCommander}
	bo  = room.Actor{Name: "bo", Role: room.RoleOperator}
	cy  = room.Actor{Name: "cy", Role: room.RoleComms}
)

// TestReportOfAnIncidentDeclaredAfterTheWork drives a real room through
// an outage worked before anyone pressed I: the active mirror goes down,
// bo acknowledges, ana fails over, cy posts, ana declares, tokyo recovers.
// A backup's certificate expired long before (critical, unrelated).
func TestReportOfAnIncidentDeclaredAfterTheWork(t *testing.T) {
	l := startLiveRoom(t, room.Options{})
	ctx := context.Background()
	for _, m := range []string{"origin", "tokyo", "osaka", "seoul"} {
		l.probe(m, true, time.Time{})
	}
	l.at(time.Minute)
	l.probe("seoul", true, roomStart.Add(-time.Hour)) // expired: an unrelated critical alert
	l.at(10 * time.Minute)
	l.probe("tokyo", false, time.Time{})
	l.at(10*time.Minute + 5*time.Second)
	l.probe("tokyo", false, time.Time{}) // down: the first alert of the outage
	l.settle()
	l.at(11 * time.Minute)
	if err := l.r.Ack(ctx, "mirror-down/tokyo", bo); err != nil {
		t.Fatal(err)
	}
	l.at(12 * time.Minute)
	act, err := l.r.Act(ctx, room.Request{Kind: room.Failover, From: "tokyo", To: "osaka"}, ana)
	if err != nil {
		t.Fatal(err)
	}
	l.waitAction(act)
	l.at(13 * time.Minute)
	ids, err := l.r.Announce(ctx, room.Announcement{Template: "investigating", Phase: "investigating",
		Title: "Downloads switched to osaka", Text: "tokyo is down; osaka serves.", Channels: []string{"slack"}}, cy)
	if err != nil {
		t.Fatal(err)
	}
	l.r.PostReport(notify.Report{PostID: ids[0], Channel: "slack", State: notify.StateSent, Attempt: 1})
	l.settle()
	l.at(15 * time.Minute)
	id, err := l.r.Declare(ctx, room.IncidentSpec{Level: 2, Title: "tokyo down"}, ana)
	if err != nil {
		t.Fatal(err)
	}
	s := l.settle()
	inc := s.Incident
	firstAlert := roomStart.Add(10*time.Minute + 5*time.Second)
	if !inc.Detected.Equal(firstAlert) || !inc.RTODue.Equal(firstAlert.Add(15*time.Minute)) {
		t.Fatalf("detected %v, RTO due %v: want tokyo's outage at %v, not seoul's certificate", inc.Detected, inc.RTODue, firstAlert)
	}
	for n, when := range map[int]time.Duration{1: 11 * time.Minute, 2: 12 * time.Minute, 3: 13 * time.Minute} {
		st := inc.Steps[n-1]
		if !st.Done || !st.Auto || !st.At.Equal(roomStart.Add(when)) {
			t.Errorf("step %d (%s) = %+v, want ticked for what happened at %v", n, st.Name, st, roomStart.Add(when))
		}
	}
	if inc.Restored.IsZero() || !inc.Restored.Equal(roomStart.Add(12*time.Minute)) {
		t.Errorf("restored %v, want the failover at 03:12", inc.Restored)
	}
	l.at(29 * time.Minute)
	l.probe("seoul", true, roomStart.Add(30*24*time.Hour))
	// tokyo answers again, and is up once its error rate has eased.
	back := l.upAgain("tokyo", 30*time.Minute)

	r := l.report(id)
	for name, want := range map[string]time.Duration{
		"time to declare":            15*time.Minute - 10*time.Minute - 5*time.Second,
		"time to acknowledge":        55 * time.Second,
		"time to mitigate":           time.Minute + 55*time.Second,
		"time to first announcement": 2*time.Minute + 55*time.Second,
		"time to recover":            back.Sub(firstAlert),
	} {
		if got := measureOf(t, r, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	// tokyo's first failed probe (03:10:00) to its down alert (03:10:05).
	if got := measureOf(t, r, "time to detect"); got != 5*time.Second {
		t.Errorf("time to detect = %v, want 5s from tokyo's first failed probe", got)
	}
	if r.RTO.Verdict != Met || r.RTO.Achieved != time.Minute+55*time.Second {
		t.Errorf("RTO %+v, want met in 1m55s (the failover restored service)", r.RTO)
	}
	for n, when := range map[int]time.Duration{1: 11 * time.Minute, 2: 12 * time.Minute, 3: 13 * time.Minute} {
		st := r.Steps[n-1]
		if !st.Done || !st.At.Equal(roomStart.Add(when)) {
			t.Errorf("report step %d = %+v, want done at %v", n, st, roomStart.Add(when))
		}
	}
}

// Issue 12 item 14a: an incident marked mitigated and closed while the
// active mirror is still down did not meet its RTO.
func TestReportRTONotMetWhileTheActiveMirrorIsDown(t *testing.T) {
	l := startLiveRoom(t, room.Options{})
	ctx := context.Background()
	for _, m := range []string{"origin", "tokyo", "osaka", "seoul"} {
		l.probe(m, true, time.Time{})
	}
	l.at(10 * time.Minute)
	l.probe("tokyo", false, time.Time{})
	l.at(10*time.Minute + 5*time.Second)
	l.probe("tokyo", false, time.Time{})
	l.settle()
	l.at(11 * time.Minute)
	id, err := l.r.Declare(ctx, room.IncidentSpec{Level: 2, Title: "tokyo down"}, ana)
	if err != nil {
		t.Fatal(err)
	}
	l.at(12 * time.Minute)
	if err := l.r.Advance(ctx, room.StatusMitigated, ana); err != nil {
		t.Fatal(err)
	}
	l.at(40 * time.Minute)
	if err := l.r.Advance(ctx, room.StatusClosed, ana); err != nil {
		t.Fatal(err)
	}
	r := l.report(id)
	if r.RTO.Verdict != Missed {
		t.Fatalf("RTO %+v, want missed: tokyo, the active mirror, never came back", r.RTO)
	}
}
