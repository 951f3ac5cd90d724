package config

import (
	"testing"
	"time"
)

// An unset retry_interval follows each mirror's own interval; one set in
// defaults: or on the mirror is kept as written.
func TestRetryIntervalFollowsTheInterval(t *testing.T) {
	c := mustParse(t, `site: s
origin: {url: https://o.example.org/}
defaults:
  health: {interval: 20s}
mirrors:
  - {name: a, url: https://a.example.net/}
  - {name: fast, url: https://f.example.net/, health: {interval: 1s, timeout: 500ms}}
  - {name: set, url: https://s.example.net/, health: {retry_interval: 7s}}
`, nil)
	for _, w := range []struct {
		m    Mirror
		want time.Duration
	}{{c.Origin, 2 * time.Second}, {c.Mirrors[0], 2 * time.Second}, {c.Mirrors[1], 500 * time.Millisecond}, {c.Mirrors[2], 7 * time.Second}} {
		if got := w.m.Health.RetryInterval; got != w.want {
			t.Errorf("%s: retry_interval %v, want %v", w.m.Name, got, w.want)
		}
	}
	if c.Thresholds.LatencyFloor != DefaultLatencyFloor {
		t.Errorf("latency_floor %v, want the default %v", c.Thresholds.LatencyFloor, DefaultLatencyFloor)
	}
}

// A retry_interval from defaults: that is not below a mirror's own
// interval is reported where it was written (as an inherited timeout is).
func TestRetryIntervalFromDefaultsCheckedPerMirror(t *testing.T) {
	_, err := Parse("warroom.yaml", []byte(`site: s
origin: {url: https://o.example.org/}
defaults:
  health: {retry_interval: 3s}
mirrors:
  - {name: a, url: https://a.example.net/, health: {interval: 3s, timeout: 1s}}
`), nil)
	fes := fieldErrors(t, err)
	if len(fes) != 1 || fes[0].Field != "defaults.health.retry_interval" || fes[0].Line != 4 {
		t.Fatalf("got %v, want one problem at defaults.health.retry_interval, line 4", err)
	}
}

// latency_floor: 0s turns the floor off and survives a round trip.
func TestLatencyFloorZeroIsKept(t *testing.T) {
	c := mustParse(t, base+"thresholds: {latency_floor: 0s}\n", nil)
	if c.Thresholds.LatencyFloor != 0 {
		t.Fatalf("latency_floor %v, want 0", c.Thresholds.LatencyFloor)
	}
	b, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back := mustParse(t, string(b), nil)
	if back.Thresholds.LatencyFloor != 0 || back.Mirrors[0].Health.RetryInterval != c.Mirrors[0].Health.RetryInterval {
		t.Errorf("after a round trip: floor %v, retry %v", back.Thresholds.LatencyFloor, back.Mirrors[0].Health.RetryInterval)
	}
}
