package tui

import (
	"strings"
	"testing"
	"time"

	"warroom/backends/room"
	"warroom/panes/panestest"
)

// detailModel is sam (an observer: the detail needs no permission) on
// the fixture at w×h with the Mirrors pane's cursor on mirror name.
func detailModel(t *testing.T, s *room.Snapshot, name string, w, h int) *Model {
	t.Helper()
	m, _ := incModel(t, "sam", room.RoleObserver, s, w, h)
	press(m, m.paneKey(paneMirrors))
	for range len(s.Mirrors) {
		if sel := m.mirrors.Selected(m.snap); sel != nil && sel.Name == name {
			return m
		}
		press(m, m.km.Down)
	}
	t.Fatalf("no row for %s", name)
	return nil
}

// withSecretURL is the fixture with tokyo's URL carrying credentials, as
// a view that did not come through the room's redaction might.
func withSecretURL() *room.Snapshot {
	s := panestest.Snapshot()
	for _, m := range s.Mirrors {
		if m.Name == "tokyo" {
			m.URL = "https://ana:s3cret@tokyo.example.org/debian/?token=s3cret#key=s3cret"
		}
	}
	return s
}

func TestDetailOpensOnEnterAndEscReturns(t *testing.T) {
	m := detailModel(t, withSecretURL(), "tokyo", 120, 40)
	before := screen(m)
	press(m, m.km.Detail)
	if _, ok := m.modals.top().(*mirrorDetail); !ok {
		t.Fatalf("detail did not open:\n%s", screen(m))
	}
	mustShow(t, m, "Mirror tokyo", "https://REDACTED@tokyo.example.org/debian/?token=REDACTED#REDACTED",
		"backup · region ap-northeast · priority 3", "✖ down for 6m · unreachable: dial tcp 203.0.113.9:443",
		"Latency", "Lag", "unknown: lastsync: get https://tokyo.example.org/lastsync", "Serials", "no serial",
		"Manifest", "not read", "certificate expires in 40d", "no host configured", "no traffic figures",
		"Recent events (last 10)", "down: unreachable: connection refused (#28)", "esc returns")
	if sc := screen(m); strings.Contains(sc, "s3cret") {
		t.Fatalf("a secret of the URL is shown:\n%s", sc)
	}
	if got := strings.Count(screen(m), "tokyo (#"); got != 0 {
		t.Errorf("events repeat their subject in the text: %d", got)
	}
	if f := footerText(m); !strings.Contains(f, "esc return") {
		t.Errorf("footer while the detail is open: %q", f)
	}
	press(m, m.km.Back)
	if m.modals.top() != nil || screen(m) != before {
		t.Fatalf("esc did not return to the room as it was:\n%s", screen(m))
	}
}

// The detail lists only its mirror's events, the last ten, newest first.
func TestDetailListsTheMirrorsLastTenEvents(t *testing.T) {
	s := panestest.Snapshot()
	s.Timeline = panestest.Events(200)
	m := detailModel(t, s, "tokyo", 160, 48)
	press(m, m.km.Detail)
	sc := screen(m)
	_, box, _ := strings.Cut(sc, "Recent events")
	box, _, _ = strings.Cut(box, "esc returns")
	var seen []string
	for _, l := range strings.Split(box, "\n") {
		if i := strings.Index(l, "(#"); i > 0 && strings.Contains(l, " tokyo ") {
			seen = append(seen, l[i:i+6])
		}
	}
	// tokyo has three of every nine events: 200, 199, 192, 191, 190, 183…
	if got := strings.Join(seen, " "); got != "(#200) (#199) (#192) (#191) (#190) (#183) (#182) (#181) (#174) (#173)" {
		t.Fatalf("events shown %v, want the last ten of tokyo's, newest first:\n%s", seen, sc)
	}
	if strings.Contains(sc, "lon-edge degraded") {
		t.Errorf("another mirror's event in tokyo's detail:\n%s", sc)
	}
}

// The forecast, the manifests against the origin's and traffic figures.
func TestDetailShowsForecastManifestAndTraffic(t *testing.T) {
	s := panestest.Snapshot()
	m := detailModel(t, s, "sao-paulo", 120, 40)
	press(m, m.km.Detail)
	mustShow(t, m, "2h10m behind the origin · ↘ caught up in ~11m (gaining 10.7s a second)", "+14 behind · serial 2026081901")
	press(m, m.km.Back)

	s = panestest.Snapshot()
	for _, mv := range s.Mirrors {
		if mv.Name == "nyc-3" {
			mv.Traffic = &room.TrafficView{ReqRate: 41.5, Share5xx: 0.3, Answers: 2490, RespTime: 180 * time.Millisecond,
				Baseline: 60 * time.Millisecond, At: s.At, Errors: true, Slow: true}
		}
	}
	m = detailModel(t, s, "nyc-3", 120, 40)
	press(m, m.km.Detail)
	mustShow(t, m, "≠ 9f2c41d07be8 against the origin's 4be07a9d13c2: content differs",
		"41.5 req/s · 5xx 30.0% of 2490 · response 180ms (baseline 60ms) · ▲ 5xx over threshold · ▲ slow", "plain HTTP")
}

// The detail draws each new snapshot; a mirror gone from the config
// closes it with a notice.
func TestDetailFollowsTheRoomAndClosesWhenTheMirrorGoes(t *testing.T) {
	s := panestest.Snapshot()
	m := detailModel(t, s, "lon-edge", 120, 40)
	press(m, m.km.Detail)
	mustShow(t, m, "12m00s behind the origin · ↗ growing")
	next := *s
	next.Seq++
	next.Mirrors = nil
	for _, mv := range s.Mirrors {
		c := *mv
		if c.Name == "lon-edge" {
			c.Lag, c.CatchUp = 3*time.Second, room.CatchUp{Trend: room.TrendSteady, At: s.At}
		}
		next.Mirrors = append(next.Mirrors, &c)
	}
	m.Update(SnapshotMsg{Snap: &next})
	mustShow(t, m, "Mirror lon-edge", "3s behind the origin · steady")

	gone := next
	gone.Seq++
	gone.Mirrors = next.Mirrors[:6] // lon-edge is the seventh
	m.Update(SnapshotMsg{Snap: &gone})
	if m.modals.top() != nil || !strings.Contains(m.flash, "lon-edge is no longer configured: its detail closed") {
		t.Fatalf("detail of a removed mirror: open %v, notice %q", m.modals.top() != nil, m.flash)
	}
}

// On a short screen the detail scrolls within its box, never past its
// ends, and never draws outside the screen.
func TestDetailScrollsWhenTaller(t *testing.T) {
	m := detailModel(t, panestest.Snapshot(), "tokyo", 80, 24)
	press(m, m.km.Detail)
	mustShow(t, m, "Mirror tokyo", "URL", "scroll (1–")
	for range 40 {
		press(m, m.km.Down)
	}
	mustShow(t, m, "Recent events")
	if strings.Contains(screen(m), "URL ") {
		t.Errorf("scrolled to the end, the top still shows:\n%s", screen(m))
	}
	press(m, m.km.Top)
	mustShow(t, m, "URL", "scroll (1–")
	for _, sz := range [][2]int{{40, 12}, {200, 60}, {80, 24}} {
		size(m, sz[0], sz[1])
		lines := strings.Split(screen(m), "\n")
		if len(lines) != sz[1] {
			t.Errorf("%dx%d: %d lines", sz[0], sz[1], len(lines))
		}
	}
}

// A mirror that names its host shows that host's fleet row: its figures,
// or why it does not answer; a host not read yet says so.
func TestDetailShowsItsHostsRow(t *testing.T) {
	for host, want := range map[string][]string{
		"web1":   {"host", "disk lat", "web1", "92.4%"},
		"old-db": {"old-db", "stale, figures 50s old: exporter: dial tcp"},
		"local":  {"mirror-gw (here)", "96.4%"},
		"web9":   {"web9: no reading yet"},
	} {
		s := panestest.FleetSnapshot()
		for _, mv := range s.Mirrors {
			if mv.Name == "ams-2" {
				mv.Host = host
			}
		}
		m := detailModel(t, s, "ams-2", 160, 48)
		press(m, m.km.Detail)
		_, box, _ := strings.Cut(screen(m), "TLS ")
		box, _, _ = strings.Cut(box, "Traffic")
		for _, w := range want {
			if !strings.Contains(box, w) {
				t.Errorf("host %s: the detail's host lines lack %q:\n%s", host, w, box)
			}
		}
	}
}
