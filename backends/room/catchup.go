package room

import (
	"math"
	"time"
)

// Trend says where a mirror's sync lag is heading.
type Trend string

// Trends. TrendUnknown: too few known positions to say.
const (
	TrendUnknown   Trend = ""
	TrendSteady    Trend = "steady" // no clear change, or caught up
	TrendShrinking Trend = "shrinking"
	TrendGrowing   Trend = "growing"
)

// CatchUp is the forecast of a mirror's lag from its recent positions.
type CatchUp struct {
	Trend Trend
	// ETA: from At, how long until the lag is down to the caught-up level
	// (the origin's sync cadence, at least a second); set when shrinking.
	ETA time.Duration
	// Rate is the fitted change of lag per second of time: −0.5 means
	// the mirror gains half a second on the origin every second.
	Rate float64
	At   time.Time // the newest position fitted
}

// Remaining is the ETA left at now (never negative).
func (c CatchUp) Remaining(now time.Time) time.Duration {
	if c.At.IsZero() || now.Before(c.At) {
		return c.ETA
	}
	return max(c.ETA-now.Sub(c.At), 0)
}

// LagPoint is one sync position: when it was read and the lag then
// (seconds; NaN when the lag could not be read).
type LagPoint struct {
	At  time.Time
	Lag float64
}

// Fit bounds: positions older than fitWindow before the newest are left
// out, and fewer than fitMinPoints known ones say nothing.
const (
	fitWindow    = 10 * time.Minute
	fitMinPoints = 4
	fitMaxETA    = 30 * 24 * time.Hour
	trailLen     = 40 // positions a mirror keeps for the fit
)

// FitCatchUp fits a straight line to the lag over the last few minutes of
// points (oldest first; unknown ones ignored) by least squares. The lag is
// shrinking or growing only when the slope stands out of the scatter (more
// than twice its standard error) and moves the lag by at least a second
// over the window; a lag already at or under caughtUp (the origin's sync
// cadence: a mirror one cycle behind is current) is steady.
func FitCatchUp(points []LagPoint, caughtUp time.Duration) CatchUp {
	caughtUp = max(caughtUp, time.Second)
	var xb, yb [trailLen]float64
	xs, ys := xb[:0], yb[:0]
	var newest time.Time
	for i := len(points) - 1; i >= 0; i-- {
		p := points[i]
		if math.IsNaN(p.Lag) || math.IsInf(p.Lag, 0) {
			continue
		}
		if newest.IsZero() {
			newest = p.At
		}
		if d := newest.Sub(p.At); d >= 0 && d <= fitWindow {
			xs, ys = append(xs, -d.Seconds()), append(ys, p.Lag)
		}
	}
	n := float64(len(xs))
	if len(xs) < fitMinPoints {
		return CatchUp{}
	}
	var mx, my float64
	for i := range xs {
		mx, my = mx+xs[i]/n, my+ys[i]/n
	}
	var sxx, sxy float64
	for i := range xs {
		sxx += (xs[i] - mx) * (xs[i] - mx)
		sxy += (xs[i] - mx) * (ys[i] - my)
	}
	if sxx == 0 {
		return CatchUp{} // every point at one instant
	}
	slope := sxy / sxx
	var sse float64
	for i := range xs {
		r := ys[i] - (my + slope*(xs[i]-mx))
		sse += r * r
	}
	se := math.Sqrt(sse/(n-2)) / math.Sqrt(sxx)
	lagNow := my - slope*mx // the fitted lag at the newest point (x = 0)
	span := -xs[len(xs)-1]  // the oldest point fitted is last
	c := CatchUp{Trend: TrendSteady, Rate: slope, At: newest}
	clear := math.Abs(slope) > 2*se && math.Abs(slope)*span >= 1
	switch {
	case lagNow <= caughtUp.Seconds():
	case clear && slope < 0:
		c.Trend = TrendShrinking
		eta := min((lagNow-caughtUp.Seconds())/-slope, fitMaxETA.Seconds())
		c.ETA = time.Duration(eta * float64(time.Second))
	case clear && slope > 0:
		c.Trend = TrendGrowing
	}
	return c
}

// lagTrail keeps a mirror's last trailLen positions, oldest first.
type lagTrail struct{ pts []LagPoint }

func (t *lagTrail) push(p LagPoint) {
	if t.pts == nil {
		t.pts = make([]LagPoint, 0, trailLen) // append's doubling would reserve 64
	}
	if len(t.pts) == trailLen {
		copy(t.pts, t.pts[1:])
		t.pts = t.pts[:trailLen-1]
	}
	t.pts = append(t.pts, p)
}
