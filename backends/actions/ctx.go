package actions

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// ctxErr makes a failure caused by ctx carry ctx's error, so callers can
// tell a timeout with errors.Is(err, context.DeadlineExceeded) even when the
// I/O deadline (set from ctx's) fired an instant before ctx itself did.
func ctxErr(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	c := ctx.Err()
	if c == nil && errors.Is(err, os.ErrDeadlineExceeded) {
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < 50*time.Millisecond {
			c = context.DeadlineExceeded
		}
	}
	if c == nil || errors.Is(err, c) {
		return err
	}
	return fmt.Errorf("%w: %v", c, err)
}

// readBackLimit bounds read-back polling when ctx has no deadline.
const readBackLimit = 30 * time.Second

// poll calls try until it reports done, waiting a little longer each time
// (5 ms doubling to 200 ms). It stops with ctx's error when ctx ends, and
// with errNotConfirmed after readBackLimit.
func poll(ctx context.Context, try func() (done bool, err error)) error {
	limit := time.NewTimer(readBackLimit)
	defer limit.Stop()
	wait := 5 * time.Millisecond
	for {
		done, err := try()
		if err != nil || done {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-limit.C:
			t.Stop()
			return errNotConfirmed
		case <-t.C:
		}
		wait = min(2*wait, 200*time.Millisecond)
	}
}

var errNotConfirmed = fmt.Errorf("not confirmed within %v", readBackLimit)
