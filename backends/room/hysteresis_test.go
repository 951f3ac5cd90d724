package room

import (
	"maps"
	"testing"
	"time"

	"warroom/backends/config"
	"warroom/backends/mirrors"
)

// noHolds gives every alert kind no hysteresis: alerts raise and clear at once.
func noHolds() map[string]config.AlertKind {
	m := map[string]config.AlertKind{}
	for _, k := range config.AlertKindNames {
		m[k] = config.AlertKind{}
	}
	return m
}

// holdConfig is testConfig with the default holds, overridden by kinds.
func holdConfig(kinds map[string]config.AlertKind) *config.Config {
	cfg := testConfig()
	cfg.Alerting.Kinds = config.DefaultAlertKinds()
	maps.Copy(cfg.Alerting.Kinds, kinds)
	return cfg
}

// journaled is the journal's events of kind about the alert id (or, for
// other kinds, about the subject id).
func journaled(t *testing.T, j *memJournal, kind, id string) []Event {
	t.Helper()
	var out []Event
	for _, e := range j.events(t) {
		if e.Kind == kind && (e.AlertFacts().Alert == id || (e.AlertFacts().Alert == "" && e.Subject == id)) {
			out = append(out, e)
		}
	}
	return out
}

// A backup down for 20 s, under mirror-down's for: 30s, raises nothing; one
// down for longer raises once, 30 s after it went down.
func TestBlipShorterThanForRaisesNothing(t *testing.T) {
	j := &memJournal{}
	h := startRoom(t, Options{Config: holdConfig(map[string]config.AlertKind{"mirror-down": {For: 30 * time.Second}}), Journal: j})
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	h.r.ObserveProbe(ok("osaka", at(0), mirrors.SyncInfo{}))
	h.r.ObserveProbe(fail("osaka", at(1)))
	h.r.ObserveProbe(fail("osaka", at(2))) // down
	h.r.ObserveProbe(fail("osaka", at(12)))
	h.r.ObserveProbe(ok("osaka", at(21), mirrors.SyncInfo{}))
	h.r.ObserveProbe(ok("osaka", at(22), mirrors.SyncInfo{})) // answers again after 20 s
	h.settle()
	if n := len(journaled(t, j, EvMirrorState, "osaka")); n != 2 {
		t.Fatalf("want osaka down and back in the journal, got %d state changes", n)
	}
	if got := journaled(t, j, EvAlertRaised, "mirror-down/osaka"); len(got) != 0 {
		t.Fatalf("a 20 s blip raised %+v", got)
	}
	for s := 100; s <= 140; s += 5 {
		h.r.ObserveProbe(fail("osaka", at(s)))
	}
	s := h.settle()
	got := journaled(t, j, EvAlertRaised, "mirror-down/osaka")
	if len(got) != 1 || !got[0].At.Equal(at(135)) {
		t.Fatalf("down from 105 s: want one raise at the first probe 30 s later (135 s), got %+v", got)
	}
	if alertByID(s, "mirror-down/osaka") == nil {
		t.Fatal("the raised alert is not shown")
	}
}

// The clock alone raises a held alert and clears a kept one: the room's
// tick notices a hold that has run out without waiting for a probe.
func TestHoldsRunOutOnTheClock(t *testing.T) {
	j := &memJournal{}
	h := startRoom(t, Options{Config: holdConfig(map[string]config.AlertKind{
		"mirror-down": {For: 10 * time.Second, KeepFor: 20 * time.Second}}), Journal: j})
	h.settle()
	now := h.clock.Now()
	h.r.ObserveProbe(fail("osaka", now))
	h.r.ObserveProbe(fail("osaka", now))
	s := h.settle()
	if alertByID(s, "mirror-down/osaka") != nil {
		t.Fatal("raised before its for: 10s")
	}
	h.clock.Advance(11 * time.Second)
	h.waitFor("osaka's down alert raised by the tick", func(s *Snapshot) bool { return alertByID(s, "mirror-down/osaka") != nil })
	back := h.clock.Now()
	h.r.ObserveProbe(ok("osaka", back, mirrors.SyncInfo{}))
	h.r.ObserveProbe(ok("osaka", back, mirrors.SyncInfo{}))
	s = h.settle()
	if alertByID(s, "mirror-down/osaka") == nil {
		t.Fatal("cleared before its keep_for: 20s")
	}
	// A relapse within keep_for is the same alert, not a new one.
	h.clock.Advance(5 * time.Second)
	h.r.ObserveProbe(fail("osaka", h.clock.Now()))
	h.r.ObserveProbe(fail("osaka", h.clock.Now()))
	h.clock.Advance(5 * time.Second)
	h.r.ObserveProbe(ok("osaka", h.clock.Now(), mirrors.SyncInfo{}))
	h.r.ObserveProbe(ok("osaka", h.clock.Now(), mirrors.SyncInfo{}))
	up := h.clock.Now()
	h.settle()
	h.clock.Advance(21 * time.Second)
	h.waitFor("osaka's down alert cleared by the tick", func(s *Snapshot) bool { return alertByID(s, "mirror-down/osaka") == nil })
	if n := len(journaled(t, j, EvAlertRaised, "mirror-down/osaka")); n != 1 {
		t.Errorf("raised %d times, want once across the relapse", n)
	}
	cleared := journaled(t, j, EvAlertCleared, "mirror-down/osaka")
	if len(cleared) != 1 || cleared[0].At.Sub(up) < 20*time.Second {
		t.Errorf("want one clear at least 20 s after osaka was back at %s: %+v", up.Format(time.TimeOnly), cleared)
	}
}

// Lag swinging between 9 and 11 minutes every 20 s, around lag_warning 10m,
// raises one warning; it clears only below lag_clear (8m), keep_for later.
func TestLagNearItsThresholdRaisesOnce(t *testing.T) {
	j := &memJournal{}
	cfg := holdConfig(nil)
	if got := cfg.Thresholds.LagClear; got != 8*time.Minute {
		t.Fatalf("lag_clear defaults to %s, want 80%% of 10m", got)
	}
	h := startRoom(t, Options{Config: cfg, Journal: j})
	origin := mirrors.SyncInfo{Beacon: t0}
	probe := func(at time.Time, lag time.Duration) {
		h.r.ObserveProbe(ok("origin", at, origin))
		h.r.ObserveProbe(ok("tokyo", at, mirrors.SyncInfo{Beacon: t0.Add(-lag)}))
	}
	at := t0
	for i := range 30 { // 10 minutes
		probe(at, []time.Duration{9 * time.Minute, 11 * time.Minute}[(i+1)%2])
		at = at.Add(20 * time.Second)
	}
	s := h.settle()
	raised := journaled(t, j, EvAlertRaised, "mirror-lag/tokyo")
	if len(raised) != 1 || len(journaled(t, j, EvAlertCleared, "mirror-lag/tokyo")) != 0 {
		t.Fatalf("lag 9-11m: want one raise and no clear, got %d raises: %+v", len(raised), raised)
	}
	if d := raised[0].At.Sub(t0); d != time.Minute {
		t.Errorf("raised %s after lag first passed 10m, want for: 1m", d)
	}
	if alertByID(s, "mirror-lag/tokyo") == nil {
		t.Fatal("lag alert not shown")
	}
	low := at
	for range 6 { // 5m behind for two minutes
		probe(at, 5*time.Minute)
		at = at.Add(20 * time.Second)
	}
	s = h.settle()
	cleared := journaled(t, j, EvAlertCleared, "mirror-lag/tokyo")
	if len(cleared) != 1 || cleared[0].At.Sub(low) != time.Minute || alertByID(s, "mirror-lag/tokyo") != nil {
		t.Fatalf("below lag_clear from %s: want one clear keep_for 1m later, got %+v", low.Format(time.TimeOnly), cleared)
	}
}

// A critical lag going back to warning stays critical for keep_for: the
// alert does not bounce between severities at lag_critical.
func TestSeverityComesDownOnlyAfterKeepFor(t *testing.T) {
	j := &memJournal{}
	h := startRoom(t, Options{Config: holdConfig(map[string]config.AlertKind{"mirror-lag": {KeepFor: time.Minute}}), Journal: j})
	origin := mirrors.SyncInfo{Beacon: t0}
	at := t0
	for i := range 12 {
		lag := []time.Duration{61 * time.Minute, 59 * time.Minute}[i%2]
		h.r.ObserveProbe(ok("origin", at, origin))
		h.r.ObserveProbe(ok("tokyo", at, mirrors.SyncInfo{Beacon: t0.Add(-lag)}))
		at = at.Add(20 * time.Second)
	}
	s := h.settle()
	if n := len(journaled(t, j, EvAlertRaised, "mirror-lag/tokyo")); n != 1 {
		t.Errorf("lag around lag_critical raised %d times, want once", n)
	}
	if a := alertByID(s, "mirror-lag/tokyo"); a == nil || a.Severity != Critical {
		t.Errorf("want the alert still critical: %+v", a)
	}
}
