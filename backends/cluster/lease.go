package cluster

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"
)

// ttlSeconds rounds a lease TTL up to etcd's whole seconds (at least 1).
func ttlSeconds(ttl time.Duration) int {
	s := int((ttl + time.Second - 1) / time.Second)
	return max(s, 1)
}

// Lease is a node's session lease for what should vanish with the node:
// its status, verdicts and requests. When the lease is lost (the node was cut
// off past its TTL) the next ID starts a new one and the hooks re-put what
// the old one carried.
type Lease struct {
	cli *clientv3.Client
	ttl time.Duration

	mu     sync.Mutex
	sess   *concurrency.Session
	hooks  []func(ctx context.Context, id clientv3.LeaseID) error
	closed bool
}

// NewLease returns a lease that is granted on first use.
func NewLease(cli *clientv3.Client, ttl time.Duration) *Lease {
	return &Lease{cli: cli, ttl: ttl}
}

// ErrClosed is returned after Close.
var ErrClosed = errors.New("cluster: closed")

// ID returns the current lease, granting a new one (and running the hooks)
// when there is none or the last one ended.
func (l *Lease) ID(ctx context.Context) (clientv3.LeaseID, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0, ErrClosed
	}
	if alive(l.sess) {
		return l.sess.Lease(), nil
	}
	renewed := l.sess != nil
	sess, err := newSession(ctx, l.cli, l.ttl)
	if err != nil {
		return 0, err
	}
	l.sess = sess
	if renewed {
		for _, h := range l.hooks {
			if err := h(ctx, sess.Lease()); err != nil {
				return sess.Lease(), err
			}
		}
	}
	return sess.Lease(), nil
}

// OnRenew registers a hook that re-puts its keys under a new lease.
func (l *Lease) OnRenew(h func(ctx context.Context, id clientv3.LeaseID) error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hooks = append(l.hooks, h)
}

// Done returns a channel closed when the current lease ends (nil before the first ID).
func (l *Lease) Done() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sess == nil {
		return nil
	}
	return l.sess.Done()
}

// Keep renews the lease whenever it ends, until ctx ends; run it in a goroutine.
func (l *Lease) Keep(ctx context.Context) {
	for {
		if _, err := l.ID(ctx); errors.Is(err, ErrClosed) {
			return
		}
		if done := l.Done(); done != nil {
			select {
			case <-ctx.Done():
				return
			case <-done:
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-afterRetry():
		}
	}
}

// alive reports whether sess is there and its lease still kept.
func alive(sess *concurrency.Session) bool {
	if sess == nil {
		return false
	}
	select {
	case <-sess.Done():
		return false
	default:
		return true
	}
}

// newSession grants a lease of ttl and keeps it alive until it is lost or
// closed; ctx bounds the grant only.
func newSession(ctx context.Context, cli *clientv3.Client, ttl time.Duration) (*concurrency.Session, error) {
	sess, err := concurrency.NewSession(cli, concurrency.WithTTL(ttlSeconds(ttl)), concurrency.WithContext(context.WithoutCancel(ctx)))
	if err != nil {
		return nil, fmt.Errorf("cluster: grant a %v lease: %w", ttl, err)
	}
	return sess, nil
}

// afterRetry paces retries after a failure.
func afterRetry() <-chan time.Time { return time.After(200 * time.Millisecond) }

// Close revokes the lease (its keys go at once).
func (l *Lease) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	if l.sess == nil {
		return nil
	}
	return l.sess.Close()
}
