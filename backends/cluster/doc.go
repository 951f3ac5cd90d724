// Package cluster replicates the warroom journal through etcd: an embedded
// member, a leader election whose term fences every write, the replicated
// journal and its local materialized copy, per-vantage verdicts, node status
// and command forwarding to the leader. It knows nothing of the UI.
package cluster
