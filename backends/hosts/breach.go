package hosts

import "time"

// Threshold says when a value is alarming: strictly over Limit for at
// least Sustain without a break.
type Threshold struct {
	Limit   float64
	Sustain time.Duration
}

// Breach tracks one value against a Threshold across observations, so a
// single spike does not raise an alert. The zero value is ready to use.
type Breach struct {
	over      bool
	overSince time.Time
	active    bool
}

// Observe records value seen at time at. It reports whether the breach is
// active (over the limit continuously for at least Sustain) and whether
// that changed with this observation. A value equal to the limit, or NaN,
// is not over, and any observation not over ends the run. Callers should
// skip "no sample" values (-1) rather than observe them.
func (b *Breach) Observe(at time.Time, value float64, th Threshold) (active bool, changed bool) {
	was := b.active
	if value > th.Limit {
		if !b.over {
			b.over, b.overSince = true, at
		}
		// Once active it stays so while over, even if the clock steps back.
		b.active = b.active || at.Sub(b.overSince) >= th.Sustain
	} else {
		b.over, b.active = false, false
	}
	return b.active, b.active != was
}

// Active reports the state after the last observation.
func (b *Breach) Active() bool { return b.active }
