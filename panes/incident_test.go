package panes

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// incidentFixtures are the Incident pane's states: open, open in a drill,
// proposed, idle after a drill, and open with its decision clocks stopped
// or with a decided action late.
func incidentFixtures() []struct {
	name string
	snap *room.Snapshot
} {
	return []struct {
		name string
		snap *room.Snapshot
	}{
		{"open", panestest.IncidentSnapshot()},
		{"drill", panestest.DrillSnapshot()},
		{"proposed", panestest.IncidentProposalSnapshot()},
		{"after-drill", panestest.EndedDrillSnapshot()},
		{"clocks", clocksSnapshot(true)},
		{"urgent", clocksSnapshot(false)},
	}
}

// TestGoldenIncident renders the Incident pane in each state, focused with
// the cursor on step 4, at a zoomed size and at the narrow layout's size
// (where the checklist folds into one line).
func TestGoldenIncident(t *testing.T) {
	km := keymaps.Default()
	sets := []struct {
		name    string
		profile termenv.Profile
		theme   string
	}{{"ansi256", termenv.ANSI256, "dark"}, {"ascii", termenv.Ascii, "dark"}}
	for _, set := range sets {
		th := theme(t, set.theme, set.profile)
		for _, f := range incidentFixtures() {
			for _, sz := range [][2]int{{80, 24}, {40, 7}} {
				w, h := sz[0], sz[1]
				t.Run(fmt.Sprintf("%s/%s/%dx%d", set.name, f.name, w, h), func(t *testing.T) {
					p := NewIncident()
					p.DeclareKey = "I"
					for i := 0; i < 3; i++ {
						p.Update(panestest.Press(km.Down), km, f.snap)
					}
					out := Frame(th, p.Title(), p.View(f.snap, th, w-2, h-2, true), w, h, true)
					checkSize(t, "incident", out, w, h)
					golden.RequireEqual(t, out)
				})
			}
		}
	}
}

func TestIncidentShowsWhatMattersAt3AM(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.IncidentSnapshot()
	p := NewIncident()
	lines := plain(p.View(s, th, 78, 22, true))
	for _, want := range []string{
		"L2 Asia mirrors down · INC-20260822-1",
		"identified · commander ana · declared 13:52 (12m ago)",
		"RTO 30m: 14m left", "RPO 5m: 4m05s behind on ams-2",
		"CHECKLIST  3 of 6 done",
		"> ✓ 1 diagnose scope", "13:53 li.wei: tokyo and osaka only; eu fine",
		"✓ 2 switch to a backup mirror", "13:58 auto · action confirmed",
		"✓ 3 notify", "14:00 auto · announcement sent",
		"· 4 root cause and fix",
		"PINNED  2", "★ 13:55 li.wei upstream rsync to tokyo stuck since 13:40",
	} {
		if find(lines, want) < 0 {
			t.Fatalf("pane lacks %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	// Not focused: no cursor.
	if lines := plain(p.View(s, th, 78, 22, false)); find(lines, "> ") >= 0 {
		t.Fatalf("an unfocused pane shows a cursor:\n%s", strings.Join(lines, "\n"))
	}
}

func TestIncidentCursorWalksTheSixSteps(t *testing.T) {
	km := keymaps.Vim()
	s := panestest.IncidentSnapshot()
	p := NewIncident()
	if p.Step() != 1 {
		t.Fatalf("first step = %d", p.Step())
	}
	v := p.Version()
	for i := 0; i < 10; i++ {
		p.Update(panestest.Press(km.Down), km, s)
	}
	if p.Step() != 6 || p.Version() == v {
		t.Fatalf("after 10 downs: step %d (version %d → %d), want 6 and a new version", p.Step(), v, p.Version())
	}
	p.Update(panestest.Press(km.Top), km, s)
	if p.Step() != 1 {
		t.Fatalf("top: step %d", p.Step())
	}
	// With no incident the keys move nothing.
	p.Update(panestest.Press(km.Bottom), km, panestest.Snapshot())
	if p.Step() != 1 {
		t.Fatalf("moved to step %d with no incident open", p.Step())
	}
	// Compact: the cursor's step is bracketed and spelled out.
	p.SetStep(4)
	lines := plain(p.View(s, theme(t, "dark", termenv.Ascii), 38, 5, true))
	if find(lines, "✓1 ✓2 ✓3 [·4] ·5 ·6  3/6 done") < 0 || find(lines, "4 root cause and fix: to do") < 0 {
		t.Fatalf("compact checklist:\n%s", strings.Join(lines, "\n"))
	}
}

func TestIncidentIdleNamesTheDeclareKeyOnlyWhenAllowed(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	p := NewIncident()
	prop := panestest.IncidentProposalSnapshot()
	lines := plain(p.View(prop, th, 70, 4, false))
	if find(lines, "▲ Level 2 proposed: tokyo and osaka down (2 regions)") < 0 || find(lines, "since 14:02 (2m ago)") < 0 || find(lines, "press") >= 0 {
		t.Fatalf("proposal:\n%s", strings.Join(lines, "\n"))
	}
	if find(lines, "declare") >= 0 {
		t.Fatalf("names a declare key though the app gave none:\n%s", strings.Join(lines, "\n"))
	}
	p.DeclareKey = "I"
	if lines = plain(p.View(prop, th, 70, 4, false)); find(lines, "press I to declare · since 14:02") < 0 {
		t.Fatalf("proposal lacks the key:\n%s", strings.Join(lines, "\n"))
	}
	if lines = plain(p.View(panestest.Snapshot(), th, 70, 4, false)); find(lines, "no incident open · I declares one") < 0 {
		t.Fatalf("idle:\n%s", strings.Join(lines, "\n"))
	}
	if lines = plain(p.View(panestest.EndedDrillSnapshot(), th, 70, 4, false)); find(lines, "last drill: regional-outage · 1 of 3 goals met (time limit)") < 0 {
		t.Fatalf("after a drill:\n%s", strings.Join(lines, "\n"))
	}
}

func TestRTOClock(t *testing.T) {
	s := panestest.IncidentSnapshot()
	inc := s.Incident
	at := func(left time.Duration) {
		inc.RTODue = s.At.Add(left)
	}
	cases := []struct {
		left   time.Duration
		status string
		want   string
		level  string
	}{
		{14 * time.Minute, room.StatusIdentified, "RTO 30m: 14m left", "info"},
		{4*time.Minute + time.Second, room.StatusIdentified, "RTO 30m ▲ 5m left", "warning"},
		{30 * time.Second, room.StatusInvestigating, "RTO 30m ▲ 30s left", "warning"},
		{0, room.StatusInvestigating, "RTO 30m ✖ PASSED 0s ago", "critical"},
		{-3 * time.Minute, room.StatusIdentified, "RTO 30m ✖ PASSED 3m ago", "critical"},
		// Mitigated by its status while the service is still down: the
		// clock runs on (issue 12 item 14a: this said "met").
		{-3 * time.Minute, room.StatusMitigated, "RTO 30m ✖ PASSED 3m ago", "critical"},
	}
	for _, c := range cases {
		at(c.left)
		inc.Status = c.status
		if got, lvl := RTOClock(s, inc, false); got != c.want || lvl != c.level {
			t.Errorf("%s left, %s: %q (%s), want %q (%s)", c.left, c.status, got, lvl, c.want, c.level)
		}
	}
	// Met or missed once the room says service is restored.
	at(-3 * time.Minute)
	start := inc.RTODue.Add(-inc.RTO)
	for _, c := range []struct {
		after time.Duration
		want  string
		level string
	}{
		{21 * time.Minute, "RTO 30m ✓ met (recovered in 21m)", "ok"},
		{32 * time.Minute, "RTO 30m ✖ missed by 2m", "critical"},
	} {
		inc.Restored = start.Add(c.after)
		if got, lvl := RTOClock(s, inc, false); got != c.want || lvl != c.level {
			t.Errorf("restored after %s: %q (%s), want %q (%s)", c.after, got, lvl, c.want, c.level)
		}
	}
	inc.Restored = time.Time{}
	inc.RTO = 0
	if got, _ := RTOClock(s, inc, false); got != "no RTO set" {
		t.Errorf("no RTO: %q", got)
	}
}

func TestRPOText(t *testing.T) {
	inc := *panestest.IncidentSnapshot().Incident
	if got, lvl := RPOText(&inc, false); got != "RPO 5m: 4m05s behind on ams-2" || lvl != "ok" {
		t.Errorf("within: %q %s", got, lvl)
	}
	inc.Exposure = 7 * time.Minute
	if got, lvl := RPOText(&inc, false); got != "RPO 5m ✖ exceeded: 7m00s behind on ams-2" || lvl != "critical" {
		t.Errorf("exceeded: %q %s", got, lvl)
	}
	inc.ExposureKnown = false
	if got, lvl := RPOText(&inc, true); got != "RPO 5m: exposure unknown" || lvl != "warning" {
		t.Errorf("unknown: %q %s", got, lvl)
	}
}

func TestIncidentEverySize(t *testing.T) {
	th := theme(t, "dark", termenv.ANSI256)
	p := NewIncident()
	p.DeclareKey = "I"
	for _, f := range incidentFixtures() {
		for w := 0; w <= 130; w += 9 {
			for h := 0; h <= 26; h++ {
				checkSize(t, "incident "+f.name, p.View(f.snap, th, w, h, true), w, h)
			}
		}
	}
	checkSize(t, "incident nil", p.View(nil, th, 30, 4, true), 30, 4)
}

func TestDrillBannerAndScorecard(t *testing.T) {
	s := panestest.DrillSnapshot()
	if got := DrillBanner(s.Drill, s.At); got != "regional-outage · 12m left" {
		t.Errorf("banner = %q", got)
	}
	s.Drill.Live = true
	if got := DrillBanner(s.Drill, s.Drill.Ends.Add(time.Second)); got != "regional-outage · time up · LIVE actions" {
		t.Errorf("banner at the end = %q", got)
	}
	ended := panestest.EndedDrillSnapshot()
	if got := DrillBanner(ended.Drill, ended.At); got != "regional-outage ended · 1 of 3 goals met" {
		t.Errorf("ended banner = %q", got)
	}
	lines := plain(strings.Join(ScorecardLines(theme(t, "dark", termenv.Ascii), ended.Drill.Scorecard, 72), "\n"))
	for _, want := range []string{
		"regional-outage · started 13:44:20 · ended after 20m00s: time limit",
		"GOAL", "TARGET", "ACHIEVED", "RESULT",
		"detect", "1m", "42s", "✓ met",
		"failover", "5m", "6m12s", "✖ missed (1m12s late)",
		"announce", "10m", "—", "✖ missed (never reached)",
		"1 of 3 goals met · times count from the first fault",
	} {
		if find(lines, want) < 0 {
			t.Fatalf("scorecard lacks %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
}

func TestGoldenScorecard(t *testing.T) {
	for _, set := range []struct {
		name    string
		profile termenv.Profile
	}{{"ansi256", termenv.ANSI256}, {"ascii", termenv.Ascii}} {
		for _, w := range []int{72, 40} {
			t.Run(fmt.Sprintf("%s/%d", set.name, w), func(t *testing.T) {
				out := strings.Join(ScorecardLines(theme(t, "dark", set.profile), panestest.Scorecard(), w), "\n")
				checkSize(t, "scorecard", out, w, 8)
				golden.RequireEqual(t, out)
			})
		}
	}
}
