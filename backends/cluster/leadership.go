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

// Term is one node's leadership. Rev, the leader key's create revision, is
// the fencing token: every fenced write compares it, so a leader that lost
// its lease (paused, cut off) can no longer write, whatever it believes.
type Term struct {
	Node string
	Rev  int64
	Key  string
}

// ErrNoLeader is returned by Leader when nobody leads.
var ErrNoLeader = errors.New("cluster: no leader")

// Leadership campaigns for the site's leadership on a session lease of its own.
type Leadership struct {
	cli       *clientv3.Client
	site, pfx string
	node      string
	ttl       time.Duration
	mu        sync.Mutex
	sess      *concurrency.Session
	elec      *concurrency.Election
}

// NewLeadership prepares a campaign for node; ttl is the leader lease (whole
// seconds in etcd): how long a silent leader keeps the term.
func NewLeadership(cli *clientv3.Client, site, node string, ttl time.Duration) (*Leadership, error) {
	if err := checkName("site", site); err != nil {
		return nil, err
	}
	if err := checkName("node", node); err != nil {
		return nil, err
	}
	return &Leadership{cli: cli, site: site, pfx: prefix(site), node: node, ttl: ttl}, nil
}

// election returns the current election, with a new session when the last one ended.
func (l *Leadership) election(ctx context.Context) (*concurrency.Election, *concurrency.Session, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if alive(l.sess) {
		return l.elec, l.sess, nil
	}
	sess, err := newSession(ctx, l.cli, l.ttl)
	if err != nil {
		return nil, nil, fmt.Errorf("cluster: leader lease for %s: %w", l.node, err)
	}
	l.sess, l.elec = sess, concurrency.NewElection(sess, l.pfx+"leader/")
	return l.elec, sess, nil
}

// Campaign blocks until this node leads (or ctx ends, or a request fails)
// and returns its term. After Lost it starts a fresh session. A request may
// time out while etcd elects a new raft leader: campaigning again on the
// same session keeps this node's place in the queue.
func (l *Leadership) Campaign(ctx context.Context) (Term, error) {
	e, sess, err := l.election(ctx)
	if err != nil {
		return Term{}, err
	}
	// A campaign on a session that ends meanwhile would wait forever.
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-sess.Done():
			cancel()
		case <-cctx.Done():
		}
	}()
	if err := e.Campaign(cctx, l.node); err != nil {
		if ctx.Err() == nil && cctx.Err() != nil {
			return Term{}, fmt.Errorf("cluster: %s lost its lease while campaigning", l.node)
		}
		return Term{}, fmt.Errorf("cluster: %s campaign: %w", l.node, err)
	}
	return Term{Node: l.node, Rev: e.Rev(), Key: e.Key()}, nil
}

// Lost returns a channel closed when the current session's lease ends: the
// leader must stop acting at once. Nil before the first Campaign.
func (l *Leadership) Lost() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sess == nil {
		return nil
	}
	return l.sess.Done()
}

// Resign gives up leadership (or a pending campaign) so another node can lead.
func (l *Leadership) Resign(ctx context.Context) error {
	l.mu.Lock()
	e := l.elec
	l.mu.Unlock()
	if e == nil {
		return nil
	}
	if err := e.Resign(ctx); err != nil {
		return fmt.Errorf("cluster: %s resign: %w", l.node, err)
	}
	return nil
}

// Close resigns and revokes the lease.
func (l *Leadership) Close() error {
	l.mu.Lock()
	sess := l.sess
	l.sess, l.elec = nil, nil
	l.mu.Unlock()
	if sess == nil {
		return nil
	}
	return sess.Close()
}

// Leader returns who leads the site now and its term (ErrNoLeader if nobody).
func (l *Leadership) Leader(ctx context.Context) (node string, term int64, err error) {
	return CurrentLeader(ctx, l.cli, l.site)
}

// CurrentLeader reads the site's leader and its term.
func CurrentLeader(ctx context.Context, cli *clientv3.Client, site string) (string, int64, error) {
	resp, err := cli.Get(ctx, prefix(site)+"leader/", clientv3.WithFirstCreate()...)
	if err != nil {
		return "", 0, fmt.Errorf("cluster: read leader: %w", err)
	}
	if len(resp.Kvs) == 0 {
		return "", 0, ErrNoLeader
	}
	kv := resp.Kvs[0]
	return string(kv.Value), kv.CreateRevision, nil
}

// LeaseRemaining renews the leader lease and returns how long it is sure
// to last from now: the TTL etcd renewed it for, less the time the renewal
// took (the server renewed it no earlier than it was asked). Renewing, not
// reading the TTL left, makes the answer the whole lease rather than
// whatever the last keepalive left; a lease already gone (a paused leader
// woke up) is an error, so no step starts on it.
func (l *Leadership) LeaseRemaining(ctx context.Context) (time.Duration, error) {
	l.mu.Lock()
	sess := l.sess
	l.mu.Unlock()
	if sess == nil {
		return 0, fmt.Errorf("cluster: %s has no leader lease", l.node)
	}
	asked := time.Now()
	resp, err := l.cli.KeepAliveOnce(ctx, sess.Lease())
	if err != nil {
		return 0, fmt.Errorf("cluster: %s leader lease: %w", l.node, err)
	}
	left := time.Duration(resp.TTL)*time.Second - time.Since(asked)
	if left <= 0 {
		return 0, fmt.Errorf("cluster: %s leader lease has expired", l.node)
	}
	return left, nil
}
