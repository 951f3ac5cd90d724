package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// Both measurements, briefly, with the real binary: two kills are paged
// and resolved with detection and page times; a small storm loses no
// alert, sends every message and pages in a few grouped messages.
func TestMeasurementsRunBriefly(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	dir := t.TempDir()
	bin, err := buildBinary(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	o := options{bin: bin, measure: "kills", kills: 2, groupWait: time.Second, mirrors: 8, alerts: 8,
		window: 12 * time.Second, stormWait: time.Second, interval: 2 * time.Second, seed: 3}
	if err := o.validate(); err != nil {
		t.Fatal(err)
	}
	kills, err := measureKills(ctx, o, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(kills.page) != 2 || quantile(kills.page, 0) < time.Second || quantile(kills.detect, 0) <= 0 {
		t.Errorf("kill figures: detect %v, page %v (group_wait 1s)", kills.detect, kills.page)
	}
	var out bytes.Buffer
	kills.print(&out, o)
	if !strings.Contains(out.String(), "detection → page received") {
		t.Errorf("kills report:\n%s", out.String())
	}

	storm, err := measureStorm(ctx, o, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	storm.print(&out, o)
	t.Logf("\n%s", out.String())
	if storm.raised < o.alerts || storm.lost != 0 || storm.unsent != 0 || storm.stormCPU <= 0 {
		t.Errorf("storm: %+v", storm)
	}
	for _, name := range stormReceivers {
		// At most the first message, one per group_interval, and the resolution.
		most := int(storm.stormWall/o.interval) + 3
		if s := storm.perReceiver[name]; s.messages < 2 || s.messages > most {
			t.Errorf("%s got %d messages for %d alerts, want 2 to %d: grouped", name, s.messages, storm.raised, most)
		}
	}
}

func TestStormPlanSpreadsOutagesOverMirrors(t *testing.T) {
	plan := stormPlan(500, 200, 10*time.Minute, 1)
	per := map[int]int{}
	for i, x := range plan {
		per[x.mirror]++
		if x.at < 0 || x.at >= 10*time.Minute || (i > 0 && x.at < plan[i-1].at-10*time.Minute/500) {
			t.Fatalf("outage %d at %v", i, x.at)
		}
	}
	for m, n := range per {
		if n > 3 {
			t.Errorf("mirror %d fails %d times: more than ceil(500/200)", m, n)
		}
	}
	if len(per) != 200 {
		t.Errorf("%d mirrors fail, want all 200", len(per))
	}
}

// A mirror that fails twice is seen up in between, or its two outages
// would be one alert: every plan validate accepts leaves it minUptime, and
// validate refuses the plans that cannot.
func TestStormPlanLeavesAMirrorUpBetweenOutages(t *testing.T) {
	base := options{measure: "storm", kills: 1, groupWait: time.Second, interval: time.Second, stormWait: time.Second}
	accepted := 0
	for mirrors := 2; mirrors <= 12; mirrors++ {
		for alerts := 1; alerts <= 3*mirrors; alerts++ {
			for _, window := range []time.Duration{10 * time.Second, 12 * time.Second, 40 * time.Second, 10 * time.Minute} {
				o := base
				o.mirrors, o.alerts, o.window = mirrors, alerts, window
				if o.validate() != nil {
					continue
				}
				accepted++
				d := outageLength(o)
				last := map[int]time.Duration{}
				for _, x := range stormPlan(alerts, mirrors, window, int64(alerts)) {
					if up, ok := last[x.mirror]; ok && x.at-up < minUptime {
						t.Fatalf("%d alerts on %d mirrors within %s: mirror %d back at %s, down again at %s", alerts, mirrors, window, x.mirror, up, x.at)
					}
					last[x.mirror] = x.at + d
				}
			}
		}
	}
	if accepted < 100 {
		t.Errorf("validate accepted only %d plans", accepted)
	}
	o := base
	o.mirrors, o.alerts, o.window = 6, 8, 12*time.Second // 1.5 s steps: a mirror's second outage 7.5 s after its first
	if err := o.validate(); err == nil || !strings.Contains(err.Error(), "-alerts 8 on -mirrors 6") {
		t.Errorf("validate: %v, want the plan refused", err)
	}
}
