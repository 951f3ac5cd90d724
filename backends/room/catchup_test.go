package room

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"warroom/backends/mirrors"
)

// lagPoints are n positions every 15 s from t0, the lag of each from f.
func lagPoints(n int, f func(i int) float64) []LagPoint {
	pts := make([]LagPoint, n)
	for i := range pts {
		pts[i] = LagPoint{At: t0.Add(time.Duration(i) * 15 * time.Second), Lag: f(i)}
	}
	return pts
}

func TestFitCatchUpShrinkingGivesAnETA(t *testing.T) {
	// 600 s behind, gaining a second per second for 285 s: 315 s behind at
	// the last point, 255 s above a 60 s cadence.
	pts := lagPoints(20, func(i int) float64 { return 600 - float64(i*15) })
	c := FitCatchUp(pts, time.Minute)
	if c.Trend != TrendShrinking {
		t.Fatalf("trend %q, want shrinking: %+v", c.Trend, c)
	}
	if want := 255 * time.Second; c.ETA < want-time.Second || c.ETA > want+time.Second {
		t.Errorf("ETA %s, want %s (315 s behind, 60 s is caught up, 1 s/s)", c.ETA, want)
	}
	if math.Abs(c.Rate+1) > 1e-9 || !c.At.Equal(pts[19].At) {
		t.Errorf("rate %v at %s, want -1 at the last point", c.Rate, c.At)
	}
	if got := c.Remaining(c.At.Add(time.Minute)); got != c.ETA-time.Minute {
		t.Errorf("a minute later %s remain, want %s", got, c.ETA-time.Minute)
	}
	if got := c.Remaining(c.At.Add(time.Hour)); got != 0 {
		t.Errorf("past the ETA %s remain, want 0", got)
	}
}

func TestFitCatchUpGrowing(t *testing.T) {
	// A frozen mirror: a cycle more behind at each of the origin's pushes.
	pts := lagPoints(30, func(i int) float64 { return 120 + float64(i/4)*60 })
	c := FitCatchUp(pts, time.Minute)
	if c.Trend != TrendGrowing || c.ETA != 0 || c.Rate <= 0 {
		t.Fatalf("want growing without an ETA: %+v", c)
	}
}

func TestFitCatchUpNoisy(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	noise := func() float64 { return (rng.Float64() - 0.5) * 60 } // ±30 s
	flat := lagPoints(40, func(int) float64 { return 900 + noise() })
	if c := FitCatchUp(flat, time.Minute); c.Trend != TrendSteady || c.ETA != 0 {
		t.Errorf("noise around 15m: want steady, got %+v", c)
	}
	down := lagPoints(40, func(i int) float64 { return 900 - float64(i)*10 + noise() })
	c := FitCatchUp(down, time.Minute)
	// 900 − 390 = 510 s at the end, 450 s above the cadence at 2/3 s a second.
	if c.Trend != TrendShrinking || c.ETA < 9*time.Minute || c.ETA > 14*time.Minute {
		t.Errorf("noisy catch-up at 2/3 s/s from 510 s: want shrinking in about 11m, got %+v", c)
	}
}

func TestFitCatchUpNeedsEnoughKnownPoints(t *testing.T) {
	if c := FitCatchUp(nil, time.Minute); c.Trend != TrendUnknown {
		t.Errorf("no points: %+v", c)
	}
	three := lagPoints(3, func(i int) float64 { return 600 - float64(i*100) })
	if c := FitCatchUp(three, time.Minute); c.Trend != TrendUnknown {
		t.Errorf("three points: want unknown, got %+v", c)
	}
	// Unknown positions are ignored, not read as zero.
	gaps := lagPoints(12, func(i int) float64 {
		if i%3 == 1 {
			return math.NaN()
		}
		return 600 - float64(i*15)
	})
	if c := FitCatchUp(gaps, time.Minute); c.Trend != TrendShrinking || math.Abs(c.Rate+1) > 1e-9 {
		t.Errorf("with unknowns between: want shrinking at 1 s/s, got %+v", c)
	}
	if c := FitCatchUp(lagPoints(10, func(int) float64 { return math.NaN() }), time.Minute); c.Trend != TrendUnknown {
		t.Errorf("all unknown: %+v", c)
	}
	same := []LagPoint{{t0, 10}, {t0, 20}, {t0, 30}, {t0, 40}}
	if c := FitCatchUp(same, time.Minute); c.Trend != TrendUnknown {
		t.Errorf("one instant: %+v", c)
	}
}

func TestFitCatchUpCaughtUpAndOldPoints(t *testing.T) {
	// A mirror one cycle behind or less is current, whatever its slope.
	saw := lagPoints(20, func(i int) float64 { return float64(i%4) * 15 })
	if c := FitCatchUp(saw, time.Minute); c.Trend != TrendSteady {
		t.Errorf("within the cadence: want steady, got %+v", c)
	}
	// Growing an hour ago, flat in the last ten minutes: steady.
	pts := lagPoints(20, func(i int) float64 { return float64(i * 100) })
	for i := range 10 {
		pts = append(pts, LagPoint{At: t0.Add(time.Hour + time.Duration(i)*time.Minute), Lag: 3000})
	}
	if c := FitCatchUp(pts, time.Minute); c.Trend != TrendSteady {
		t.Errorf("old points must not count: %+v", c)
	}
	// A mirror so slow to catch up its ETA is months: capped.
	slow := lagPoints(40, func(i int) float64 { return 1e9 - float64(i) })
	if c := FitCatchUp(slow, time.Minute); c.Trend != TrendShrinking || c.ETA != fitMaxETA {
		t.Errorf("slow catch-up: want the ETA capped at %s, got %+v", fitMaxETA, c)
	}
}

// Probes of a mirror catching up give its view a shrinking forecast with
// the origin's cadence as the caught-up level, its serials behind as a
// history, and the origin's manifest of its cycle beside its own.
func TestMirrorViewForecastsCatchUp(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	at := t0
	for i := range 20 {
		origin := mirrors.SyncInfo{Beacon: t0.Add(time.Duration(i/4) * time.Minute), Serial: int64(100 + i/4), Manifest: "o"}
		h.r.ObserveProbe(ok("origin", at, origin))
		behind := mirrors.SyncInfo{Beacon: t0.Add(-30 * time.Minute).Add(time.Duration(i) * 30 * time.Second),
			Serial: int64(90 + i/2), Manifest: "m"}
		h.r.ObserveProbe(ok("tokyo", at.Add(time.Second), behind))
		at = at.Add(15 * time.Second)
	}
	h.r.ObserveProbe(ok("osaka", at, mirrors.SyncInfo{Beacon: t0.Add(4 * time.Minute), Serial: 104, Manifest: "x"}))
	s := h.settle()
	tokyo := mirrorView(s, "tokyo")
	// 1470 s behind at the end, gaining a net second a second, 60 s cadence.
	if c := tokyo.CatchUp; c.Trend != TrendShrinking || c.ETA < 20*time.Minute || c.ETA > 27*time.Minute {
		t.Fatalf("tokyo gains a second a second: want shrinking in about 23m, got %+v", c)
	}
	if n := len(tokyo.SerialHistory); n != 20 || tokyo.SerialHistory[n-1] != float64(104-99) {
		t.Errorf("serial history %v, want 20 points ending 5 behind", tokyo.SerialHistory)
	}
	osaka := mirrorView(s, "osaka")
	if osaka.Manifest != "x" || osaka.OriginManifest != "o" || !osaka.Drift {
		t.Errorf("osaka manifest %q against the origin's %q (drift %v), want x against o", osaka.Manifest, osaka.OriginManifest, osaka.Drift)
	}
}
