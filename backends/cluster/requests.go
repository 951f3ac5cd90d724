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
	try   time.Duration // each etcd call's deadline before it is tried again
}

// NewRequests returns the site's request channel for node. election is
// etcd's election timeout: each etcd call gets that long, then is tried again,
// so losing raft's leader costs about an election, not etcd's request timeout.
func NewRequests(cli *clientv3.Client, site, node string, lease *Lease, election time.Duration) *Requests {
	if election <= 0 {
		election = time.Second // etcd's default
	}
	return &Requests{cli: cli, pfx: prefix(site), node: node, lease: lease, try: election}
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
	var id clientv3.LeaseID
	if err := attempts(ctx, r.try, func(ctx context.Context) (err error) { id, err = r.lease.ID(ctx); return err }); err != nil {
		return fmt.Errorf("cluster: %s: %w", method, err)
	}
	var rev int64
	if err := attempts(ctx, r.try, func(ctx context.Context) (err error) { rev, err = r.send(ctx, req.ID, b, id); return err }); err != nil {
		return fmt.Errorf("cluster: %s: send to the leader: %w", method, err)
	}
	defer r.forget(req.ID)
	rep, err := r.awaitReply(ctx, req.ID, rev)
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

// send puts the request unless an earlier try already did, and returns the
// revision it was created at: its reply comes after that. A try that timed
// out may still have landed; putting it again would hide a reply put since.
func (r *Requests) send(ctx context.Context, id string, b []byte, lease clientv3.LeaseID) (int64, error) {
	resp, err := r.cli.Txn(ctx).
		If(clientv3.Compare(clientv3.CreateRevision(r.reqKey(id)), "=", 0)).
		Then(clientv3.OpPut(r.reqKey(id), string(b), clientv3.WithLease(lease))).
		Else(clientv3.OpGet(r.reqKey(id))).
		Commit()
	if err != nil {
		return 0, err
	}
	if resp.Succeeded {
		return resp.Header.Revision, nil
	}
	kvs := resp.Responses[0].GetResponseRange().Kvs
	if len(kvs) == 0 { // the txn is atomic: the compare saw it, so the get does
		return 0, fmt.Errorf("request %s vanished", id)
	}
	return kvs[0].CreateRevision, nil
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
		gctx, cancel := context.WithTimeout(ctx, r.try)
		resp, err := r.cli.Get(gctx, r.replyKey(id))
		cancel()
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
				attempts(pctx, r.try, func(ctx context.Context) error {
					_, err := r.cli.Put(ctx, r.replyKey(req.ID), string(b), clientv3.WithLease(kc.Lease))
					return err
				})
			})
		}
	}
}

// replyTimeout bounds putting a reply once the command has run.
const replyTimeout = 5 * time.Second

// claim marks a request taken (under the caller's lease) unless it already
// is or its caller is gone. A try that timed out may have landed: the next
// one then finds the key holding this claim's own token, which is still a
// claim (the token is new each time, so a later term never re-runs it).
func (r *Requests) claim(ctx context.Context, id string, lease clientv3.LeaseID) bool {
	token := r.node + " " + randomID()
	var ok bool
	attempts(ctx, r.try, func(ctx context.Context) error {
		resp, err := r.cli.Txn(ctx).
			If(clientv3.Compare(clientv3.CreateRevision(r.takenKey(id)), "=", 0),
				clientv3.Compare(clientv3.CreateRevision(r.reqKey(id)), ">", 0)).
			Then(clientv3.OpPut(r.takenKey(id), token, clientv3.WithLease(lease))).
			Else(clientv3.OpGet(r.takenKey(id))).
			Commit()
		if err != nil {
			return err
		}
		ok = resp.Succeeded || takenWith(resp, token)
		return nil
	})
	return ok
}

// takenWith reports whether a failed claim's get found the key holding token.
func takenWith(resp *clientv3.TxnResponse, token string) bool {
	kvs := resp.Responses[0].GetResponseRange().Kvs
	return len(kvs) == 1 && string(kvs[0].Value) == token
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
