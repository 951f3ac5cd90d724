package config

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

const maintenanceYAML = `alerting:
  maintenance:
    - match: "mirror=a,kind=mirror-lag"
      start: 2026-12-06T02:00:00Z
      duration: 2h
      every: 168h
      reason: weekly rsync window
    - {match: "severity=warning", start: "2026-12-24T20:00:00+08:00", duration: 30m, reason: "${WHY}"}
`

func TestMaintenanceDecodesAndRoundTrips(t *testing.T) {
	c := mustParse(t, base+maintenanceYAML, map[string]string{"WHY": "holiday cutover"})
	ms := c.Alerting.Maintenance
	if len(ms) != 2 {
		t.Fatalf("maintenance = %+v", ms)
	}
	want := time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)
	if m := ms[0]; m.Match != "mirror=a,kind=mirror-lag" || !m.Start.Equal(want) || m.Duration != 2*time.Hour ||
		m.Every != 168*time.Hour || m.Reason != "weekly rsync window" || m.Line != 9 {
		t.Errorf("first window = %+v", m)
	}
	if m := ms[1]; !m.Start.Equal(time.Date(2026, 12, 24, 12, 0, 0, 0, time.UTC)) || m.Every != 0 || m.Reason != "holiday cutover" {
		t.Errorf("second window = %+v", m)
	}
	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "${WHY}") || strings.Contains(string(out), "holiday cutover") {
		t.Errorf("Marshal should keep ${WHY} as written:\n%s", out)
	}
	again, err := Parse("warroom.yaml", out, env(map[string]string{"WHY": "holiday cutover"}))
	if err != nil {
		t.Fatalf("re-parse: %v\n%s", err, out)
	}
	if out2, _ := again.Marshal(); !bytes.Equal(out, out2) {
		t.Errorf("not a fixed point:\n%s\n---\n%s", out, out2)
	}
	for i := range ms {
		a, b := ms[i], again.Alerting.Maintenance[i]
		if a.Match != b.Match || !a.Start.Equal(b.Start) || a.Duration != b.Duration || a.Every != b.Every || a.Reason != b.Reason {
			t.Errorf("window %d: %+v read back as %+v", i, a, b)
		}
	}
}

func TestMaintenanceProblemsNameTheField(t *testing.T) {
	cases := []struct{ item, field, want string }{
		{`{match: "mirro=a", start: 2026-12-06T02:00:00Z, duration: 1h, reason: r}`, "match", `unknown label "mirro"`},
		{`{start: 2026-12-06T02:00:00Z, duration: 1h, reason: r}`, "match", "missing"},
		{`{match: mirror=a, start: "Dec 6", duration: 1h, reason: r}`, "start", "not a time with its zone"},
		{`{match: mirror=a, start: 2026-12-06T02:00:00, duration: 1h, reason: r}`, "start", "not a time with its zone"},
		{`{match: mirror=a, duration: 1h, reason: r}`, "start", "missing"},
		{`{match: mirror=a, start: 2026-12-06T02:00:00Z, reason: r}`, "duration", "not positive"},
		{`{match: mirror=a, start: 2026-12-06T02:00:00Z, duration: 8d, reason: r}`, "duration", "longer than 7d"},
		{`{match: mirror=a, start: 2026-12-06T02:00:00Z, duration: 2h, every: 1h, reason: r}`, "every", "shorter than the window"},
		{`{match: mirror=a, start: 2026-12-06T02:00:00Z, duration: 2h}`, "reason", "missing"},
		{`{match: mirror=a, start: 2026-12-06T02:00:00Z, duration: 2h, reason: r, until: x}`, "until", "unknown"},
	}
	for _, c := range cases {
		_, err := Parse("warroom.yaml", []byte(base+"alerting:\n  maintenance:\n    - "+c.item+"\n"), env(nil))
		found := false
		for _, fe := range fieldErrors(t, err) {
			if fe.File == "warroom.yaml" && fe.Line == 9 && strings.HasPrefix(fe.Field, "alerting.maintenance[0]") &&
				strings.Contains(fe.Field+": "+fe.Msg, c.field) && strings.Contains(fe.Msg, c.want) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: want warroom.yaml:9 alerting.maintenance[0] %s: …%s…, got %v", c.item, c.field, c.want, err)
		}
	}
}

func TestMaintenanceWindow(t *testing.T) {
	start := time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)
	weekly := Maintenance{Start: start, Duration: 2 * time.Hour, Every: 7 * 24 * time.Hour}
	once := Maintenance{Start: start, Duration: 2 * time.Hour}
	cases := []struct {
		m              Maintenance
		now            time.Time
		ok, active     bool
		wantStart, end time.Time
	}{
		{once, start.Add(-time.Hour), true, false, start, start.Add(2 * time.Hour)},
		{once, start, true, true, start, start.Add(2 * time.Hour)},
		{once, start.Add(2*time.Hour - time.Second), true, true, start, start.Add(2 * time.Hour)},
		{once, start.Add(2 * time.Hour), false, false, time.Time{}, time.Time{}},
		{weekly, start.Add(3 * time.Hour), true, false, start.Add(168 * time.Hour), start.Add(170 * time.Hour)},
		{weekly, start.Add(169 * time.Hour), true, true, start.Add(168 * time.Hour), start.Add(170 * time.Hour)},
		{weekly, start.Add(10*168*time.Hour + 30*time.Minute), true, true, start.Add(10 * 168 * time.Hour), start.Add(10*168*time.Hour + 2*time.Hour)},
	}
	for i, c := range cases {
		s, e, ok := c.m.Window(c.now)
		active := ok && !c.now.Before(s) && c.now.Before(e)
		if ok != c.ok || active != c.active || !s.Equal(c.wantStart) || !e.Equal(c.end) {
			t.Errorf("case %d at %s: Window = %s..%s ok %v (active %v), want %s..%s ok %v (active %v)",
				i, c.now, s, e, ok, active, c.wantStart, c.end, c.ok, c.active)
		}
	}
}
