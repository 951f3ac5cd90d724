package config

import (
	"strings"
	"testing"
)

func TestMetricsOffWithoutTheSection(t *testing.T) {
	c := mustParse(t, base, nil)
	if c.Metrics.Enabled() || c.Metrics != (Metrics{}) {
		t.Errorf("metrics = %+v, want off", c.Metrics)
	}
	if out, err := c.Marshal(); err != nil || strings.Contains(string(out), "metrics:") {
		t.Errorf("Marshal wrote metrics: for a file without it (err %v):\n%s", err, out)
	}
}

func TestMetricsRoundTrip(t *testing.T) {
	vars := map[string]string{"METRICS_ADDR": "127.0.0.1:9464"}
	c := mustParse(t, base+"metrics:\n  listen: ${METRICS_ADDR}\n", vars)
	if c.Metrics.Listen != "127.0.0.1:9464" || c.Metrics.Line != 7 || !c.Metrics.Enabled() {
		t.Fatalf("metrics = %+v", c.Metrics)
	}
	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "metrics:\n    listen: ${METRICS_ADDR}\n") {
		t.Errorf("Marshal output lacks the metrics section as written:\n%s", out)
	}
	again, err := Parse("warroom.yaml", out, env(vars))
	if err != nil {
		t.Fatalf("re-parse: %v\n%s", err, out)
	}
	if again.Metrics.Listen != c.Metrics.Listen {
		t.Errorf("round trip: %+v, want %+v", again.Metrics, c.Metrics)
	}
}

func TestMetricsErrorsNameFileLineAndField(t *testing.T) {
	for _, tc := range []struct{ name, text, field, want string }{
		{"no port", "metrics:\n  listen: 127.0.0.1\n", "metrics.listen",
			`warroom.yaml:8: metrics.listen: "127.0.0.1" is not host:port`},
		{"port a word", "metrics: {listen: \"localhost:prom\"}\n", "metrics.listen",
			`warroom.yaml:7: metrics.listen: "localhost:prom": port "prom" is not a number from 0 to 65535`},
		{"port too large", "metrics: {listen: \":70000\"}\n", "metrics.listen", `port "70000" is not a number`},
		{"unknown key", "metrics:\n  listen: 127.0.0.1:9464\n  path: /m\n", "metrics.path", "warroom.yaml:9: metrics.path:"},
		{"not a map", "metrics: 127.0.0.1:9464\n", "metrics", "warroom.yaml:7: metrics: want a map with listen:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("warroom.yaml", []byte(base+tc.text), nil)
			got := map[string]string{}
			for _, e := range fieldErrors(t, err) {
				got[e.Field] = e.Error()
			}
			if !strings.Contains(got[tc.field], tc.want) {
				t.Errorf("%s: got %q, want it to contain %q\nall: %v", tc.field, got[tc.field], tc.want, err)
			}
		})
	}
}
