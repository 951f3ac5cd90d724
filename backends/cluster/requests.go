package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Request is a room command a follower forwards to the leader.
type Request struct {
	ID     string          `json:"id"`
	Method string          `json:"method"`
	Actor  json.RawMessage `json:"actor,omitempty"`
	Args   json.RawMessage `json:"args,omitempty"`
	From   string          `json:"from"`
}

// Reply is the leader's answer: a result, or an error with a stable code the
// caller maps back to its own errors.
type Reply struct {
	ID     string          `json:"id"`
	Result json.RawMessage `json:"result,omitempty"`
	Err    string          `json:"err,omitempty"`
	Code   string          `json:"code,omitempty"`
}

// RemoteError is a Reply's error as Call returns it.
type RemoteError struct{ Code, Msg string }

func (e *RemoteError) Error() string { return e.Msg }

// Requests forwards commands through etcd: a request, the leader's claim on it
// and the reply all live under the caller's lease, so a caller that dies
// leaves nothing behind, and a request is run at most once.
type Requests struct {
	cli   *clientv3.Client
	pfx   string
	node  string
	lease *Lease
}

// NewRequests returns the site's request channel for node.
func NewRequests(cli *clientv3.Client, site, node string, lease *Lease) *Requests {
	return &Requests{cli: cli, pfx: prefix(site), node: node, lease: lease}
}

func (r *Requests) reqKey(id string) string   { return r.pfx + "requests/" + id }
func (r *Requests) takenKey(id string) string { return r.pfx + "taken/" + id }
func (r *Requests) replyKey(id string) string { return r.pfx + "replies/" + id }

// Call sends method with actor and args to whoever serves (the leader) and
// decodes the reply's result into result (nil: ignore it). ctx bounds the wait.
func (r *Requests) Call(ctx context.Context, method string, actor, args, result any) error {
	req := Request{ID: r.node + "-" + randomID(), Method: method, From: r.node}
	var err error
	if req.Actor, err = marshalRaw(actor); err != nil {
		return fmt.Errorf("cluster: %s: actor: %w", method, err)
	}
	if req.Args, err = marshalRaw(args); err != nil {
		return fmt.Errorf("cluster: %s: args: %w", method, err)
	}
	b, _ := json.Marshal(req)
	id, err := r.lease.ID(ctx)
	if err != nil {
		return fmt.Errorf("cluster: %s: %w", method, err)
	}
	put, err := r.cli.Put(ctx, r.reqKey(req.ID), string(b), clientv3.WithLease(id))
	if err != nil {
		return fmt.Errorf("cluster: %s: send to the leader: %w", method, err)
	}
	defer r.forget(req.ID)
	rep, err := r.awaitReply(ctx, req.ID, put.Header.Revision)
	if err != nil {
		return fmt.Errorf("cluster: %s: no reply from the leader: %w", method, err)
	}
	if rep.Err != "" || rep.Code != "" {
		return &RemoteError{Code: rep.Code, Msg: rep.Err}
	}
	if result != nil && len(rep.Result) > 0 {
		if err := json.Unmarshal(rep.Result, result); err != nil {
			return fmt.Errorf("cluster: %s: decode the leader's reply: %w", method, err)
		}
	}
	return nil
}

// awaitReply watches for the reply from rev on, re-watching after a break.
func (r *Requests) awaitReply(ctx context.Context, id string, rev int64) (Reply, error) {
	for {
		wctx, cancel := context.WithCancel(ctx)
		for wr := range r.cli.Watch(wctx, r.replyKey(id), clientv3.WithRev(rev)) {
			if wr.Err() != nil {
				break
			}
			for _, ev := range wr.Events {
				if ev.Type != clientv3.EventTypePut {
					continue
				}
				cancel()
				var rep Reply
				if err := json.Unmarshal(ev.Kv.Value, &rep); err != nil {
					return Reply{}, fmt.Errorf("undecodable reply: %w", err)
				}
				return rep, nil
			}
		}
		cancel()
		if ctx.Err() != nil {
			return Reply{}, ctx.Err()
		}
		// The watch broke (compacted or no leader): look, then watch anew.
		resp, err := r.cli.Get(ctx, r.replyKey(id))
		if err == nil && len(resp.Kvs) > 0 {
			var rep Reply
			if err := json.Unmarshal(resp.Kvs[0].Value, &rep); err != nil {
				return Reply{}, fmt.Errorf("undecodable reply: %w", err)
			}
			return rep, nil
		}
		if err == nil {
			rev = resp.Header.Revision + 1
		}
		select {
		case <-ctx.Done():
			return Reply{}, ctx.Err()
		case <-time.After(followRetry):
		}
	}
}

// forget deletes a finished request's keys (they would go with the lease anyway).
func (r *Requests) forget(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	r.cli.Txn(ctx).Then(clientv3.OpDelete(r.reqKey(id)), clientv3.OpDelete(r.takenKey(id)), clientv3.OpDelete(r.replyKey(id))).Commit()
}

// Serve runs handle once for each request, until ctx ends (then it waits for
// the handlers it started). Run it only while leading: a request is claimed
// before it runs, so another server never runs it again.
func (r *Requests) Serve(ctx context.Context, handle func(context.Context, Request) Reply) {
	var wg sync.WaitGroup
	defer wg.Wait()
	for batch := range watchPrefix(ctx, r.cli, r.pfx+"requests/") {
		for _, kc := range batch {
			if kc.Deleted {
				continue
			}
			var req Request
			if err := json.Unmarshal(kc.Value, &req); err != nil || req.ID != strings.TrimPrefix(string(kc.Key), r.pfx+"requests/") {
				continue
			}
			if !r.claim(ctx, req.ID, kc.Lease) {
				continue
			}
			wg.Go(func() {
				rep := handle(ctx, req)
				rep.ID = req.ID
				b, _ := json.Marshal(rep)
				pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), replyTimeout)
				defer cancel()
				r.cli.Put(pctx, r.replyKey(req.ID), string(b), clientv3.WithLease(kc.Lease))
			})
		}
	}
}

// replyTimeout bounds putting a reply once the command has run.
const replyTimeout = 5 * time.Second

// claim marks a request taken (under the caller's lease) unless it already
// is or its caller is gone.
func (r *Requests) claim(ctx context.Context, id string, lease clientv3.LeaseID) bool {
	resp, err := r.cli.Txn(ctx).
		If(clientv3.Compare(clientv3.CreateRevision(r.takenKey(id)), "=", 0),
			clientv3.Compare(clientv3.CreateRevision(r.reqKey(id)), ">", 0)).
		Then(clientv3.OpPut(r.takenKey(id), r.node, clientv3.WithLease(lease))).
		Commit()
	return err == nil && resp.Succeeded
}

func marshalRaw(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	return json.Marshal(v)
}

func randomID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
