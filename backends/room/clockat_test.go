package room

import (
	"testing"
	"time"
)

// A retry parked past today says its date, not only a time of day that
// reads like "later today".
func TestRetryTimeShowsTheDateWhenNotToday(t *testing.T) {
	now := time.Date(2026, 11, 21, 23, 55, 0, 0, time.UTC)
	if got := clockAt(now.Add(10*time.Minute), now); got != "2026-11-22 00:05:00" {
		t.Errorf("tomorrow: %q", got)
	}
	if got := clockAt(now.Add(time.Minute), now); got != "23:56:00" {
		t.Errorf("today: %q", got)
	}
}
