package mirrors

import (
	"math"
	"strings"
	"testing"
	"time"

	"warroom/backends/config"
)

// step is one probe result in a tracker script: "ok" (latency ms), or a
// failure reason.
type step struct {
	ms   int    // latency of a success
	err  string // failure reason; non-empty = failed probe
	want State  // state after this probe
}

func ok(ms int, want State) step       { return step{ms: ms, want: want} }
func fail(err string, want State) step { return step{err: err, want: want} }

func okN(n, ms int, want State) []step {
	s := make([]step, n)
	for i := range s {
		s[i] = ok(ms, want)
	}
	return s
}

func script(parts ...any) []step {
	var out []step
	for _, p := range parts {
		switch v := p.(type) {
		case step:
			out = append(out, v)
		case []step:
			out = append(out, v...)
		}
	}
	return out
}

var (
	testHealth     = config.Health{FailAfter: 3, RecoverAfter: 2}
	testThresholds = config.Thresholds{LatencyFactor: 2.0, ErrorRate: 0.05}
)

func TestTrackerTransitions(t *testing.T) {
	const (
		U = StateUnknown
		P = StateUp
		G = StateDegraded
		D = StateDown
	)
	refused := "unreachable: connection refused"
	tests := []struct {
		name   string
		steps  []step
		reason string // final Reason substring
	}{
		{"first success is up", script(ok(10, P)), ""},
		{"unknown waits for FailAfter failures", script(fail(refused, U), fail(refused, U), fail(refused, D)), refused},
		{"unknown then success", script(fail(refused, U), ok(10, P)), ""},
		{"one lost probe never flaps", script(okN(10, 10, P), fail("timeout after 5s", P), okN(10, 10, P)), ""},
		{"two lost probes never go down", script(okN(10, 10, P), fail("x", P), fail("x", P), ok(10, G)), "error rate"},
		{"down after FailAfter", script(okN(5, 10, P), fail("got status 503", P), fail("got status 503", P), fail("file not found", D)), "file not found"},
		{"down keeps newest reason", script(ok(10, P), fail("a", P), fail("b", P), fail("c", D), fail("timeout after 5s", D)), "timeout after 5s"},
		// A mirror answering again after failing half its recent probes is
		// not healthy: its outage's failures count as error rate.
		{"recover after RecoverAfter, degraded by the outage's errors",
			script(ok(10, P), fail("a", P), fail("a", P), fail("a", D), ok(10, D), ok(10, G)), "error rate 50% (3 of last 6"},
		{"recovery broken by a failure", script(ok(10, P), fail("a", P), fail("a", P), fail("a", D), ok(10, D), fail("a", D), ok(10, D), ok(10, G)), "error rate"},
		{"recovered mirror is up once its outage leaves the error window",
			script(okN(10, 10, P), fail("a", P), fail("a", P), fail("a", D), ok(10, D), okN(17, 10, G), ok(10, P)), ""},
		{"down twice is flapping",
			script(okN(5, 10, P), fail("a", P), fail("a", P), fail("a", D), ok(10, D), ok(10, G), fail("a", G), fail("a", G), fail("a", D), ok(10, D), ok(10, G)),
			"flapping: down 2 times in the last 15 probes"},
		// The first down (probe 8) leaves the 40-probe flapping window at probe 48.
		{"flapping clears when the first down leaves its window",
			script(okN(5, 10, P), fail("a", P), fail("a", P), fail("a", D), ok(10, D), ok(10, G), fail("a", G), fail("a", G), fail("a", D), ok(10, D), ok(10, G),
				okN(32, 10, G), ok(10, P)), ""},
		{"slow needs a baseline", script(ok(10, P), ok(100, P), ok(100, P), ok(100, P)), ""},
		{"slow for FailAfter probes degrades",
			script(okN(5, 10, P), ok(30, P), ok(30, P), ok(30, G)), "latency 3.0× baseline (30ms vs 10ms)"},
		{"one slow probe does not degrade", script(okN(5, 10, P), ok(30, P), ok(10, P), ok(30, P), ok(30, P)), ""},
		{"degraded recovers after RecoverAfter fast probes",
			script(okN(5, 10, P), ok(30, P), ok(30, P), ok(30, G), ok(10, G), ok(10, P)), ""},
		{"exactly factor is not slow", script(okN(5, 10, P), okN(5, 20, P)), ""},
		{"degraded goes down", script(okN(5, 10, P), ok(30, P), ok(30, P), ok(30, G), fail("x", G), fail("x", G), fail("x", D)), "x"},
		{"intermittent errors degrade", script(okN(18, 10, P), fail("x", P), ok(10, P), fail("x", P), ok(10, G)), "error rate 10% (2 of last 20"},
		// The first failure leaves the 20-probe window 20 probes after it.
		{"degraded by errors clears when the window does",
			script(okN(18, 10, P), fail("x", P), ok(10, P), fail("x", P), ok(10, G), okN(16, 10, G), ok(10, P)), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTracker(testHealth, testThresholds)
			at := time.Date(2026, 8, 22, 12, 0, 0, 0, time.UTC)
			prev := StateUnknown
			for i, s := range tc.steps {
				at = at.Add(15 * time.Second)
				o := Observation{Mirror: "tokyo", Start: at, Latency: time.Duration(s.ms) * time.Millisecond, Err: s.err}
				if s.err == "" {
					o.Status = 200
				}
				changed := tr.Observe(o)
				if got := tr.State(); got != s.want {
					t.Fatalf("probe %d (%+v): state %s, want %s (reason %q)", i, s, got, s.want, tr.Reason())
				}
				if changed != (s.want != prev) {
					t.Fatalf("probe %d: changed=%v but state went %s → %s", i, changed, prev, s.want)
				}
				if changed && !tr.Since().Equal(at) {
					t.Fatalf("probe %d: Since=%v, want %v", i, tr.Since(), at)
				}
				prev = s.want
			}
			if tc.reason == "" && tr.State() == StateUp && tr.Reason() != "" {
				t.Errorf("up with reason %q", tr.Reason())
			}
			if !strings.Contains(tr.Reason(), tc.reason) {
				t.Errorf("reason %q does not contain %q", tr.Reason(), tc.reason)
			}
		})
	}
}

func TestTrackerAccessors(t *testing.T) {
	tr := NewTracker(testHealth, testThresholds)
	if tr.State() != StateUnknown || !tr.Since().IsZero() || tr.Baseline() != 0 || tr.ErrorRate() != 0 {
		t.Fatalf("fresh tracker: %s %v %v %v", tr.State(), tr.Since(), tr.Baseline(), tr.ErrorRate())
	}
	for i := range 4 {
		tr.Observe(Observation{Latency: time.Duration(10+i) * time.Millisecond})
	}
	if tr.Baseline() != 0 {
		t.Errorf("baseline with 4 samples = %v, want 0 (not ready)", tr.Baseline())
	}
	tr.Observe(Observation{Latency: 100 * time.Millisecond})
	if tr.Baseline() != 12*time.Millisecond {
		t.Errorf("baseline = %v, want median 12ms", tr.Baseline())
	}
	tr.Observe(Observation{Err: "x"})
	if got := tr.ErrorRate(); got != 1.0/6 {
		t.Errorf("ErrorRate = %v, want 1/6", got)
	}
	h := tr.LatencyHistory()
	if len(h) != 6 || h[0] != 10 || h[4] != 100 || !math.IsNaN(h[5]) {
		t.Errorf("LatencyHistory = %v", h)
	}
	for range HistoryLen + 5 {
		tr.Observe(Observation{Latency: time.Millisecond})
	}
	if n := len(tr.LatencyHistory()); n != HistoryLen {
		t.Errorf("history len %d, want %d", n, HistoryLen)
	}
	if tr.ErrorRate() != 0 {
		t.Errorf("old failure still counted: %v", tr.ErrorRate())
	}
}

func TestTrackerStreak(t *testing.T) {
	tr := NewTracker(testHealth, testThresholds)
	check := func(wantN, wantOf int, wantFailing bool) {
		t.Helper()
		if n, of, failing := tr.Streak(); n != wantN || of != wantOf || failing != wantFailing {
			t.Errorf("Streak() = %d/%d failing=%v, want %d/%d failing=%v (state %s)", n, of, failing, wantN, wantOf, wantFailing, tr.State())
		}
	}
	tr.Observe(Observation{Latency: time.Millisecond})
	check(0, 0, false)
	tr.Observe(Observation{Err: "got status 503"})
	tr.Observe(Observation{Err: "got status 503"})
	check(2, 3, true) // still up, failing 2/3
	tr.Observe(Observation{Err: "got status 503"})
	check(0, 0, false) // down: nothing under way
	tr.Observe(Observation{Latency: time.Millisecond})
	check(1, 2, false) // down, recovering 1/2
	tr.Observe(Observation{Latency: time.Millisecond})
	check(0, 0, false)
}

func TestTrackerZeroConfig(t *testing.T) {
	tr := NewTracker(config.Health{}, config.Thresholds{})
	tr.Observe(Observation{Latency: time.Millisecond})
	if !tr.Observe(Observation{Err: "x"}) || tr.State() != StateDown {
		t.Fatalf("FailAfter 0 should act as 1: state %s", tr.State())
	}
	for range 10 {
		tr.Observe(Observation{Latency: time.Second})
	}
	if tr.State() != StateUp {
		t.Errorf("latency/error-rate checks should be off: state %s %q", tr.State(), tr.Reason())
	}
}
