package room

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"warroom/backends/config"
	"warroom/backends/journal"
	"warroom/backends/notify"
)

// memOutbox records what the room hands over and, when j is set, how many
// records the journal held at that moment (the journal comes before the effect).
type memOutbox struct {
	mu    sync.Mutex
	j     *memJournal
	posts []notify.Post
	held  map[string]int // channel → journal records when its post arrived
	ch    chan notify.Post
}

func (o *memOutbox) Enqueue(channel string, p notify.Post) error {
	if channel == "refuses" {
		return errors.New("outbox full")
	}
	o.mu.Lock()
	o.posts = append(o.posts, p)
	if o.j != nil {
		if o.held == nil {
			o.held = map[string]int{}
		}
		o.held[channel] = len(o.j.records())
	}
	o.mu.Unlock()
	if o.ch != nil {
		o.ch <- p
	}
	return nil
}

func postConfig() *config.Config {
	cfg := testConfig()
	cfg.Notify.Cadence = 20 * time.Minute
	cfg.Notify.Contact = "#ops"
	cfg.Notify.Channels = []config.Channel{{Name: "slack", Kind: "slack", Public: true}, {Name: "ding", Kind: "dingtalk"}}
	return cfg
}

func postRoom(t *testing.T, j Journal, out Outbox, replay []journal.Record) *harness {
	t.Helper()
	return startRoom(t, Options{Config: postConfig(), Journal: j, Outbox: out, Replay: replay})
}

var hello = Announcement{Template: "investigating", Phase: "investigating", Title: "Mirrors degraded",
	Text: "We are investigating.", Channels: []string{"slack", "ding"}}

func TestAnnounceQueuesOncePerChannelAndIsIdempotent(t *testing.T) {
	j := &memJournal{}
	out := &memOutbox{j: j}
	h := postRoom(t, j, out, nil)
	ctx := context.Background()
	ids, err := h.r.Announce(ctx, hello, commander("mei"))
	if err != nil || len(ids) != 2 {
		t.Fatalf("announce: %v %v", ids, err)
	}
	if len(out.posts) != 2 || out.posts[0].Title != "Mirrors degraded" {
		t.Fatalf("outbox got %+v", out.posts)
	}
	got := j.kinds(t)
	if strings.Join(got, " ") != "room.opened: post.queued:slack post.queued:ding" {
		t.Fatalf("journal: %v", got)
	}
	for _, ch := range []string{"slack", "ding"} {
		held, ok := out.held[ch]
		if want := "post.queued:" + ch; !ok || !slices.Contains(got[:held], want) {
			t.Errorf("the %s post reached the outbox before its %s was journaled (journal then: %v)", ch, want, got[:held])
		}
	}
	// The same announcement again (a double key press, or a colleague): sent once.
	_, err = h.r.Announce(ctx, hello, commander("li.wei"))
	if err == nil || !strings.Contains(err.Error(), "already posted: slack (queued by mei at 03:00:00)") {
		t.Fatalf("second announce: %v", err)
	}
	if len(out.posts) != 2 {
		t.Fatalf("duplicate reached the outbox: %d posts", len(out.posts))
	}
	// A new update with new text is a new post.
	next := hello
	next.Text = "Failover done."
	h.clock.Advance(3 * time.Minute)
	if _, err := h.r.Announce(ctx, next, commander("mei")); err != nil {
		t.Fatal(err)
	}
	if _, err := h.r.Announce(ctx, Announcement{Text: "x", Channels: []string{"nope"}}, commander("mei")); err == nil || !strings.Contains(err.Error(), `no channel "nope"`) {
		t.Fatalf("unknown channel: %v", err)
	}
}

func TestPostReportsAndNextUpdateDue(t *testing.T) {
	j := &memJournal{}
	h := postRoom(t, j, &memOutbox{}, nil)
	ids, err := h.r.Announce(context.Background(), hello, commander("mei"))
	if err != nil {
		t.Fatal(err)
	}
	h.r.PostReport(notify.Report{PostID: ids[0], Channel: "slack", State: notify.StateSending, Attempt: 1})
	// "sending" is journaled by the time PostReport returns.
	if k := j.kinds(t); k[len(k)-1] != "post.sending:slack" {
		t.Fatalf("after the sending report returned, the journal ends with %v", k[len(k)-1])
	}
	h.clock.Advance(3 * time.Second)
	h.r.PostReport(notify.Report{PostID: ids[0], Channel: "slack", State: notify.StateSent, Attempt: 1})
	h.r.PostReport(notify.Report{PostID: ids[1], Channel: "ding", State: notify.StateSending, Attempt: 1})
	h.r.PostReport(notify.Report{PostID: ids[1], Channel: "ding", State: notify.StateRetrying, Attempt: 1,
		RetryAt: t0.Add(time.Minute), Err: "dingtalk: errcode 130101: send too fast"})
	s := h.settle()
	if s.Posts[0].State != PostSent || s.Posts[1].State != PostRetrying || s.Posts[1].Err != "dingtalk: errcode 130101: send too fast" {
		t.Fatalf("posts: %+v", s.Posts)
	}
	if want := t0.Add(3*time.Second + 20*time.Minute); !s.NextUpdateDue.Equal(want) {
		t.Fatalf("next update due %v, want %v", s.NextUpdateDue, want)
	}
	h.r.PostReport(notify.Report{PostID: ids[1], Channel: "ding", State: notify.StateFailed, Attempt: 5, Err: "dingtalk: errcode 310000: keywords not in content"})
	h.settle()
	out := h.r.opts.Outbox.(*memOutbox)
	if err := h.r.RetryPost(context.Background(), ids[1], commander("mei")); err != nil {
		t.Fatal(err)
	}
	if len(out.posts) != 3 || out.posts[2].ID != ids[1] {
		t.Fatalf("retry did not reach the outbox: %+v", out.posts)
	}
	if err := h.r.RetryPost(context.Background(), ids[0], commander("mei")); err == nil {
		t.Fatal("a sent post was sent again")
	}
}

func TestRestartResumesQueuedAndMarksInFlightUnknown(t *testing.T) {
	j := &memJournal{}
	h := postRoom(t, j, &memOutbox{}, nil)
	a2 := hello
	a2.Channels = []string{"slack"}
	a2.Text = "second"
	ids, err := h.r.Announce(context.Background(), hello, commander("mei"))
	if err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(3 * time.Minute)
	if _, err := h.r.Announce(context.Background(), a2, commander("mei")); err != nil {
		t.Fatal(err)
	}
	h.r.PostReport(notify.Report{PostID: ids[0], Channel: "slack", State: notify.StateSending, Attempt: 1})
	h.settle()

	recs := j.records()
	out := &memOutbox{ch: make(chan notify.Post, 10)}
	h2 := postRoom(t, &memJournal{}, out, recs)
	got := map[string]bool{}
	for i := 0; i < 2; i++ {
		select {
		case p := <-out.ch:
			got[p.ID] = true
		case <-time.After(5 * time.Second):
			t.Fatalf("queued posts not resumed; got %v", got)
		}
	}
	s := h2.settle()
	if got[ids[0]] || !got[ids[1]] || !got["post-3"] {
		t.Fatalf("resumed %v; want post-2 and post-3, not the in-flight post-1", got)
	}
	if s.Posts[0].State != PostUnknown {
		t.Fatalf("in-flight post after restart: %s", s.Posts[0].State)
	}
}

func TestMergedReportSettlesEveryPost(t *testing.T) {
	h := postRoom(t, &memJournal{}, &memOutbox{}, nil)
	ctx := context.Background()
	a := hello
	a.Channels = []string{"ding"}
	first, _ := h.r.Announce(ctx, a, commander("mei"))
	a.Text = "later"
	h.clock.Advance(3 * time.Minute)
	second, _ := h.r.Announce(ctx, a, commander("mei"))
	h.r.PostReport(notify.Report{PostID: second[0], IDs: []string{first[0], second[0]}, Channel: "ding", State: notify.StateSent, Attempt: 1})
	s := h.settle()
	for _, p := range s.Posts {
		if p.State != PostSent {
			t.Fatalf("%s is %s after the merged post was sent", p.ID, p.State)
		}
	}
	if !strings.Contains(s.Timeline[len(s.Timeline)-1].Text, "merged with 1 other updates") {
		t.Fatalf("timeline: %s", s.Timeline[len(s.Timeline)-1].Text)
	}
}

func TestPrefillFromDownMirrorsAndActions(t *testing.T) {
	s := &Snapshot{Site: "example", At: t0, Cadence: 30 * time.Minute, Contact: "#ops",
		Mirrors: []*MirrorView{{Name: "tokyo", Region: "ap-east", State: StateDown}, {Name: "osaka", Region: "ap-east", State: StateUp}},
		Actions: []ActionView{{Request: Request{Kind: Failover, From: "tokyo", To: "osaka"}, State: ActionSucceeded, EndedAt: t0.Add(-time.Minute)},
			{Request: Request{Kind: Failover, From: "x", To: "y"}, State: ActionFailed}}}
	f := Prefill(s, "en")
	if f.Scope != "1 of 2 mirrors down (tokyo) in ap-east" || f.Measures != "failover tokyo → osaka at 02:59 UTC" ||
		f.NextUpdate != "03:30 UTC" || f.Contact != "#ops" || f.DownMirrors != "tokyo" {
		t.Fatalf("prefill: %+v", f)
	}
}

func TestSameTemplateSoonAfterIsADuplicateButLaterUpdatesGoOut(t *testing.T) {
	h := postRoom(t, &memJournal{}, &memOutbox{}, nil)
	ctx := context.Background()
	if _, err := h.r.Announce(ctx, hello, commander("mei")); err != nil {
		t.Fatal(err)
	}
	again := hello
	again.Text = "We are investigating. (03:00:41)" // a second person, a moment later
	h.clock.Advance(41 * time.Second)
	if _, err := h.r.Announce(ctx, again, commander("li.wei")); err == nil {
		t.Fatal("the same template and phase 41 s later was sent twice")
	}
	h.clock.Advance(25 * time.Minute)
	again.Text = "Still investigating; next update 03:50."
	if _, err := h.r.Announce(ctx, again, commander("mei")); err != nil {
		t.Fatalf("a later update of the same phase was refused: %v", err)
	}
}

func TestSendingIsRefusedWhenTheJournalFails(t *testing.T) {
	j := &memJournal{}
	h := postRoom(t, j, &memOutbox{}, nil)
	ids, err := h.r.Announce(context.Background(), hello, commander("mei"))
	if err != nil {
		t.Fatal(err)
	}
	j.mu.Lock()
	j.fail = errors.New("disk full")
	j.mu.Unlock()
	if err := h.r.PostReport(notify.Report{PostID: ids[0], Channel: "slack", State: notify.StateSending, Attempt: 1}); err == nil {
		t.Fatal("an attempt the journal could not record was allowed to go out")
	}
}
