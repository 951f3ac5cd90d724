package room

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"warroom/backends/config"
	"warroom/backends/mirrors"
)

// TestRankNeverRecommendsUnfitMirrors: a drifted, down, unprobed, flapping
// or erring mirror ranks after every fit one, however fresh it is, and its
// warnings say why it is not recommended.
func TestRankNeverRecommendsUnfitMirrors(t *testing.T) {
	mv := func(name string, st State, lag time.Duration) *MirrorView {
		return &MirrorView{Name: name, Role: "backup", State: st, Lag: lag, LagKnown: true}
	}
	from := mv("madrid", StateDown, 0)
	from.Role = "active"
	drifted := mv("seoul", StateUp, 0)
	drifted.Drift = true
	flapping := mv("lima", StateUp, 0)
	flapping.Flapping = "flapping: down 2 times in the last 15 probes"
	erring := mv("oslo", StateUp, 0)
	erring.ErrorsHigh = "error rate 45% (9 of last 20 probes failed)"
	down := mv("rome", StateDown, 0)
	down.Reason = "unreachable: connection refused"
	s := &Snapshot{Mirrors: []*MirrorView{from, drifted, flapping, erring, down, mv("kyiv", StateUnknown, 0),
		mv("stale", StateUp, 20*time.Minute), mv("slow", StateDegraded, time.Minute)}}
	cands := Rank(s, "madrid")
	var order []string
	for _, c := range cands {
		order = append(order, c.Mirror.Name)
	}
	if got := strings.Join(order, " "); got != "stale slow seoul lima oslo kyiv rome" {
		t.Fatalf("rank = %s", got)
	}
	best, ok := Best(cands)
	if !ok || best.Mirror.Name != "stale" {
		t.Fatalf("best = %+v, %v", best.Mirror, ok)
	}
	want := map[string]string{
		"seoul": "not recommended: serves content that differs from the origin",
		"lima":  "not recommended: flapping: down 2 times in the last 15 probes",
		"oslo":  "not recommended: error rate 45% (9 of last 20 probes failed), over the error threshold",
		"rome":  "not recommended: rome is down: unreachable: connection refused",
		"kyiv":  "not recommended: kyiv has not been probed yet",
	}
	for _, c := range cands {
		w, unfit := want[c.Mirror.Name]
		if c.Fit() == unfit {
			t.Errorf("%s: fit %v", c.Mirror.Name, c.Fit())
		}
		if unfit && (len(c.Warnings) == 0 || c.Warnings[0] != w) {
			t.Errorf("%s: warnings %q, want first %q", c.Mirror.Name, c.Warnings, w)
		}
	}
	if _, ok := Best(cands[2:]); ok {
		t.Error("Best chose an unfit mirror")
	}
}

// adviceConfig: madrid serves, seoul is the freshest backup, lima the other.
func adviceConfig(auto bool) *config.Config {
	cfg := actionConfig()
	mk := func(name, role string, prio int) config.Mirror {
		u, _ := url.Parse("http://" + name + ".invalid/")
		return config.Mirror{Name: name, URL: u, Region: name, Role: role, Priority: prio,
			Health: config.Health{Interval: time.Second, Timeout: 500 * time.Millisecond, FailAfter: 2, RecoverAfter: 2}}
	}
	cfg.Mirrors = []config.Mirror{mk("madrid", "active", 1), mk("seoul", "backup", 2), mk("lima", "backup", 3)}
	cfg.Actions.Rollback = nil
	cfg.Actions.Rules = []config.Rule{{Name: "active-down", When: config.WhenActiveDown, For: 10 * time.Second, Propose: Failover, Auto: auto}}
	cfg.ApplyDefaults()
	return cfg
}

// TestRulesAndAutoNeverChooseADriftedMirror: madrid goes down; seoul is the
// freshest backup but serves other content than the origin, so the rule
// proposes lima. When lima then errs over the threshold the proposal is
// withdrawn and nothing is proposed; with auto, nothing runs.
func TestRulesAndAutoNeverChooseADriftedMirror(t *testing.T) {
	origin := mirrors.SyncInfo{Beacon: t0, Serial: 7, Manifest: "aaaa"}
	seoul := mirrors.SyncInfo{Beacon: t0, Serial: 7, Manifest: "bbbb"}
	lima := mirrors.SyncInfo{Beacon: t0.Add(-time.Minute), Serial: 6, Manifest: "cccc"}
	madridDown := func(h *harness, lima mirrors.SyncInfo) time.Time {
		at := t0
		for i := 0; i < 2; i++ {
			h.r.ObserveProbe(ok("origin", at, origin))
			h.r.ObserveProbe(ok("seoul", at, seoul))
			h.r.ObserveProbe(ok("lima", at, lima))
			h.r.ObserveProbe(ok("madrid", at, origin))
			at = at.Add(time.Second)
		}
		h.r.ObserveProbe(fail("madrid", at))
		h.r.ObserveProbe(fail("madrid", at.Add(time.Second)))
		at = at.Add(15 * time.Second)
		h.r.ObserveProbe(fail("madrid", at))
		return at
	}

	t.Run("proposal", func(t *testing.T) {
		exec := &fakeExec{}
		h := actionRoom(t, adviceConfig(false), exec, &memJournal{}, nil)
		at := madridDown(h, lima)
		s := h.settle()
		if !mirrorView(s, "seoul").Drift {
			t.Fatal("seoul's drift not seen")
		}
		if len(s.Proposals) != 1 || s.Proposals[0].Request.To != "lima" {
			t.Fatalf("proposals: %+v, want madrid → lima", s.Proposals)
		}
		// lima starts failing every other probe: over the error threshold.
		for i := 0; i < 3; i++ {
			at = at.Add(time.Second)
			h.r.ObserveProbe(fail("lima", at))
			h.r.ObserveProbe(ok("lima", at.Add(time.Second/2), lima))
		}
		h.r.ObserveProbe(fail("madrid", at))
		s = h.settle()
		if len(s.Proposals) != 0 {
			t.Fatalf("proposal kept or made to an unfit mirror: %+v", s.Proposals)
		}
		withdrawn := false
		for _, ev := range s.Timeline {
			withdrawn = withdrawn || (ev.Kind == EvActionDismissed && strings.Contains(ev.Text, "lima is no longer fit: error rate"))
		}
		if !withdrawn {
			t.Fatalf("no withdrawal naming why in the timeline: %+v", s.Timeline)
		}
	})

	t.Run("auto", func(t *testing.T) {
		exec := &fakeExec{}
		h := actionRoom(t, adviceConfig(true), exec, &memJournal{}, nil)
		madridDown(h, lima)
		s := h.settle()
		if len(s.Actions) != 1 || s.Actions[0].Request.To != "lima" {
			t.Fatalf("auto chose %+v, want lima (seoul drifted)", s.Actions)
		}
	})

	t.Run("auto with every backup unfit", func(t *testing.T) {
		exec := &fakeExec{}
		h := actionRoom(t, adviceConfig(true), exec, &memJournal{}, nil)
		madridDown(h, mirrors.SyncInfo{Beacon: t0, Serial: 7, Manifest: "dddd"})
		s := h.settle()
		if len(s.Actions) != 0 || len(s.Proposals) != 0 || exec.runs.Load() != 0 {
			t.Fatalf("auto acted with every backup drifted: actions %+v, proposals %+v", s.Actions, s.Proposals)
		}
	})
}

// TestDriftBySyncTimeWaitsForTheOrigin: with a beacon (no serial) a mirror
// whose manifest differs from the origin's of its sync time drifts once the
// origin has been read again since; if that reading shows the mirror's
// manifest as the origin's next cycle, it was a sync in progress.
func TestDriftBySyncTimeWaitsForTheOrigin(t *testing.T) {
	for _, tc := range []struct {
		name  string
		next  mirrors.SyncInfo // the origin's next reading
		drift bool
	}{
		{"same cycle", mirrors.SyncInfo{Beacon: t0, Manifest: "aaaa"}, true},
		{"mirror already holds the next cycle", mirrors.SyncInfo{Beacon: t0.Add(time.Minute), Manifest: "bbbb"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, &memJournal{}, nil)
			h.r.ObserveProbe(ok("origin", t0, mirrors.SyncInfo{Beacon: t0, Manifest: "aaaa"}))
			h.r.ObserveProbe(ok("osaka", t0.Add(time.Second), mirrors.SyncInfo{Beacon: t0, Manifest: "bbbb"}))
			s := h.settle()
			if mirrorView(s, "osaka").Drift || alertByID(s, "mirror-drift/osaka") != nil {
				t.Fatal("drift claimed before the origin was read again")
			}
			if u := Unfit(mirrorView(s, "osaka")); len(u) != 1 || !strings.Contains(u[0], "seems to differ") {
				t.Fatalf("a mirror whose drift is being confirmed is recommended: %q", u)
			}
			h.r.ObserveProbe(ok("origin", t0.Add(15*time.Second), tc.next))
			s = h.settle()
			if got := mirrorView(s, "osaka").Drift; got != tc.drift {
				t.Fatalf("drift %v, want %v", got, tc.drift)
			}
			if a := alertByID(s, "mirror-drift/osaka"); tc.drift && (a == nil || !strings.Contains(a.Text, "differs from the origin's of 20")) {
				t.Fatalf("drift alert: %+v", a)
			}
		})
	}
}
