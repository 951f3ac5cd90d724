package room

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"warroom/backends/config"
	"warroom/backends/journal"
	"warroom/backends/notify"
)

// pageBox records each post the room hands over, with its channel.
type pageBox struct {
	mu  sync.Mutex
	got []sentPage
}

type sentPage struct {
	channel string
	post    notify.Post
}

func (b *pageBox) Enqueue(channel string, p notify.Post) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.got = append(b.got, sentPage{channel, p})
	return nil
}

// to lists the posts channel got, in order.
func (b *pageBox) to(channel string) []notify.Post {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []notify.Post
	for _, s := range b.got {
		if s.channel == channel {
			out = append(out, s.post)
		}
	}
	return out
}

func pageConfig(mirrors int) *config.Config {
	cfg := testConfig()
	for i := range mirrors {
		m := cfg.Mirrors[1]
		m.Name = fmt.Sprintf("m%03d", i)
		cfg.Mirrors = append(cfg.Mirrors, m)
	}
	cfg.Notify.Channels = []config.Channel{{Name: "slack", Kind: "slack"}, {Name: "pd", Kind: config.ChannelPager},
		{Name: "mgr", Kind: "slack"}, {Name: "drills", Kind: "slack", Drill: true}}
	cfg.Alerting.Routes = []config.Route{{Name: "all", Receivers: []string{"slack", "pd"}, Escalate: []string{"mgr"},
		GroupWait: 30 * time.Second, GroupInterval: 5 * time.Minute, RepeatInterval: time.Hour, Resolved: true}}
	cfg.Thresholds.AckWithin = 5 * time.Minute
	return cfg
}

type pageHarness struct {
	*harness
	box  *pageBox
	path string
}

// pageRoom runs a room over a real journal at path (made in a temporary
// folder when ""), replaying what it holds.
func pageRoom(t *testing.T, cfg *config.Config, path string, at time.Time) *pageHarness {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "journal.jsonl")
	}
	j, recs, err := journal.Open(path, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	box := &pageBox{}
	h := startRoomAt(t, Options{Config: cfg, Journal: j, Replay: recs, Outbox: box}, at)
	t.Cleanup(func() { _ = j.Close() })
	return &pageHarness{harness: h, box: box, path: path}
}

// alert sets alert id (kind/subject) on or off, as a probe would.
func (h *pageHarness) alert(id string, on bool, sev Severity) {
	h.t.Helper()
	_, subject, _ := strings.Cut(id, "/")
	h.on(func() { h.r.st.setAlert(h.clock.Now(), id, on, sev, subject, id+" text") })
}

// on runs f on the room goroutine and waits until it is journaled.
func (h *pageHarness) on(f func()) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.r.query(ctx, func() error { f(); return nil }); err != nil {
		h.t.Fatal(err)
	}
	h.settle()
}

// after moves the clock on by d in steps of step, letting the room look
// at each.
func (h *pageHarness) after(d, step time.Duration) {
	for end := h.clock.Now().Add(d); h.clock.Now().Before(end); {
		h.clock.Advance(min(step, end.Sub(h.clock.Now())))
		h.settle()
	}
}

func firing(p notify.Post) string { return p.Page.Details["firing"] }

func TestPageGroupsTheBurstAfterGroupWait(t *testing.T) {
	h := pageRoom(t, pageConfig(0), "", t0)
	h.alert("mirror-down/tokyo", true, Critical)
	h.after(10*time.Second, time.Second)
	h.alert("mirror-down/osaka", true, Critical)
	h.after(19*time.Second, time.Second)
	if got := h.box.to("slack"); len(got) != 0 {
		t.Fatalf("paged before group_wait: %+v", got)
	}
	h.after(time.Second, time.Second)
	slack, pd := h.box.to("slack"), h.box.to("pd")
	if len(slack) != 1 || len(pd) != 1 {
		t.Fatalf("after group_wait: slack %d, pd %d posts; want one each", len(slack), len(pd))
	}
	if f := firing(slack[0]); f != "mirror-down/osaka, mirror-down/tokyo" {
		t.Errorf("one message for the burst should list both: %q", f)
	}
	if p := pd[0].Page; p.Action != notify.PageTrigger || p.DedupKey == "" || p.Severity != "critical" || p.Class != "mirror-down" {
		t.Errorf("pager trigger = %+v", p)
	}
	if h.box.to("mgr") != nil {
		t.Error("escalation receiver paged at once")
	}
	snap := h.settle()
	if a := alertByID(snap, "mirror-down/tokyo"); a == nil || strings.Join(a.Paged, ",") != "slack,pd" {
		t.Errorf("snapshot alert Paged = %+v", a)
	}

	// A third alert a minute later waits for group_interval after the first message.
	h.after(time.Minute, 10*time.Second)
	h.alert("mirror-lag/tokyo", true, Warning)
	h.after(3*time.Minute+50*time.Second, 10*time.Second)
	if n := len(h.box.to("slack")); n != 1 {
		t.Fatalf("an update went out before group_interval: %d posts", n)
	}
	h.after(10*time.Second, time.Second)
	slack = h.box.to("slack")
	if len(slack) != 2 || !strings.Contains(firing(slack[1]), "mirror-lag/tokyo") {
		t.Fatalf("update at group_interval: %d posts, last %q", len(slack), firing(slack[len(slack)-1]))
	}
	if pd = h.box.to("pd"); pd[len(pd)-1].Page.DedupKey != pd[0].Page.DedupKey {
		t.Errorf("an update in the same outage changed the dedup key: %q → %q", pd[0].Page.DedupKey, pd[len(pd)-1].Page.DedupKey)
	}
}

func TestPageRepeatsAcknowledgesEscalatesAndResolves(t *testing.T) {
	h := pageRoom(t, pageConfig(0), "", t0)
	h.alert("mirror-down/tokyo", true, Critical)
	h.alert("mirror-degraded/osaka", true, Warning)
	h.after(30*time.Second, 10*time.Second)
	trigger := h.box.to("pd")[0].Page.DedupKey

	// Unacknowledged past ack_within: the critical one escalates, once.
	h.after(5*time.Minute, 10*time.Second)
	mgr := h.box.to("mgr")
	if len(mgr) != 1 || firing(mgr[0]) != "mirror-down/tokyo" {
		t.Fatalf("escalation: %d posts %+v", len(mgr), mgr)
	}
	snap := h.settle()
	if a := alertByID(snap, "mirror-down/tokyo"); a == nil || strings.Join(a.EscalatedTo, ",") != "mgr" || a.EscalatedAt.IsZero() {
		t.Errorf("snapshot escalation = %+v", a)
	}
	if a := alertByID(snap, "mirror-degraded/osaka"); a.EscalatedTo != nil {
		t.Errorf("a warning escalated: %+v", a)
	}
	h.after(10*time.Minute, time.Minute)
	if n := len(h.box.to("mgr")); n != 1 {
		t.Errorf("escalated %d times; want once", n)
	}

	// Unacknowledged for repeat_interval: the same message again.
	h.after(45*time.Minute, time.Minute)
	slack := h.box.to("slack")
	if len(slack) != 2 {
		t.Fatalf("repeat: slack has %d posts", len(slack))
	}
	// Acknowledged: the pager hears it once, under the same dedup key; chat hears nothing.
	for _, id := range []string{"mirror-down/tokyo", "mirror-degraded/osaka"} {
		if err := h.r.Ack(context.Background(), id, commander("ana")); err != nil {
			t.Fatal(err)
		}
	}
	h.after(2*time.Hour, time.Minute)
	var acks []notify.Post
	for _, p := range h.box.to("pd") {
		if p.Page.Action == notify.PageAcknowledge && p.Page.DedupKey == trigger {
			acks = append(acks, p)
		}
	}
	if len(acks) != 1 {
		t.Errorf("acknowledges with the trigger's key: %d; want 1", len(acks))
	}
	if n := len(h.box.to("slack")); n != 2 {
		t.Errorf("acknowledged alerts still repeat or tell chat: slack has %d posts", n)
	}
	// Cleared: resolved to chat, resolve to the pager, same key; the
	// escalation's pager incident is not on a pager here.
	h.on(func() { // both at once: one resolution
		h.r.st.setAlert(h.clock.Now(), "mirror-down/tokyo", false, Critical, "tokyo", "")
		h.r.st.setAlert(h.clock.Now(), "mirror-degraded/osaka", false, Warning, "osaka", "")
	})
	h.after(time.Second, time.Second)
	slack, pd := h.box.to("slack"), h.box.to("pd")
	last := pd[len(pd)-1].Page
	if len(slack) != 3 || !strings.HasPrefix(slack[2].Page.Details["status"], notify.AlertResolved) ||
		last.Action != notify.PageResolve || last.DedupKey != trigger {
		t.Fatalf("resolution: slack %d posts, pd last %+v", len(slack), last)
	}
	// The next outage is a new pager incident.
	h.alert("mirror-down/tokyo", true, Critical)
	h.after(30*time.Second, 10*time.Second)
	pd = h.box.to("pd")
	if k := pd[len(pd)-1].Page.DedupKey; k == trigger || pd[len(pd)-1].Page.Action != notify.PageTrigger {
		t.Errorf("new outage: %+v (first outage key %q)", pd[len(pd)-1].Page, trigger)
	}
}

func TestPageNoEscalationAfterAnAck(t *testing.T) {
	h := pageRoom(t, pageConfig(0), "", t0)
	h.alert("mirror-down/tokyo", true, Critical)
	h.after(time.Minute, 10*time.Second)
	if err := h.r.Ack(context.Background(), "mirror-down/tokyo", commander("ana")); err != nil {
		t.Fatal(err)
	}
	h.after(10*time.Minute, 30*time.Second)
	if got := h.box.to("mgr"); got != nil {
		t.Errorf("escalated after an ack: %+v", got)
	}
}

func TestPageRestartNeverPagesTwice(t *testing.T) {
	cfg := pageConfig(0)
	dir := filepath.Join(t.TempDir(), "journal.jsonl")
	ctx := context.Background()
	run := func(at time.Time, f func(h *pageHarness)) *pageHarness {
		t.Helper()
		var h *pageHarness
		t.Run(fmt.Sprintf("at %s", at.Sub(t0)), func(t *testing.T) {
			h = pageRoom(t, cfg, dir, at)
			f(h)
		})
		return h
	}
	// 1: paged; slack's post is sent, pd's is being sent when warroom stops.
	first := run(t0, func(h *pageHarness) {
		h.alert("mirror-down/tokyo", true, Critical)
		h.after(30*time.Second, 10*time.Second)
		s, p := h.box.to("slack"), h.box.to("pd")
		if len(s) != 1 || len(p) != 1 {
			t.Fatalf("first room: slack %d, pd %d", len(s), len(p))
		}
		for _, rep := range []notify.Report{{PostID: s[0].ID, State: notify.StateSending, Attempt: 1},
			{PostID: s[0].ID, State: notify.StateSent, Attempt: 1}, {PostID: p[0].ID, State: notify.StateSending, Attempt: 1}} {
			if err := h.r.PostReport(rep); err != nil {
				t.Fatal(err)
			}
		}
		h.settle()
	})
	_ = first
	// 2: a new room over the same journal sends nothing again, and says the
	// pager's page is unknown.
	run(t0.Add(time.Minute), func(h *pageHarness) {
		h.after(2*time.Minute, 10*time.Second)
		if got := h.box.got; len(got) != 0 {
			t.Errorf("restart after sent/sending re-paged: %+v", got)
		}
		for _, p := range h.settle().Posts {
			if p.Channel == "pd" && p.State != PostUnknown {
				t.Errorf("pd post %s is %s; want unknown", p.ID, p.State)
			}
		}
		// 3: a post queued but not sent when it stops…
		h.alert("mirror-down/osaka", true, Critical)
		h.after(5*time.Minute, 30*time.Second)
		if n := len(h.box.to("slack")); n != 1 {
			t.Fatalf("update: slack %d", n)
		}
	})
	// …is sent again after the restart, the same post, and nothing else.
	run(t0.Add(10*time.Minute), func(h *pageHarness) {
		h.after(time.Minute, 10*time.Second)
		s := h.box.to("slack")
		if len(s) != 1 || !strings.Contains(firing(s[0]), "mirror-down/osaka") {
			t.Errorf("after restart slack got %d posts: %+v", len(s), s)
		}
		if n := len(h.box.to("pd")); n != 1 {
			t.Errorf("after restart pd got %d posts; want the queued one resent", n)
		}
		_ = ctx
	})
}

func TestPageStormIsAHandfulOfMessagesAndLosesNone(t *testing.T) {
	cfg := pageConfig(200)
	cfg.Alerting.Routes[0].GroupInterval = time.Minute
	h := pageRoom(t, cfg, "", t0)
	raised := map[string]bool{}
	kinds := []string{"mirror-down", "mirror-lag", "sync-error"}
	for i := range 500 { // one alert every 1.2 s for 10 minutes; every third clears 2.4 s later
		id := fmt.Sprintf("%s/m%03d", kinds[i/200], i%200)
		raised[id] = true
		h.alert(id, true, Warning)
		if i >= 2 && (i-2)%3 == 0 {
			j := i - 2
			h.alert(fmt.Sprintf("%s/m%03d", kinds[j/200], j%200), false, Warning)
		}
		h.clock.Advance(1200 * time.Millisecond)
	}
	h.after(3*time.Minute, 10*time.Second)
	listed := map[string]bool{}
	slack := h.box.to("slack")
	for _, p := range slack {
		for _, id := range strings.Split(firing(p)+", "+p.Page.Details["resolved"], ", ") {
			listed[id] = true
		}
	}
	missing := 0
	for id := range raised {
		if !listed[id] {
			missing++
		}
	}
	bound := int(10*time.Minute/cfg.Alerting.Routes[0].GroupInterval) + 2
	t.Logf("storm: %d alerts over 200 mirrors in 10m → slack %d messages, pd %d; %d missing", len(raised),
		len(slack), len(h.box.to("pd")), missing)
	if len(slack) > bound || len(h.box.to("pd")) > bound {
		t.Errorf("storm sent slack %d, pd %d messages; want at most %d", len(slack), len(h.box.to("pd")), bound)
	}
	if missing > 0 {
		t.Errorf("%d of %d alerts appear in no message", missing, len(raised))
	}
}

func TestPageDuringADrillGoesToDrillChannelsOnly(t *testing.T) {
	h := pageRoom(t, pageConfig(0), "", t0)
	h.on(func() { h.r.st.drill = &drillState{running: true} })
	h.alert("mirror-down/tokyo", true, Critical)
	h.after(6*time.Minute, 10*time.Second)
	for _, ch := range []string{"slack", "pd", "mgr"} {
		if got := h.box.to(ch); got != nil {
			t.Errorf("drill alert paged %s: %+v", ch, got)
		}
	}
	d := h.box.to("drills")
	if len(d) == 0 || !d[0].Drill {
		t.Errorf("drill channel got %+v; want the page marked as a drill", d)
	}
}

func TestPagerChannelsTakeNoAnnouncements(t *testing.T) {
	h := pageRoom(t, pageConfig(0), "", t0)
	_, err := h.r.Announce(context.Background(), Announcement{Title: "t", Text: "x", Channels: []string{"pd"}}, commander("mei"))
	if err == nil || !strings.Contains(err.Error(), "pd is a pagerduty channel") {
		t.Errorf("announce to a pager: %v", err)
	}
	for _, c := range h.settle().Channels {
		if c.Name == "pd" {
			t.Error("the composer is offered the pagerduty channel")
		}
	}
}
