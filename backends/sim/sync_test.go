package sim

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// beaconOf reads /lastsync as a time.
func beaconOf(t *testing.T, r response) time.Time {
	t.Helper()
	s, err := strconv.ParseInt(strings.TrimSpace(r.body), 10, 64)
	if err != nil {
		t.Fatalf("lastsync %q: %v", r.body, err)
	}
	return time.Unix(s, 0).UTC()
}

func TestOriginAdvancesWithClock(t *testing.T) {
	f, clock := startFake(t, Options{Mirrors: 1, SyncEvery: 30 * time.Second})
	c := client(t, 5*time.Second)
	o := f.Origin()
	steps := []struct {
		advance time.Duration
		beacon  time.Time
		serial  string
	}{
		{0, t0, "2026112100"},
		{29 * time.Second, t0, "2026112100"},
		{time.Second, t0.Add(30 * time.Second), "2026112101"},
		{10 * time.Minute, t0.Add(630 * time.Second), "2026112121"},
	}
	for _, s := range steps {
		clock.Advance(s.advance)
		if got := beaconOf(t, get(t, c, o, "/lastsync")); !got.Equal(s.beacon) {
			t.Errorf("at %v: beacon %v, want %v", clock.Now().Sub(t0), got, s.beacon)
		}
		if tr := get(t, c, o, "/project/trace/master").body; !strings.Contains(tr, "Archive serial: "+s.serial+"\n") {
			t.Errorf("at %v: trace lacks serial %s:\n%s", clock.Now().Sub(t0), s.serial, tr)
		}
	}
}

func TestLagBehind(t *testing.T) {
	f, clock := startFake(t, Options{Mirrors: 1})
	c := client(t, 5*time.Second)
	m := f.Mirrors()[0]
	m.SetLagBehind(45 * time.Second)
	clock.Advance(60 * time.Second) // origin step 2; mirror sees t0+15s: step 0
	if got := beaconOf(t, get(t, c, m, "/lastsync")); !got.Equal(t0) {
		t.Errorf("at 60s with lag 45s: beacon %v, want %v", got, t0)
	}
	clock.Advance(15 * time.Second) // mirror sees t0+30s: step 1
	if got := beaconOf(t, get(t, c, m, "/lastsync")); !got.Equal(t0.Add(30 * time.Second)) {
		t.Errorf("at 75s with lag 45s: beacon %v, want %v", got, t0.Add(30*time.Second))
	}
	if o := beaconOf(t, get(t, c, f.Origin(), "/lastsync")); !o.Equal(t0.Add(60 * time.Second)) {
		t.Errorf("origin at 75s: beacon %v, want %v", o, t0.Add(60*time.Second))
	}
}

func TestDefaultLagIsSmall(t *testing.T) {
	f, clock := startFake(t, Options{Mirrors: 20, Seed: 7})
	clock.Advance(30*time.Second + 5*time.Second) // every default lag (≤5 s) has caught up
	for _, m := range f.Mirrors() {
		if got := m.State().Step; got != 1 {
			t.Errorf("mirror %s at 35s holds step %d, want 1 (default lag ≤ 5s)", m.Name, got)
		}
	}
	clock.Advance(25*time.Second + 500*time.Millisecond) // 60.5 s: lag ≥ 1 s keeps every mirror on step 1
	for _, m := range f.Mirrors() {
		if got := m.State().Step; got != 1 {
			t.Errorf("mirror %s at 60.5s holds step %d, want 1 (default lag ≥ 1s)", m.Name, got)
		}
	}
}

func TestFrozenMirrorLagGrows(t *testing.T) {
	f, clock := startFake(t, Options{Mirrors: 2})
	c := client(t, 5*time.Second)
	m := f.Mirrors()[0]
	m.SetLagBehind(0)
	clock.Advance(40 * time.Second)
	m.SetFrozen(true)
	var lastLag time.Duration
	for i := 1; i <= 5; i++ {
		clock.Advance(30 * time.Second)
		mb := beaconOf(t, get(t, c, m, "/lastsync"))
		ob := beaconOf(t, get(t, c, f.Origin(), "/lastsync"))
		if !mb.Equal(t0.Add(30 * time.Second)) {
			t.Errorf("frozen mirror's beacon moved to %v", mb)
		}
		lag := ob.Sub(mb)
		if want := time.Duration(i) * 30 * time.Second; lag != want {
			t.Errorf("after %d syncs frozen: lag %v, want %v", i, lag, want)
		}
		if lag <= lastLag {
			t.Errorf("lag did not grow: %v then %v", lastLag, lag)
		}
		lastLag = lag
	}
	m.SetFrozen(false)
	if mb, ob := beaconOf(t, get(t, c, m, "/lastsync")), beaconOf(t, get(t, c, f.Origin(), "/lastsync")); !mb.Equal(ob) {
		t.Errorf("after unfreezing: mirror %v, origin %v; want caught up", mb, ob)
	}
}

func TestDriftChangesOnlyManifest(t *testing.T) {
	f, clock := startFake(t, Options{Mirrors: 1})
	c := client(t, 5*time.Second)
	m := f.Mirrors()[0]
	m.SetLagBehind(0)
	clock.Advance(95 * time.Second)
	m.SetDrift(true)
	o := f.Origin()
	for _, p := range []string{"/lastsync", "/version.json"} {
		if mr, or := get(t, c, m, p), get(t, c, o, p); mr.body != or.body {
			t.Errorf("%s with drift: mirror %q, origin %q; want equal", p, mr.body, or.body)
		}
	}
	if mt, ot := get(t, c, m, "/project/trace/master").body, get(t, c, o, "/project/trace/master").body; serialLine(mt) != serialLine(ot) {
		t.Errorf("drift changed the serial: %q vs %q", serialLine(mt), serialLine(ot))
	}
	ml := strings.Split(get(t, c, m, "/manifest").body, "\n")
	ol := strings.Split(get(t, c, o, "/manifest").body, "\n")
	if len(ml) != len(ol) {
		t.Fatalf("drifted manifest has %d lines, origin's %d", len(ml), len(ol))
	}
	differ := 0
	for i := range ml {
		if ml[i] != ol[i] {
			differ++
			if _, mp, _ := strings.Cut(ml[i], "  "); !strings.HasSuffix(ol[i], "  "+mp) {
				t.Errorf("drifted line %q names another path than %q", ml[i], ol[i])
			}
		}
	}
	if differ != 1 {
		t.Errorf("%d manifest lines differ, want exactly 1", differ)
	}
	m.SetDrift(false)
	if mm, om := get(t, c, m, "/manifest").body, get(t, c, o, "/manifest").body; mm != om {
		t.Errorf("after SetDrift(false) manifests differ")
	}
}

func serialLine(trace string) string {
	for l := range strings.Lines(trace) {
		if strings.HasPrefix(l, "Archive serial:") {
			return l
		}
	}
	return ""
}

func TestManifestIsFunctionOfSerial(t *testing.T) {
	f, clock := startFake(t, Options{Mirrors: 1})
	first := f.Origin().State().Manifest
	clock.Advance(29 * time.Second)
	if string(f.Origin().State().Manifest) != string(first) {
		t.Errorf("manifest changed without a new serial")
	}
	clock.Advance(time.Second)
	if string(f.Origin().State().Manifest) == string(first) {
		t.Errorf("manifest unchanged after a new serial")
	}
}

func TestSyncingMarker(t *testing.T) {
	f, _ := startFake(t, Options{Mirrors: 1})
	c := client(t, 5*time.Second)
	m := f.Mirrors()[0]
	long := "/Archive-Update-in-Progress-" + m.Name + ".sim.invalid"
	m.SetSyncing(true)
	for _, p := range []string{"/Archive-Update-in-Progress", long} {
		if r := get(t, c, m, p); r.status != 200 {
			t.Errorf("%s while syncing: %d, want 200", p, r.status)
		}
	}
	m.SetSyncing(false)
	for _, p := range []string{"/Archive-Update-in-Progress", long} {
		if r := get(t, c, m, p); r.status != 404 {
			t.Errorf("%s after syncing: %d, want 404", p, r.status)
		}
	}
}
