package notify

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/notify/notifytest"
)

// testCtx bounds a test's waits so a bug fails it instead of hanging.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// newChannel builds a channel for a receiver.
func newChannel(t *testing.T, c config.Channel, clock clockwork.Clock) Channel {
	t.Helper()
	if c.Name == "" {
		c.Name = c.Kind + "-test"
	}
	ch, err := New(c, Options{Clock: clock})
	if err != nil {
		t.Fatalf("new %s channel: %v", c.Kind, err)
	}
	return ch
}

// mustErr asserts err is an *Error and returns it.
func mustErr(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("send returned %T %v, want *notify.Error", err, err)
	}
	return e
}

// sampleBody uses every piece of the Markdown subset.
const sampleBody = "We are investigating **slow downloads** in Asia.\n\n- tokyo-1 is down\n- sg-2 lags 3h\n\nStatus page: [status](https://status.example.org) & <more>"

var samplePost = Post{ID: "p1", Title: "告警 Mirror outage", Text: sampleBody}

// only returns the single post a receiver accepted.
func only(t *testing.T, r *notifytest.Receiver) notifytest.Received {
	t.Helper()
	ps := r.Posts()
	if len(ps) != 1 {
		t.Fatalf("%s receiver accepted %d posts, want 1 (rejections: %+v)", r.Kind(), len(ps), r.Rejections())
	}
	return ps[0]
}

// path reads a nested JSON value by keys and indexes.
func path(v any, keys ...any) any {
	for _, k := range keys {
		switch kk := k.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[kk]
		case int:
			a, _ := v.([]any)
			if kk >= len(a) {
				return nil
			}
			v = a[kk]
		}
	}
	return v
}

// reportLog collects a dispatcher's reports for a test.
type reportLog chan Report

func newReportLog() reportLog { return make(reportLog, 10000) }

func (l reportLog) report(r Report) error { l <- r; return nil }

// next returns the next report in one of the states (skipping others).
func (l reportLog) next(t *testing.T, ctx context.Context, states ...string) Report {
	t.Helper()
	for {
		select {
		case r := <-l:
			for _, s := range states {
				if r.State == s {
					return r
				}
			}
		case <-ctx.Done():
			t.Fatalf("no %v report: %v", states, ctx.Err())
		}
	}
}
