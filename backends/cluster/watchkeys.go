package cluster

import (
	"context"
	"encoding/json"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// keyChange is one key under a watched prefix put or gone.
type keyChange struct {
	Key, Value []byte
	Lease      clientv3.LeaseID
	Deleted    bool
}

// watchPrefix delivers every key under pfx as it is now, then each change.
// After a broken or compacted watch it reads the prefix again and reports
// what changed meanwhile (including deletions), so the receiver's view
// converges. The channel closes when ctx ends.
func watchPrefix(ctx context.Context, cli *clientv3.Client, pfx string) <-chan []keyChange {
	out := make(chan []keyChange)
	go func() {
		defer close(out)
		seen := map[string]bool{}
		for ctx.Err() == nil {
			watchOnce(ctx, cli, pfx, seen, out)
			select {
			case <-ctx.Done():
			case <-time.After(followRetry):
			}
		}
	}()
	return out
}

// watchOnce syncs seen with the prefix, then follows the watch until it ends.
func watchOnce(ctx context.Context, cli *clientv3.Client, pfx string, seen map[string]bool, out chan<- []keyChange) {
	resp, err := cli.Get(ctx, pfx, clientv3.WithPrefix())
	if err != nil {
		return
	}
	now := map[string]bool{}
	var batch []keyChange
	for _, kv := range resp.Kvs {
		now[string(kv.Key)] = true
		batch = append(batch, keyChange{Key: kv.Key, Value: kv.Value, Lease: clientv3.LeaseID(kv.Lease)})
	}
	for k := range seen {
		if !now[k] {
			batch = append(batch, keyChange{Key: []byte(k), Deleted: true})
			delete(seen, k)
		}
	}
	for k := range now {
		seen[k] = true
	}
	if !send(ctx, out, batch) {
		return
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for wr := range cli.Watch(clientv3.WithRequireLeader(wctx), pfx, clientv3.WithPrefix(), clientv3.WithRev(resp.Header.Revision+1)) {
		if wr.Err() != nil || wr.Canceled {
			return
		}
		batch = batch[:0:0]
		for _, ev := range wr.Events {
			k := string(ev.Kv.Key)
			if ev.Type == clientv3.EventTypeDelete {
				delete(seen, k)
				batch = append(batch, keyChange{Key: ev.Kv.Key, Deleted: true})
				continue
			}
			seen[k] = true
			batch = append(batch, keyChange{Key: ev.Kv.Key, Value: ev.Kv.Value, Lease: clientv3.LeaseID(ev.Kv.Lease)})
		}
		if !send(ctx, out, batch) {
			return
		}
	}
}

// putJSON puts v's JSON at key under lease.
func putJSON(ctx context.Context, cli *clientv3.Client, key string, v any, lease clientv3.LeaseID) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = cli.Put(ctx, key, string(b), clientv3.WithLease(lease))
	return err
}
