package mirrors

import (
	"testing"
	"time"
)

// Issue 12 item 14: the first sign of an outage is the first failed probe
// of the streak that took the mirror down, not the verdict FailAfter
// probes later; likewise the first slow probe, or the probe that took the
// error rate over its threshold, for a degradation.
func TestTrackerOnset(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 3, 10, 0, 0, time.UTC)
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * 15 * time.Second) }
	ok := func(ms int) Observation { return Observation{Latency: time.Duration(ms) * time.Millisecond} }
	bad := Observation{Err: "got status 503"}
	tests := []struct {
		name   string
		probes []Observation
		want   State
		onset  int // index of the probe Onset must name
	}{
		{"down: the first failure of the streak", []Observation{ok(10), bad, bad, bad}, StateDown, 1},
		{"down: a success restarts the streak", []Observation{ok(10), bad, ok(10), bad, bad, bad}, StateDown, 3},
		{"down from unknown", []Observation{bad, bad, bad}, StateDown, 0},
		{"degraded: the first slow probe", []Observation{ok(10), ok(10), ok(10), ok(10), ok(10), ok(100), ok(100), ok(100)}, StateDegraded, 5},
		{"degraded: the probe that took the error rate over",
			[]Observation{ok(10), ok(10), ok(10), ok(10), bad, ok(10), bad, ok(10)}, StateDegraded, 6},
		{"up: the state's own start", []Observation{bad, ok(10)}, StateUp, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTracker(testHealth, testThresholds)
			for i, o := range tc.probes {
				o.Start = at(i)
				tr.Observe(o)
			}
			last := at(len(tc.probes) - 1)
			if tr.State() != tc.want || !tr.Since().Equal(last) {
				t.Fatalf("state %s since %v, want %s since %v", tr.State(), tr.Since(), tc.want, last)
			}
			if got := tr.Onset(); !got.Equal(at(tc.onset)) {
				t.Errorf("Onset() = %v, want %v (probe %d)", got.Format("15:04:05"), at(tc.onset).Format("15:04:05"), tc.onset)
			}
		})
	}
}
