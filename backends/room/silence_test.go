package room

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"warroom/backends/config"
	"warroom/backends/mirrors"
)

// silencedBy asks the room goroutine what the routing engine would see.
func (h *harness) silencedBy(alertID string) *SilenceView {
	h.t.Helper()
	var v *SilenceView
	err := h.r.query(context.Background(), func() error {
		if a, ok := h.r.st.alerts[alertID]; ok {
			v = h.r.st.silencedBy(a)
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return v
}

// downBoth raises a critical alert for tokyo (active) and a warning for osaka.
func (h *harness) downBoth() {
	for range 2 {
		h.r.ObserveProbe(fail("tokyo", t0))
		h.r.ObserveProbe(fail("osaka", t0))
	}
	h.settle()
}

func (h *harness) silence(req SilenceRequest, actor Actor) string {
	h.t.Helper()
	id, err := h.r.Silence(context.Background(), req, actor)
	if err != nil {
		h.t.Fatalf("Silence(%+v): %v", req, err)
	}
	return id
}

func eventsOf(t *testing.T, j *memJournal, kind string) []Event {
	var out []Event
	for _, e := range j.events(t) {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func TestSilenceStopsRoutingButNotShowing(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	h.downBoth()
	id := h.silence(SilenceRequest{Matcher: "kind=mirror-down, mirror=tokyo", For: 2 * time.Hour, Reason: "rebuilding its disks"}, operator("ana"))
	if id != "sil-1" {
		t.Fatalf("first silence id = %q", id)
	}
	s := h.settle()
	a := alertByID(s, "mirror-down/tokyo")
	if a == nil || a.Silence == nil || a.Silence.ID != "sil-1" || a.Silence.By != "ana" || !a.Silence.End.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("the silenced alert must still show, pointing at its silence: %+v", a)
	}
	if o := alertByID(s, "mirror-down/osaka"); o == nil || o.Silence != nil {
		t.Fatalf("osaka's alert is not matched, got %+v", o)
	}
	if v := h.silencedBy("mirror-down/tokyo"); v == nil || v.ID != "sil-1" {
		t.Errorf("silencedBy(tokyo) = %+v, want sil-1", v)
	}
	if v := h.silencedBy("mirror-down/osaka"); v != nil {
		t.Errorf("silencedBy(osaka) = %+v, want nil", v)
	}
	if len(s.Silences) != 1 || s.Silences[0].Matcher != "kind=mirror-down,mirror=tokyo" || s.Silences[0].Reason != "rebuilding its disks" {
		t.Errorf("Silences = %+v", s.Silences)
	}
	added := eventsOf(t, h.j, EvSilenceAdded)
	if len(added) != 1 || added[0].Actor != "ana" || added[0].SilenceFacts() != (SilenceFacts{ID: "sil-1",
		Matcher: "kind=mirror-down,mirror=tokyo", Start: t0, End: t0.Add(2 * time.Hour), Reason: "rebuilding its disks"}) {
		t.Errorf("journaled %+v", added)
	}

	// A default length, and the refusals.
	if id := h.silence(SilenceRequest{Matcher: "severity=warning", Reason: "known"}, commander("li")); id != "sil-2" {
		t.Errorf("second id = %q", id)
	}
	if s := h.settle(); len(s.Silences) != 2 || !s.Silences[0].End.Equal(t0.Add(DefaultSilenceFor)) {
		t.Errorf("a silence without For lasts %s: %+v", DefaultSilenceFor, s.Silences)
	}
	var forbidden *ForbiddenError
	for _, c := range []struct {
		req   SilenceRequest
		actor Actor
		want  string
	}{
		{SilenceRequest{Matcher: "mirror=tokyo", Reason: "x"}, observer("obs"), "acknowledge alerts"},
		{SilenceRequest{Matcher: "mirror=tokyo", Reason: "  "}, operator("ana"), "needs a reason"},
		{SilenceRequest{Matcher: "mirro=tokyo", Reason: "x"}, operator("ana"), `unknown label "mirro"`},
		{SilenceRequest{Matcher: "mirror=tokyo", Reason: "x", For: 8 * 24 * time.Hour}, operator("ana"), "at most 7d"},
		{SilenceRequest{Matcher: "mirror=tokyo", Reason: "x", For: -time.Minute}, operator("ana"), "positive duration"},
	} {
		_, err := h.r.Silence(context.Background(), c.req, c.actor)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Silence(%+v) by %s = %v, want …%s…", c.req, c.actor.Role, err, c.want)
		}
		if c.actor.Role == RoleObserver && !errors.As(err, &forbidden) {
			t.Errorf("an observer's silence: %T %v, want *ForbiddenError", err, err)
		}
	}
	if n := len(eventsOf(t, h.j, EvSilenceAdded)); n != 2 {
		t.Errorf("refused silences were journaled: %d added", n)
	}
}

func TestSilenceExpiresByItself(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	h.downBoth()
	h.silence(SilenceRequest{Matcher: "mirror=tokyo", For: time.Minute, Reason: "reboot"}, operator("ana"))
	h.clock.Advance(time.Minute - time.Second)
	if v := h.silencedBy("mirror-down/tokyo"); v == nil {
		t.Fatal("silenced a second before its end: want it still in force")
	}
	h.clock.Advance(time.Second)
	if v := h.silencedBy("mirror-down/tokyo"); v != nil {
		t.Errorf("at its end the alert is still silenced by %+v: the engine would not route it", v)
	}
	h.waitFor("the silence gone and the alert unmarked", func(s *Snapshot) bool {
		a := alertByID(s, "mirror-down/tokyo")
		return len(s.Silences) == 0 && a != nil && a.Silence == nil
	})
	h.settle()
	ex := eventsOf(t, h.j, EvSilenceExpired)
	if len(ex) != 1 || ex[0].Actor != "" || ex[0].SilenceFacts().ID != "sil-1" || !ex[0].SilenceFacts().End.Equal(t0.Add(time.Minute)) {
		t.Fatalf("want one silence.expired by itself, journaled: %+v", ex)
	}
	if !strings.Contains(ex[0].Text, "time was up") {
		t.Errorf("expiry text %q", ex[0].Text)
	}
}

func TestExpireSilenceByAPerson(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	h.downBoth()
	id := h.silence(SilenceRequest{Matcher: "mirror=tokyo", For: time.Hour, Reason: "reboot"}, operator("ana"))
	h.clock.Advance(10 * time.Minute)
	ctx := context.Background()
	if err := h.r.ExpireSilence(ctx, id, observer("obs")); err == nil {
		t.Error("an observer ended a silence")
	}
	if err := h.r.ExpireSilence(ctx, id, commander("li")); err != nil {
		t.Fatal(err)
	}
	s := h.settle()
	if len(s.Silences) != 0 || alertByID(s, "mirror-down/tokyo").Silence != nil || h.silencedBy("mirror-down/tokyo") != nil {
		t.Fatalf("after expiry: silences %+v", s.Silences)
	}
	ex := eventsOf(t, h.j, EvSilenceExpired)
	if len(ex) != 1 || ex[0].Actor != "li" || !ex[0].SilenceFacts().End.Equal(t0.Add(10*time.Minute)) || !strings.Contains(ex[0].Text, "50m0s early") {
		t.Fatalf("journaled %+v", ex)
	}
	if err := h.r.ExpireSilence(ctx, id, commander("li")); err == nil || !strings.Contains(err.Error(), "no active silence") {
		t.Errorf("second expiry: %v", err)
	}
	if err := h.r.ExpireSilence(ctx, "maint-1", commander("li")); err == nil || !strings.Contains(err.Error(), "alerting.maintenance") {
		t.Errorf("expiring a window: %v", err)
	}
}

func TestReplayRestoresSilences(t *testing.T) {
	j := &memJournal{}
	h := newHarness(t, j, nil)
	h.downBoth()
	h.silence(SilenceRequest{Matcher: "mirror=tokyo", For: time.Hour, Reason: "one"}, operator("ana"))
	ended := h.silence(SilenceRequest{Matcher: "mirror=osaka", For: time.Hour, Reason: "two"}, operator("ana"))
	if err := h.r.ExpireSilence(context.Background(), ended, operator("ana")); err != nil {
		t.Fatal(err)
	}
	h.settle()

	h2 := startRoom(t, Options{Config: testConfig(), Journal: &memJournal{}, Replay: j.records()})
	s := h2.settle()
	if len(s.Silences) != 1 || s.Silences[0].ID != "sil-1" || s.Silences[0].By != "ana" || s.Silences[0].Reason != "one" {
		t.Fatalf("after a restart: %+v", s.Silences)
	}
	if a := alertByID(s, "mirror-down/tokyo"); a == nil || a.Silence == nil || h2.silencedBy("mirror-down/tokyo") == nil {
		t.Errorf("the replayed silence does not hold tokyo's alert: %+v", a)
	}
	if id := h2.silence(SilenceRequest{Matcher: "mirror=osaka", Reason: "three"}, operator("ana")); id != "sil-3" {
		t.Errorf("ids go on after a restart: got %q, want sil-3", id)
	}
}

func TestMaintenanceWindowOnlyInItsWindow(t *testing.T) {
	cfg := testConfig()
	cfg.Alerting.Maintenance = []config.Maintenance{{Match: "mirror=osaka", Start: t0.Add(time.Hour),
		Duration: 30 * time.Minute, Every: 24 * time.Hour, Reason: "nightly rsync"}}
	j := &memJournal{}
	h := startRoom(t, Options{Config: cfg, Journal: j})
	h.downBoth()
	s := h.settle()
	if len(s.Silences) != 1 || s.Silences[0].ID != "maint-1" || s.Silences[0].By != "config" || !s.Silences[0].Start.Equal(t0.Add(time.Hour)) {
		t.Fatalf("the scheduled window is listed before it opens: %+v", s.Silences)
	}
	if alertByID(s, "mirror-down/osaka").Silence != nil || h.silencedBy("mirror-down/osaka") != nil {
		t.Fatal("silenced before the window")
	}
	probe := func() { // keep osaka down as time passes
		h.r.ObserveProbe(mirrors.Observation{Mirror: "osaka", Start: h.clock.Now(), Err: "refused"})
	}
	h.clock.Advance(time.Hour)
	probe()
	h.waitFor("osaka silenced by maint-1", func(s *Snapshot) bool {
		a := alertByID(s, "mirror-down/osaka")
		return a != nil && a.Silence != nil && a.Silence.ID == "maint-1" && a.Silence.End.Equal(t0.Add(90*time.Minute))
	})
	if v := h.silencedBy("mirror-down/osaka"); v == nil || v.ID != "maint-1" {
		t.Errorf("silencedBy in the window = %+v", v)
	}
	if v := h.silencedBy("mirror-down/tokyo"); v != nil {
		t.Errorf("the window matches osaka only, tokyo got %+v", v)
	}
	h.clock.Advance(30 * time.Minute)
	probe()
	h.waitFor("the window closed, the next one listed", func(s *Snapshot) bool {
		a := alertByID(s, "mirror-down/osaka")
		return a != nil && a.Silence == nil && len(s.Silences) == 1 && s.Silences[0].Start.Equal(t0.Add(25*time.Hour))
	})
	if h.silencedBy("mirror-down/osaka") != nil {
		t.Error("silenced after the window")
	}
	h.clock.Advance(23*time.Hour + 30*time.Minute) // the next day's window opens
	probe()
	h.waitFor("silenced again a day later", func(s *Snapshot) bool {
		a := alertByID(s, "mirror-down/osaka")
		return a != nil && a.Silence != nil && a.Silence.Start.Equal(t0.Add(25*time.Hour))
	})
	h.settle()
	if n := len(eventsOf(t, j, EvSilenceAdded)) + len(eventsOf(t, j, EvSilenceExpired)); n != 0 {
		t.Errorf("maintenance windows are computed, not journaled: %d silence events", n)
	}
}
