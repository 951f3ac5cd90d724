package room

import "time"

// publishGap: a stream of observations publishes at most one snapshot per
// gap. At 10,000 mirrors probe results arrive about 700 times a second, one
// or two per batch, and every snapshot copies the 10,000-entry mirror list:
// publishing each batch cost more than probing. 25 ms is under a frame at
// 30 fps, so no screen shows it; commands, Settle and the tick publish at
// once.
const publishGap = 25 * time.Millisecond

// pace holds back publishes between observations. It runs on real time,
// not the room's clock: it bounds this machine's work, and a fake clock in
// a test must not hold a snapshot back.
type pace struct {
	last   time.Time // of the last publish
	timer  *time.Timer
	due    <-chan time.Time // set while a held-back publish waits
	urgent bool             // a command ran since the last publish
}

// commitPaced is commit for a batch of inputs: it journals at once and
// publishes now, or once the gap since the last publish has passed.
func (r *Room) commitPaced() {
	r.journalPending()
	if !r.st.dirty {
		return
	}
	wait := publishGap - time.Since(r.pace.last)
	if wait <= 0 || r.pace.urgent {
		r.publish()
		return
	}
	if r.pace.due == nil {
		r.pace.timer = time.NewTimer(wait)
		r.pace.due = r.pace.timer.C
	}
}

// published notes a publish: nothing is held back any more.
func (p *pace) published() {
	p.last, p.urgent = time.Now(), false
	if p.timer != nil {
		p.timer.Stop()
		p.timer, p.due = nil, nil
	}
}
