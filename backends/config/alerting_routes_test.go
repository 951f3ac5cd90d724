package config

import (
	"slices"
	"strings"
	"testing"
	"time"
)

const routesChannels = `notify:
  channels:
    - {name: ops-slack, kind: slack, url: "${SLACK_URL}"}
    - {name: managers, kind: slack, url: https://hooks.example.org/m}
`

func TestRoutesDecodeWithDefaultsAndRoundTrip(t *testing.T) {
	c := mustParse(t, base+routesChannels+`alerting:
  routes:
    - name: critical
      match: {severity: [critical], kind: [mirror-down, mirror-drift], level: [P1, none]}
      receivers: [ops-slack]
      escalate: managers
      group_wait: 10s
      repeat_interval: 1h
      resolved: false
      continue: true
    - receivers: [managers]
      match: {mirror: [a], region: eu}
`, map[string]string{"SLACK_URL": "https://hooks.example.org/s"})
	rs := c.Alerting.Routes
	if len(rs) != 2 {
		t.Fatalf("routes = %+v", rs)
	}
	r := rs[0]
	if r.Name != "critical" || r.GroupWait != 10*time.Second || r.GroupInterval != DefaultGroupInterval ||
		r.RepeatInterval != time.Hour || r.Resolved || !r.Continue ||
		!slices.Equal(r.Escalate, []string{"managers"}) || !slices.Equal(r.Match.Level, []string{"P1", "none"}) {
		t.Errorf("route 1 = %+v", r)
	}
	r = rs[1]
	if r.Name != "route-2" || r.GroupWait != DefaultGroupWait || r.RepeatInterval != DefaultRepeatInterval ||
		!r.Resolved || r.Continue || !slices.Equal(r.Match.Region, []string{"eu"}) {
		t.Errorf("route 2 (defaults) = %+v", r)
	}
	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse("warroom.yaml", out, env(map[string]string{"SLACK_URL": "https://hooks.example.org/s"}))
	if err != nil {
		t.Fatalf("re-parse: %v\n%s", err, out)
	}
	sameConfig(t, again, c, false)
	if out2, _ := again.Marshal(); string(out2) != string(out) {
		t.Errorf("not a fixed point:\n%s\n---\n%s", out, out2)
	}

	g := Config{Alerting: Alerting{Routes: []Route{{Receivers: []string{"x"}}}}}
	g.ApplyDefaults()
	if r := g.Alerting.Routes[0]; r.Name != "route-1" || r.GroupWait != DefaultGroupWait || r.GroupInterval != DefaultGroupInterval {
		t.Errorf("ApplyDefaults route = %+v", r)
	}
}

func TestRoutesProblemsNameTheRouteAndTheLine(t *testing.T) {
	_, err := Parse("warroom.yaml", []byte(base+routesChannels+`alerting:
  routes:
    - name: critical
      receivers: [ops-slack, pd-oncall]
      escalate: [nobody]
      match: {severity: [fatal], kind: [mirror-dwn], level: [P7], mirror: [""]}
      group_wait: 0s
    - name: critical
      receivers: []
      match: {colour: red}
`), env(map[string]string{"SLACK_URL": "https://hooks.example.org/s"}))
	errs := fieldErrors(t, err)
	want := []struct {
		field string
		line  int
		has   string
	}{
		{"alerting.routes[0].receivers[1]", 14, `route "critical" sends to "pd-oncall", which is not in notify.channels`},
		{"alerting.routes[0].escalate[0]", 15, `"nobody", which is not in notify.channels`},
		{"alerting.routes[0].match.severity[0]", 16, `"fatal" is not an alert severity; use critical, warning`},
		{"alerting.routes[0].match.kind[0]", 16, `"mirror-dwn" is not an alert kind; use mirror-down,`},
		{"alerting.routes[0].match.level[0]", 16, `"P7" is not an alert level; use P1, P2, P3, none`},
		{"alerting.routes[0].match.mirror[0]", 16, "empty"},
		{"alerting.routes[0].group_wait", 17, "must be positive"},
		{"alerting.routes[1].name", 18, `"critical" is already the name of alerting.routes[0] (line 13)`},
		{"alerting.routes[1].receivers", 19, `route "critical" sends to nobody`},
		{"alerting.routes[1].match.colour", 20, "unknown key"},
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	for _, w := range want {
		found := false
		for _, e := range errs {
			if e.Field == w.field && e.Line == w.line && strings.Contains(e.Error(), w.has) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem at %s line %d containing %q; got:\n%s", w.field, w.line, w.has, strings.Join(got, "\n"))
		}
	}
}
