package cluster

import (
	"context"
	"errors"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// attempts runs op with a deadline of per for each try, retrying while the
// failure is one a new raft leader cures, until ctx ends. Without it a call
// proposed while raft has no leader waits out etcd's request timeout
// (5 s + 2 × election) before the retry that would succeed at once.
func attempts(ctx context.Context, per time.Duration, op func(context.Context) error) error {
	for {
		actx, cancel := context.WithTimeout(ctx, per)
		err := op(actx)
		cancel()
		if err == nil || ctx.Err() != nil || !retryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(attemptPause):
		}
	}
}

// attemptPause spaces the tries a little, so an etcd that fails fast is not spun on.
const attemptPause = 50 * time.Millisecond

// retryable reports whether err says "no leader now": etcd's timeouts,
// leader changes and Unavailable, or a try's own deadline.
func retryable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ee rpctypes.EtcdError
	if errors.As(err, &ee) {
		return ee.Code() == codes.Unavailable
	}
	switch status.Code(err) {
	case codes.Unavailable, codes.DeadlineExceeded:
		return true
	}
	return false
}
