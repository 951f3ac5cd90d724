// Package cluster replicates the warroom journal through etcd: an embedded
// member, a leader election whose term fences every write, the replicated
// journal and its local materialized copy, per-vantage verdicts, node status
// and command forwarding to the leader. It knows nothing of the UI.
package cluster

import (
	// Imported here so the module keeps them while the package grows.
	_ "go.etcd.io/etcd/client/v3"
	_ "go.etcd.io/etcd/client/v3/concurrency"
	_ "go.etcd.io/etcd/server/v3/embed"
)
