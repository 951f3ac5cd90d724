package room

import (
	"context"
	"fmt"
	"time"
)

// Lease is how long this node is sure to keep leading, counted from now.
// A lease can lapse while a step runs (a paused or cut-off leader keeps
// acting while another node takes over), so a step that could outlast it
// is never started.
type Lease interface {
	Remaining(ctx context.Context) (time.Duration, error)
}

// fenceStep refuses a step whose timeout the leader's lease may not cover.
// The check is bounded by the step's timeout: a lease that cannot be
// confirmed in that time would not cover the step either.
func (r *Room) fenceStep(ctx context.Context, timeout time.Duration) error {
	if r.opts.Lease == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	left, err := r.opts.Lease.Remaining(ctx)
	if err != nil {
		// %v, not %w: a lease read that timed out is no step that timed out.
		return fmt.Errorf("not started: the leader's lease could not be confirmed: %v", err)
	}
	if left <= timeout {
		return fmt.Errorf("lease too short to start the step safely (%s left, step may take %s): "+
			"make cluster.lease longer than the executor's timeout, or the timeout shorter", roundDur(left), roundDur(timeout))
	}
	return nil
}

// roundDur prints a duration to a tenth of a second at most.
func roundDur(d time.Duration) string {
	if d >= time.Second {
		d = d.Round(100 * time.Millisecond)
	}
	return d.String()
}
