package hosts

import (
	"math"
	"testing"
	"time"
)

type obs struct {
	after       time.Duration
	value       float64
	active, chg bool
}

func runBreach(t *testing.T, th Threshold, steps []obs) {
	t.Helper()
	var b Breach
	for i, o := range steps {
		active, changed := b.Observe(t0.Add(o.after), o.value, th)
		if active != o.active || changed != o.chg {
			t.Errorf("step %d (+%v, %v): active %v changed %v, want %v %v",
				i, o.after, o.value, active, changed, o.active, o.chg)
		}
		if b.Active() != active {
			t.Errorf("step %d: Active() = %v, Observe said %v", i, b.Active(), active)
		}
	}
}

func TestBreachExactlyAtSustainActivates(t *testing.T) {
	runBreach(t, Threshold{Limit: 90, Sustain: 30 * time.Second}, []obs{
		{0, 95, false, false},
		{29 * time.Second, 99, false, false},
		{30 * time.Second, 91, true, true},
		{31 * time.Second, 91, true, false},
		{32 * time.Second, 50, false, true},
		{33 * time.Second, 50, false, false},
	})
}

func TestBreachUnderResetsTheRun(t *testing.T) {
	runBreach(t, Threshold{Limit: 90, Sustain: 30 * time.Second}, []obs{
		{0, 95, false, false},
		{20 * time.Second, 80, false, false}, // dip resets
		{25 * time.Second, 95, false, false}, // new run starts here
		{50 * time.Second, 95, false, false}, // 25 s into the new run
		{55 * time.Second, 95, true, true},
	})
}

func TestBreachEqualToLimitIsNotOver(t *testing.T) {
	runBreach(t, Threshold{Limit: 90, Sustain: 0}, []obs{
		{0, 90, false, false},
		{time.Second, 90.0001, true, true}, // zero sustain: first over activates
		{2 * time.Second, 90, false, true},
		{3 * time.Second, math.NaN(), false, false},
	})
}

func TestBreachStaysActiveIfClockStepsBack(t *testing.T) {
	runBreach(t, Threshold{Limit: 1, Sustain: 10 * time.Second}, []obs{
		{0, 2, false, false},
		{10 * time.Second, 2, true, true},
		{5 * time.Second, 2, true, false},
	})
}
