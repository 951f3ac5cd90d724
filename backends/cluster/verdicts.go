package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Verdict is one vantage's judgement of one mirror.
type Verdict struct {
	Node   string    `json:"node"`
	Region string    `json:"region"`
	Mirror string    `json:"mirror"`
	State  string    `json:"state"`
	Reason string    `json:"reason,omitempty"`
	At     time.Time `json:"at"`
}

// VerdictChange is a verdict put, or gone (Gone: the node withdrew it or its
// lease expired; Node and Mirror say which).
type VerdictChange struct {
	Verdict
	Gone bool
}

// Verdicts publishes this node's verdicts under its lease and watches everyone's.
type Verdicts struct {
	cli   *clientv3.Client
	pfx   string
	lease *Lease

	mu   sync.Mutex
	mine map[string]Verdict // by mirror, re-put under a new lease
}

// NewVerdicts returns the site's verdicts; this node's go under lease.
func NewVerdicts(cli *clientv3.Client, site string, lease *Lease) *Verdicts {
	v := &Verdicts{cli: cli, pfx: prefix(site) + "verdicts/", lease: lease, mine: map[string]Verdict{}}
	lease.OnRenew(v.republish)
	return v
}

func (v *Verdicts) key(node, mirror string) string { return v.pfx + node + "/" + mirror }

// Publish puts v under the node's lease.
func (v *Verdicts) Publish(ctx context.Context, vd Verdict) error {
	if err := checkName("verdict node", vd.Node); err != nil {
		return err
	}
	if vd.Mirror == "" {
		return fmt.Errorf("cluster: verdict from %s names no mirror", vd.Node)
	}
	id, err := v.lease.ID(ctx)
	if err != nil {
		return err
	}
	v.mu.Lock()
	v.mine[vd.Mirror] = vd
	v.mu.Unlock()
	return v.put(ctx, id, vd)
}

func (v *Verdicts) put(ctx context.Context, id clientv3.LeaseID, vd Verdict) error {
	if err := putJSON(ctx, v.cli, v.key(vd.Node, vd.Mirror), vd, id); err != nil {
		return fmt.Errorf("cluster: publish %s's verdict on %s: %w", vd.Node, vd.Mirror, err)
	}
	return nil
}

// republish re-puts this node's verdicts under a new lease.
func (v *Verdicts) republish(ctx context.Context, id clientv3.LeaseID) error {
	v.mu.Lock()
	all := make([]Verdict, 0, len(v.mine))
	for _, vd := range v.mine {
		all = append(all, vd)
	}
	v.mu.Unlock()
	for _, vd := range all {
		if err := v.put(ctx, id, vd); err != nil {
			return err
		}
	}
	return nil
}

// Watch delivers every node's verdicts as they stand, then each change.
// Undecodable entries are skipped. The channel closes when ctx ends.
func (v *Verdicts) Watch(ctx context.Context) <-chan VerdictChange {
	out := make(chan VerdictChange)
	go func() {
		defer close(out)
		for batch := range watchPrefix(ctx, v.cli, v.pfx) {
			for _, kc := range batch {
				vc, ok := v.change(kc)
				if !ok {
					continue
				}
				select {
				case out <- vc:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// change decodes one key change.
func (v *Verdicts) change(kc keyChange) (VerdictChange, bool) {
	node, mirror, ok := strings.Cut(strings.TrimPrefix(string(kc.Key), v.pfx), "/")
	if !ok {
		return VerdictChange{}, false
	}
	if kc.Deleted {
		return VerdictChange{Verdict: Verdict{Node: node, Mirror: mirror}, Gone: true}, true
	}
	var vd Verdict
	if json.Unmarshal(kc.Value, &vd) != nil {
		return VerdictChange{}, false
	}
	vd.Node, vd.Mirror = node, mirror
	return VerdictChange{Verdict: vd}, true
}
