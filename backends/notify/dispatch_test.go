package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/notify/notifytest"
)

// startDispatcher runs d until the test ends.
func startDispatcher(t *testing.T, d *Dispatcher) context.CancelFunc {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := d.Run(ctx); err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	t.Cleanup(func() { cancel(); wg.Wait() })
	return cancel
}

func TestRetryAfterHonouredExactly(t *testing.T) {
	ctx := testCtx(t)
	fc := clockwork.NewFakeClockAt(fixedNow)
	r := notifytest.StartSlack(t)
	r.UseClock(fc)
	r.Script(notifytest.RateLimited("30"))
	log := newReportLog()
	d := NewDispatcher([]Channel{newChannel(t, config.Channel{Name: "s", Kind: "slack", URL: r.URL()}, fc)},
		DispatchOptions{Clock: fc, Report: log.report})
	startDispatcher(t, d)
	if err := d.Enqueue("s", samplePost); err != nil {
		t.Fatal(err)
	}
	rep := log.next(t, ctx, StateRetrying, StateSent, StateFailed)
	if rep.State != StateRetrying || !rep.RetryAt.Equal(fixedNow.Add(30*time.Second)) || rep.Err != "slack: HTTP 429: rate_limited" || rep.Attempt != 1 {
		t.Fatalf("after a 429 with Retry-After 30: %+v", rep)
	}
	if err := fc.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	fc.Advance(30 * time.Second)
	rep = log.next(t, ctx, StateSent, StateFailed)
	if rep.State != StateSent || rep.Attempt != 2 || rep.PostID != "p1" {
		t.Fatalf("second attempt: %+v", rep)
	}
	if got := only(t, r); !got.Time.Equal(fixedNow.Add(30 * time.Second)) {
		t.Errorf("retry reached Slack at %v, want exactly 30s after the 429", got.Time)
	}
}

func TestFiveAttemptsThenFailedWithBackoff(t *testing.T) {
	ctx := testCtx(t)
	fc := clockwork.NewFakeClockAt(fixedNow)
	r := notifytest.StartWebhook(t)
	for range 6 {
		r.Script(notifytest.ServerError(503))
	}
	log := newReportLog()
	d := NewDispatcher([]Channel{newChannel(t, config.Channel{Name: "w", Kind: "webhook", URL: r.URL()}, fc)},
		DispatchOptions{Clock: fc, Report: log.report, Seed: 7})
	startDispatcher(t, d)
	if err := d.Enqueue("w", samplePost); err != nil {
		t.Fatal(err)
	}
	base := 2 * time.Second
	for attempt := 1; attempt <= 4; attempt++ {
		rep := log.next(t, ctx, StateRetrying, StateSent, StateFailed)
		if rep.State != StateRetrying || rep.Attempt != attempt || rep.Err != "webhook: HTTP 503: upstream unavailable" {
			t.Fatalf("attempt %d: %+v", attempt, rep)
		}
		wait := rep.RetryAt.Sub(fc.Now())
		lo, hi := time.Duration(float64(base)*0.8), time.Duration(float64(base)*1.2)
		if wait < lo || wait > hi {
			t.Errorf("retry %d after %v, want %v ±20%%", attempt, wait, base)
		}
		base *= 2
		if err := fc.BlockUntilContext(ctx, 1); err != nil {
			t.Fatal(err)
		}
		fc.Advance(wait)
	}
	rep := log.next(t, ctx, StateRetrying, StateSent, StateFailed)
	if rep.State != StateFailed || rep.Attempt != 5 || rep.Err != "webhook: HTTP 503: upstream unavailable" {
		t.Fatalf("fifth attempt: %+v", rep)
	}
	if n := r.Requests(); n != 5 {
		t.Errorf("%d requests, want 5", n)
	}
}

func TestBackoffCappedAndJittered(t *testing.T) {
	d := NewDispatcher(nil, DispatchOptions{Seed: 3})
	seen := map[time.Duration]bool{}
	for i := 0; i < 50; i++ {
		if got := d.delay(20); got > MaxBackoff || got < time.Duration(float64(MaxBackoff)*0.8) {
			t.Fatalf("retry 20 waits %v, want ≤ %v and ≥ 80%% of it", got, MaxBackoff)
		}
		seen[d.delay(1)] = true
	}
	if len(seen) < 10 {
		t.Errorf("jitter gives only %d distinct first delays", len(seen))
	}
	a, b := NewDispatcher(nil, DispatchOptions{Seed: 9}), NewDispatcher(nil, DispatchOptions{Seed: 9})
	if a.delay(2) != b.delay(2) {
		t.Error("the same seed gives different delays")
	}
}

func TestRejectionsAreFinal(t *testing.T) {
	ctx := testCtx(t)
	fc := clockwork.NewFakeClockAt(fixedNow)
	s := notifytest.StartSlack(t)
	s.Script(notifytest.Answer{Status: 400, Body: "invalid_blocks"})
	dt := notifytest.StartDingTalk(t, "", "")
	dt.Script(notifytest.PlatformError(310000, "keywords not in content"))
	log := newReportLog()
	d := NewDispatcher([]Channel{
		newChannel(t, config.Channel{Name: "s", Kind: "slack", URL: s.URL()}, fc),
		newChannel(t, config.Channel{Name: "d", Kind: "dingtalk", URL: dt.URL()}, fc),
	}, DispatchOptions{Clock: fc, Report: log.report})
	startDispatcher(t, d)
	for _, ch := range []string{"s", "d"} {
		if err := d.Enqueue(ch, samplePost); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]Report{}
	for range 2 {
		rep := log.next(t, ctx, StateRetrying, StateSent, StateFailed)
		got[rep.Channel] = rep
	}
	if r := got["s"]; r.State != StateFailed || r.Attempt != 1 || r.Err != "slack: HTTP 400: invalid_blocks" {
		t.Errorf("slack 400: %+v", r)
	}
	if r := got["d"]; r.State != StateFailed || r.Attempt != 1 || r.Err != "dingtalk: errcode 310000: keywords not in content" {
		t.Errorf("dingtalk 310000: %+v", r)
	}
	if err := d.Enqueue("nope", samplePost); err == nil || !strings.Contains(err.Error(), `no channel "nope"`) {
		t.Errorf("unknown channel: %v", err)
	}
}

// Under DingTalk's 20 a minute, posts that pile up are merged into one post
// carrying every id; nothing is dropped and the robot never refuses one.
func TestMergeInsteadOfDropUnderRateLimit(t *testing.T) {
	ctx := testCtx(t)
	fc := clockwork.NewFakeClockAt(fixedNow)
	r := notifytest.StartDingTalk(t, "sec", "告警")
	r.EnforceLimits(fc)
	log := newReportLog()
	ch := newChannel(t, config.Channel{Name: "dt", Kind: "dingtalk", URL: r.URL(), Secret: "sec", Keyword: "告警"}, fc)
	d := NewDispatcher([]Channel{ch}, DispatchOptions{Clock: fc, Report: log.report})
	startDispatcher(t, d)
	post := func(i int) Post {
		return Post{ID: fmt.Sprintf("p%02d", i), Title: fmt.Sprintf("告警 update %d", i), Text: fmt.Sprintf("text of update %d", i)}
	}
	// 20 posts, 3 s apart: the window is full until the first leaves it.
	for i := range 20 {
		if i > 0 {
			fc.Advance(3 * time.Second)
		}
		if err := d.Enqueue("dt", post(i)); err != nil {
			t.Fatal(err)
		}
		if rep := log.next(t, ctx, StateSent, StateFailed, StateRetrying); rep.State != StateSent || rep.IDs != nil {
			t.Fatalf("post %d: %+v", i, rep)
		}
	}
	// Five more now (t0+57s): one slot frees at t0+60s.
	for i := 20; i < 25; i++ {
		if err := d.Enqueue("dt", post(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := fc.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if r.Requests() != 20 {
		t.Fatalf("%d requests before the window freed, want 20", r.Requests())
	}
	fc.Advance(3 * time.Second)
	rep := log.next(t, ctx, StateSent, StateFailed, StateRetrying)
	want := []string{"p20", "p21", "p22", "p23", "p24"}
	if rep.State != StateSent || strings.Join(rep.IDs, ",") != strings.Join(want, ",") || rep.PostID != "merged:p20..p24" {
		t.Fatalf("merged post: %+v", rep)
	}
	posts := r.Posts()
	if len(posts) != 21 || r.RateRejected() != 0 {
		t.Fatalf("robot accepted %d posts and refused %d for rate; want 21 and 0", len(posts), r.RateRejected())
	}
	md := posts[20].JSON["markdown"].(map[string]any)
	if md["title"] != "告警 update 24" {
		t.Errorf("merged title %q, want the newest", md["title"])
	}
	text := md["text"].(string)
	last := -1
	for i := 20; i < 25; i++ {
		at := strings.Index(text, fmt.Sprintf("text of update %d", i))
		if at <= last {
			t.Fatalf("merged text lacks update %d or has it out of order:\n%s", i, text)
		}
		last = at
	}
	if strings.Count(text, "\n---\n") != 4 {
		t.Errorf("merged texts are not separated by rules:\n%s", text)
	}
}

// A hung channel holds only its own worker.
func TestSlowChannelDoesNotDelayOthers(t *testing.T) {
	ctx := testCtx(t)
	fc := clockwork.NewFakeClockAt(fixedNow)
	slow := notifytest.StartSlack(t)
	slow.Script(notifytest.Hang())
	fast := notifytest.StartWeCom(t)
	log := newReportLog()
	d := NewDispatcher([]Channel{
		newChannel(t, config.Channel{Name: "slow", Kind: "slack", URL: slow.URL(), Timeout: time.Hour}, fc),
		newChannel(t, config.Channel{Name: "fast", Kind: "wecom", URL: fast.URL()}, fc),
	}, DispatchOptions{Clock: fc, Report: log.report})
	cancel := startDispatcher(t, d)
	if err := d.Enqueue("slow", samplePost); err != nil {
		t.Fatal(err)
	}
	if err := slow.WaitRequests(ctx, 1); err != nil {
		t.Fatal(err)
	}
	// Enqueue never waits for the hung channel.
	for i := range 1000 {
		if err := d.Enqueue("slow", Post{ID: fmt.Sprint("q", i), Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		if err := d.Enqueue("fast", Post{ID: fmt.Sprint("f", i), Title: "t", Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := fast.Wait(ctx, 3); err != nil {
		t.Fatal(err)
	}
	sent := 0
	for sent < 3 {
		rep := log.next(t, ctx, StateSent, StateFailed, StateRetrying)
		if rep.Channel != "fast" || rep.State != StateSent {
			t.Fatalf("unexpected report while slack hangs: %+v", rep)
		}
		sent++
	}
	cancel()
}

func TestNetworkErrorRetriedThenSent(t *testing.T) {
	ctx := testCtx(t)
	fc := clockwork.NewFakeClockAt(fixedNow)
	r := notifytest.StartFeishu(t, "fs")
	r.UseClock(fc)
	r.Script(notifytest.Reset())
	log := newReportLog()
	d := NewDispatcher([]Channel{newChannel(t, config.Channel{Name: "f", Kind: "feishu", URL: r.URL(), Secret: "fs"}, fc)},
		DispatchOptions{Clock: fc, Report: log.report})
	startDispatcher(t, d)
	if err := d.Enqueue("f", samplePost); err != nil {
		t.Fatal(err)
	}
	rep := log.next(t, ctx, StateRetrying, StateSent, StateFailed)
	if rep.State != StateRetrying || !strings.HasPrefix(rep.Err, "feishu: post to ") || strings.Contains(rep.Err, r.Token()) {
		t.Fatalf("reset: %+v", rep)
	}
	if err := fc.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	fc.Advance(rep.RetryAt.Sub(fc.Now()))
	if rep := log.next(t, ctx, StateRetrying, StateSent, StateFailed); rep.State != StateSent || rep.Attempt != 2 {
		t.Fatalf("after the reset: %+v", rep)
	}
}

func TestRunTwiceAndEnqueueAfterStop(t *testing.T) {
	r := notifytest.StartWebhook(t)
	d := NewDispatcher([]Channel{newChannel(t, config.Channel{Name: "w", Kind: "webhook", URL: r.URL()}, nil)}, DispatchOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := d.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if err := d.Run(ctx); err == nil {
		t.Error("a second Run was allowed")
	}
	if err := d.Enqueue("w", samplePost); err == nil || !strings.Contains(err.Error(), "stopped") {
		t.Errorf("enqueue after stop: %v", err)
	}
}

// TestUnrecordedAttemptIsNotSent: when the outbox cannot record "sending"
// (a failed journal), the post does not go out and ends failed.
func TestUnrecordedAttemptIsNotSent(t *testing.T) {
	ctx := testCtx(t)
	fc := clockwork.NewFakeClockAt(fixedNow)
	r := notifytest.StartSlack(t)
	log := newReportLog()
	report := func(rep Report) error {
		log.report(rep)
		if rep.State == StateSending {
			return errors.New("journal: disk full")
		}
		return nil
	}
	d := NewDispatcher([]Channel{newChannel(t, config.Channel{Name: "s", Kind: "slack", URL: r.URL()}, fc)},
		DispatchOptions{Clock: fc, Report: report})
	startDispatcher(t, d)
	if err := d.Enqueue("s", samplePost); err != nil {
		t.Fatal(err)
	}
	rep := log.next(t, ctx, StateSent, StateFailed)
	if rep.State != StateFailed || !strings.Contains(rep.Err, "could not record the attempt: journal: disk full") {
		t.Fatalf("report: %+v", rep)
	}
	if n := r.Requests(); n != 0 {
		t.Fatalf("%d requests reached Slack though the attempt was not recorded", n)
	}
}
