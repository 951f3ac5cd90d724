package main

import (
	"fmt"

	"warroom/backends/room"
)

// clusterLines say this node's part in a cluster, and loudly when it has
// no quorum (nothing it is asked is recorded or done).
func clusterLines(s *room.Snapshot) []string {
	var out []string
	if s.NoQuorum != "" {
		out = append(out, fmt.Sprintf("critical %s (%s): commands and posts are refused here until the cluster is whole",
			s.NoQuorum, s.NoQuorumWhy))
	}
	switch s.Role {
	case room.RoleLeader:
		out = append(out, fmt.Sprintf("info     this node leads the room (term %s)", s.LeaderTerm))
	case room.RoleReplica:
		leader := s.Leader
		if leader == "" {
			leader = "no leader known yet"
		}
		out = append(out, fmt.Sprintf("info     this node is a replica; the room's leader: %s", leader))
	}
	return out
}

// clusterJSON is the cluster part of `status --json`; absent outside one.
type clusterJSON struct {
	Role     string `json:"role"`
	Leader   string `json:"leader,omitempty"`
	Term     string `json:"term,omitempty"`
	NoQuorum string `json:"no_quorum,omitempty"` // the cluster's reason
}

func toClusterJSON(s *room.Snapshot) *clusterJSON {
	if s.Role == "" {
		return nil
	}
	return &clusterJSON{Role: s.Role, Leader: s.Leader, Term: s.LeaderTerm, NoQuorum: s.NoQuorumWhy}
}
