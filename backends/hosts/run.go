package hosts

import (
	"context"
	"time"

	"github.com/jonboulle/clockwork"
)

// Run samples every interval on clock's ticker and hands each Sample to
// sink until ctx is done. It takes one silent reading first, so the first
// sample delivered already has rates. Ticks that arrive while the sink is
// busy are dropped, never queued. A non-positive interval means one second.
func (s *Sampler) Run(ctx context.Context, clock clockwork.Clock, every time.Duration, sink func(Sample)) {
	if ctx.Err() != nil {
		return
	}
	if every <= 0 {
		every = time.Second
	}
	s.Sample(clock.Now())
	t := clock.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.Chan():
			// A tick and cancellation can be ready together; prefer stopping.
			if ctx.Err() != nil {
				return
			}
			sink(s.Sample(clock.Now()))
		}
	}
}
