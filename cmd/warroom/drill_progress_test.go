package main

import (
	"strings"
	"testing"
	"time"

	"warroom/backends/drill"
	"warroom/backends/room"
)

// A goal is called missed once its target has passed by more than a probe
// can still report late, reached late when it comes after all, and every
// goal left is missed at the end; each is said once, at its drill time.
func TestDrillProgressSaysEachGoalOnceAtItsTime(t *testing.T) {
	start := time.Date(2026, 8, 22, 3, 0, 0, 0, time.UTC)
	var out strings.Builder
	p := newDrillProgress(&out, 3*time.Second)
	d := &room.DrillView{Name: "x", Started: start}
	goals := func(ack drill.GoalScore) []drill.GoalScore {
		return []drill.GoalScore{{Name: "detect", Target: time.Minute, Achieved: 20 * time.Second, Reached: true, Met: true}, ack,
			{Name: "announce", Target: 10 * time.Minute}}
	}
	ack := drill.GoalScore{Name: "acknowledge", Target: 2 * time.Minute}
	fault := room.Event{Seq: 7, At: start.Add(time.Second), Kind: room.EvDrillFault, Text: "drill fault applied: mirror-down santiago"}
	at := func(d time.Duration) *room.Snapshot {
		return &room.Snapshot{At: start.Add(d), Timeline: []room.Event{fault}}
	}
	d.Goals = goals(ack)
	p.see(at(30*time.Second), d)
	p.see(at(2*time.Minute+2*time.Second), d) // past the target, within the settle
	if strings.Contains(out.String(), "missed") {
		t.Fatalf("missed while a probe could still report within the target:\n%s", out.String())
	}
	p.see(at(2*time.Minute+5*time.Second), d)
	ack.Reached, ack.Achieved = true, 2*time.Minute+30*time.Second
	d.Goals = goals(ack)
	p.see(at(3*time.Minute), d)
	d.Ended, d.Reason = true, "time limit"
	d.Scorecard = &drill.Scorecard{Scenario: "x", Started: start, Ended: start.Add(5 * time.Minute), EndReason: "time limit", Goals: goals(ack)}
	p.see(at(5*time.Minute), d)
	p.see(at(5*time.Minute+time.Second), d)
	want := []string{
		"     +1s  drill fault applied: mirror-down santiago",
		"    +21s  goal met: detect after 20s (target 1m)",
		"   +2m1s  goal missed: acknowledge not reached within 2m",
		"  +2m31s  goal reached late: acknowledge after 2m30s (target 2m)",
		"     +5m  goal missed: announce never reached (target 10m)",
		"     +5m  drill ended: time limit; 1 of 3 goals met",
	}
	if got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("progress:\n%s\nwant:\n%s", out.String(), strings.Join(want, "\n"))
	}
}

// A goal met in the snapshot that ends the drill is said before the end,
// though it is timed from the first fault, a few ms after the drill's start
// the end is timed from (seen under load: the end printed first).
func TestDrillProgressSaysTheEndLast(t *testing.T) {
	start := time.Date(2026, 8, 22, 3, 0, 0, 0, time.UTC)
	var out strings.Builder
	p := newDrillProgress(&out, 3*time.Second)
	fault := room.Event{Seq: 1, At: start.Add(21 * time.Millisecond), Kind: room.EvDrillFault, Text: "drill fault applied: mirror-down santiago"}
	recover := drill.GoalScore{Name: "recover", Target: 3 * time.Minute, Achieved: 114 * time.Second, Reached: true, Met: true}
	end := start.Add(114 * time.Second) // before the fault's 21 ms + 114 s
	d := &room.DrillView{Name: "x", Started: start, Ended: true, Reason: "goals met",
		Scorecard: &drill.Scorecard{Scenario: "x", Started: start, Ended: end, EndReason: "goals met", Goals: []drill.GoalScore{recover}}}
	p.see(&room.Snapshot{At: end, Timeline: []room.Event{fault}}, d)
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "goal met: recover") || !strings.Contains(lines[2], "drill ended: goals met; 1 of 1") {
		t.Errorf("progress:\n%s", out.String())
	}
}
