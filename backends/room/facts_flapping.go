package room

// keyQuiet marks a mirror.state event of a flapping mirror.
const keyQuiet = "quiet"

// Quiet reports whether ev is journaled only so replay reaches the same
// state: a flapping mirror's change, which the timeline and the review
// leave out (its flapping alert speaks for it).
func (e Event) Quiet() bool { return e.Kind == EvMirrorState && e.MirrorFacts().Quiet }
