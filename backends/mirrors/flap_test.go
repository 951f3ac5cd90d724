package mirrors

import (
	"testing"
	"time"

	"warroom/backends/config"
)

// demoFlap answers like the demo's flapping mirror (backends/sim): fine
// for 40 s, failing for 20 s, its first failure 15 s after the start.
func demoFlap(start time.Time) func(string, time.Time) string {
	return func(_ string, at time.Time) string {
		if into := (at.Sub(start) + 25*time.Second) % time.Minute; into >= 40*time.Second {
			return "got status 503"
		}
		return ""
	}
}

// downsOverTenMinutes counts the tracker's transitions to down for five
// mirrors (five phases) answering like the demo's flapping mirror.
func downsOverTenMinutes(t *testing.T, h config.Health) (downs int) {
	st := newStubbed(t, demoFlap(time.Date(2026, 8, 22, 12, 0, 0, 0, time.UTC)))
	st.s.Jitter = 0
	var targets []config.Mirror
	trackers := map[string]*Tracker{}
	for _, name := range fleetNames(5) {
		targets = append(targets, stubMirror(name, h))
		trackers[name] = NewTracker(h, testThresholds)
	}
	st.drive(t, targets, 10*time.Minute, 100*time.Millisecond)
	for len(st.obs) > 0 {
		o := <-st.obs
		if tr := trackers[o.Mirror]; tr.Observe(o) && tr.State() == StateDown {
			downs++
		}
	}
	return downs
}

// Retries confirm a failure sooner, not more often: on the demo's
// flapping mirror (probed every 3 s, down after 2 failures) they add no
// "down" over ten minutes.
func TestRetriesAddNoDownsOnTheDemosFlappingMirror(t *testing.T) {
	demo := config.Health{Interval: 3 * time.Second, Timeout: 2500 * time.Millisecond, FailAfter: 2, RecoverAfter: 2}
	before := downsOverTenMinutes(t, demo)
	demo.RetryInterval = config.DefaultRetryInterval(demo.Interval)
	after := downsOverTenMinutes(t, demo)
	t.Logf("demo health (3s, fail_after 2): %d downs in 10 min for 5 mirrors without retries, %d with %v retries", before, after, demo.RetryInterval)
	if after > before {
		t.Errorf("%d downs with retries, %d without: retries must not add downs", after, before)
	}
	if before == 0 {
		t.Error("no downs at all: the flapping model does not fail long enough to test anything")
	}

	// At the defaults (15s, fail_after 3) a 20 s outage was never
	// confirmed in 15 s steps; with retries it is, until the mirror counts
	// as flapping (FlapDowns downs), then retries stop (see confirmer).
	def := config.DefaultHealth()
	def.RetryInterval = 0
	before = downsOverTenMinutes(t, def)
	def.RetryInterval = config.DefaultRetryInterval(def.Interval)
	after = downsOverTenMinutes(t, def)
	t.Logf("default health (15s, fail_after 3): %d downs without retries, %d with %v retries", before, after, def.RetryInterval)
	if after > FlapDowns*5 {
		t.Errorf("%d downs with retries for 5 mirrors: retries must stop once a mirror is flapping (%d downs each)", after, FlapDowns)
	}
}
