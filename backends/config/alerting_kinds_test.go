package config

import (
	"strings"
	"testing"
	"time"
)

func TestAlertKindsDecodeWithDefaultsAndRoundTrip(t *testing.T) {
	c := mustParse(t, base+`thresholds:
  lag_warning: 20m
alerting:
  kinds:
    mirror-lag: {for: 2m}
    mirror-down: {keep_for: 30s}
    host-cpu:
  flapping: {changes: 10}
`, nil)
	if got := c.Thresholds.LagClear; got != 16*time.Minute {
		t.Errorf("lag_clear = %s, want 80%% of lag_warning 20m", got)
	}
	k := c.Alerting.Kinds
	for name, want := range map[string]AlertKind{
		"mirror-lag":      {For: 2 * time.Minute, KeepFor: time.Minute}, // keep_for keeps the kind's default
		"mirror-down":     {KeepFor: 30 * time.Second},
		"host-cpu":        {},
		"mirror-degraded": {For: 30 * time.Second}, // left out: the default
		"sync-error":      {For: time.Minute},
	} {
		if k[name] != want || c.Alerting.Hold(name) != want {
			t.Errorf("kinds[%s] = %+v, want %+v", name, k[name], want)
		}
	}
	if f := c.Alerting.Flapping; f.Changes != 10 || f.Window != DefaultFlapWindow {
		t.Errorf("flapping = %+v, want 10 changes in the default window", f)
	}
	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse("warroom.yaml", out, nil)
	if err != nil {
		t.Fatalf("re-parse: %v\n%s", err, out)
	}
	sameConfig(t, again, c, false)
	if out2, _ := again.Marshal(); string(out2) != string(out) {
		t.Errorf("not a fixed point:\n%s\n---\n%s", out, out2)
	}

	// A config built in Go gets the same defaults, and one without any
	// still answers with them.
	var g Config
	g.Thresholds.LagWarning = 10 * time.Minute
	if g.Alerting.Hold("mirror-lag") != DefaultAlertKinds()["mirror-lag"] || g.Alerting.Flap().Changes != DefaultFlapChanges ||
		g.Thresholds.LagClearAt() != 8*time.Minute {
		t.Errorf("zero config: hold %+v, flap %+v, lag clear %s", g.Alerting.Hold("mirror-lag"), g.Alerting.Flap(), g.Thresholds.LagClearAt())
	}
	g.ApplyDefaults()
	if g.Thresholds.LagClear != 8*time.Minute || g.Alerting.Kinds["mirror-partial"].For != 30*time.Second ||
		g.Alerting.Flapping.Window != DefaultFlapWindow {
		t.Errorf("ApplyDefaults: lag_clear %s, kinds %+v, flapping %+v", g.Thresholds.LagClear, g.Alerting.Kinds, g.Alerting.Flapping)
	}
}

func TestAlertKindProblemsNameTheFieldAndTheLine(t *testing.T) {
	_, err := Parse("warroom.yaml", []byte(base+`thresholds:
  lag_warning: 10m
  lag_clear: 10m
alerting:
  kinds:
    mirror-lagg: {for: 1m}
    mirror-lag: {for: -1s, keep: 1m}
    sync-error: {keep_for: soon}
  flapping: {changes: 1, window: -5m}
`), nil)
	byField := map[string]*FieldError{}
	for _, e := range fieldErrors(t, err) {
		byField[e.Field] = e
	}
	for field, want := range map[string]string{
		"thresholds.lag_clear":               `warroom.yaml:9: thresholds.lag_clear: "10m" is not below lag_warning "10m"`,
		"alerting.kinds.mirror-lagg":         `warroom.yaml:12: alerting.kinds.mirror-lagg: unknown alert kind "mirror-lagg"; the room raises mirror-down, mirror-degraded`,
		"alerting.kinds.mirror-lag.for":      `warroom.yaml:13: alerting.kinds.mirror-lag.for: "-1s" must not be negative`,
		"alerting.kinds.mirror-lag.keep":     `warroom.yaml:13: alerting.kinds.mirror-lag.keep: unknown key`,
		"alerting.kinds.sync-error.keep_for": `warroom.yaml:14: alerting.kinds.sync-error.keep_for: "soon" is not a duration`,
		"alerting.flapping.changes":          `warroom.yaml:15: alerting.flapping.changes: "1" must be at least 2`,
		"alerting.flapping.window":           `warroom.yaml:15: alerting.flapping.window: "-5m" must be positive`,
	} {
		if e := byField[field]; e == nil || !strings.HasPrefix(e.Error(), want) {
			t.Errorf("%s: got %v, want %q…", field, e, want)
		}
	}
	if len(byField) != 7 {
		t.Errorf("want 7 problems, got %d: %v", len(byField), err)
	}
}
