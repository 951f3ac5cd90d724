package notify

import (
	"testing"

	"warroom/backends/config"
	"warroom/backends/notify/notifytest"
)

// Alert pages are never merged: a pager acts on each, and a merged post
// would carry one Page for several.
func TestPagesAreNeverMerged(t *testing.T) {
	slack := newChannel(t, config.Channel{Kind: "slack", URL: notifytest.StartSlack(t).URL()}, nil)
	page := pagePost(PageTrigger)
	cases := []struct {
		name string
		q    []Post
		want int
	}{
		{"announcements merge", []Post{samplePost, samplePost, samplePost}, 3},
		{"a page first", []Post{page, samplePost, samplePost}, 1},
		{"a page after announcements", []Post{samplePost, samplePost, page, samplePost}, 2},
	}
	for _, tc := range cases {
		if got := takeMerged(slack, tc.q); got != tc.want {
			t.Errorf("%s: takeMerged = %d, want %d", tc.name, got, tc.want)
		}
	}
	pd := pagerChannel(t, notifytest.StartPagerDuty(t))
	if got := takeMerged(pd, []Post{page, page, page}); got != 1 {
		t.Errorf("pagerduty channel: takeMerged = %d, want 1", got)
	}
}
