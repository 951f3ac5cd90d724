package main

import (
	"testing"
	"time"
)

// A short burst against the real limits, clock sped up: every id ends
// delivered (or failed with a reason), none is refused for rate, and the
// robots' 20 a minute forces merges.
func TestBurstLosesNothingAndKeepsLimits(t *testing.T) {
	res, err := runBurst(90, 90*time.Second, 30*time.Minute, 300, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range names {
		s := res.stats[ch]
		if res.lost[ch] != 0 || s.rateRefused != 0 || s.idsDelivered+s.failedIDs != 90 || s.enqueued != 90 {
			t.Errorf("%s: %+v lost %d", ch, *s, res.lost[ch])
		}
		if s.failedIDs != 0 {
			t.Errorf("%s: failures %v", ch, s.reasons)
		}
	}
	if dt := res.stats["dingtalk"]; dt.merged == 0 || dt.delivered >= 90 {
		t.Errorf("dingtalk: 90 posts in 90 s went out as %d posts, %d of them merged; 20 a minute forces merges", dt.delivered, dt.merged)
	}
}

func TestQuantile(t *testing.T) {
	ds := []time.Duration{5, 1, 4, 2, 3}
	if quantile(ds, 0.5) != 3 || quantile(ds, 1) != 5 || quantile(ds, 0.99) != 5 || quantile(nil, 0.5) != 0 {
		t.Errorf("quantiles of %v: %v %v", ds, quantile(ds, 0.5), quantile(ds, 0.99))
	}
}
