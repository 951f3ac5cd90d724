package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A one-shot command on a cluster node's config, with the node not
// running, must not open a room of its own: journal.jsonl is the node's
// copy of the cluster's journal, and a local write would fork it.
func TestNodeConfigCommandsNeedTheRunningNode(t *testing.T) {
	f := startFleet(t, 2)
	cfg := fleetConfig(t, f)
	appendFile(t, cfg, "cluster:\n  node: n1\n  peers:\n"+
		"    - {name: n1, peer_url: \"http://127.0.0.1:1\", client_url: \"http://127.0.0.1:2\"}\n"+
		"    - {name: n2, peer_url: \"http://127.0.0.1:3\", client_url: \"http://127.0.0.1:4\"}\n"+
		"    - {name: n3, peer_url: \"http://127.0.0.1:5\", client_url: \"http://127.0.0.1:6\"}\n")
	for _, args := range [][]string{{"ack", "A-1"}, {"failover", "--yes"}} {
		code, out, errOut := runCmd(t, "", append(args, "--config", cfg)...)
		if code != 2 || !strings.Contains(errOut, "start it with `warroom serve`") {
			t.Errorf("%s on a node's config with no node running: exit %d, want 2 and how to start it\n%s%s", args[0], code, out, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(stateDirOf(t, cfg), "journal.jsonl")); !os.IsNotExist(err) {
		t.Errorf("a refused command touched the node's journal: %v", err)
	}
}
