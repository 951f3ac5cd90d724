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
	o := options{bin: bin, measure: "kills", kills: 2, groupWait: time.Second, mirrors: 6, alerts: 8,
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
