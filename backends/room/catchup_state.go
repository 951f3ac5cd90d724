package room

import (
	"math"
	"time"
)

// catchUpState is what a mirror keeps for its catch-up forecast and its
// detail view: its recent positions, serials behind, the fit of the
// latest ones and the origin's manifest for the cycle it holds.
type catchUpState struct {
	trail     lagTrail
	serials   *ring // serials behind, NaN unknown
	forecast  CatchUp
	reference string        // the origin's manifest hash of the mirror's cycle; "" unknown
	cadence   time.Duration // the origin's only: how often it publishes a cycle
}

func newCatchUpState(history int) catchUpState {
	return catchUpState{serials: newRing(history)}
}

// trail records a mirror's position after its probe and fits its lag again
// (at most trailLen points: cheap on every probe).
func (st *state) trail(ms *mirrorState, at time.Time, lag float64) {
	behind := math.NaN()
	if ms.pos.SerialKnown {
		behind = float64(ms.pos.SerialsBehind)
	}
	ms.catch.serials.push(behind)
	ms.catch.trail.push(LagPoint{At: at, Lag: lag})
	ms.catch.forecast = FitCatchUp(ms.catch.trail.pts, st.origin.catch.cadence)
}

// fill puts the forecast, the serial history and the manifests in a view.
func (c *catchUpState) fill(v *MirrorView, manifest string) {
	v.CatchUp = c.forecast
	v.SerialHistory = c.serials.values()
	v.Manifest, v.OriginManifest = manifest, c.reference
}
