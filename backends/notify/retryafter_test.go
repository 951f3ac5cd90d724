package notify

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
)

// A real receiver answering 429 with an absurd Retry-After parks the post
// for at most MaxRetryAfter, in both of the header's forms, never overflowing.
func TestRetryAfterIsCapped(t *testing.T) {
	for _, v := range []string{"999999", "99999999999999999999", "9223372036", fixedNow.Add(11 * 24 * time.Hour).UTC().Format(http.TimeFormat)} {
		t.Run(v, func(t *testing.T) {
			ctx := testCtx(t)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", v)
				w.WriteHeader(http.StatusTooManyRequests)
			}))
			defer srv.Close()
			fc := clockwork.NewFakeClockAt(fixedNow)
			log := newReportLog()
			d := NewDispatcher([]Channel{newChannel(t, config.Channel{Name: "h", Kind: "webhook", URL: srv.URL + "/h"}, fc)},
				DispatchOptions{Clock: fc, Report: log.report})
			startDispatcher(t, d)
			if err := d.Enqueue("h", samplePost); err != nil {
				t.Fatal(err)
			}
			rep := log.next(t, ctx, StateRetrying, StateFailed)
			if rep.State != StateRetrying || !rep.RetryAt.Equal(fixedNow.Add(MaxRetryAfter)) {
				t.Fatalf("Retry-After %s: %+v, want a retry at %v", v, rep, fixedNow.Add(MaxRetryAfter))
			}
		})
	}
}
