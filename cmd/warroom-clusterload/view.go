package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"warroom/backends/room"
)

// view is the part of `warroom cluster status --json` the load reads.
type view struct {
	Quorum  bool   `json:"quorum"`
	Leader  string `json:"leader"`
	Term    int64  `json:"term"`
	Head    uint64 `json:"head"`
	Members []struct {
		Name     string `json:"name"`
		EtcdLead bool   `json:"etcd_leader"`
	} `json:"members"`
	Nodes []struct {
		Node string `json:"node"`
		Lag  uint64 `json:"lag"`
	} `json:"nodes"`
}

// status asks the cluster, through nd's config, how it stands.
func status(ctx context.Context, bin string, nd *node) (view, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "cluster", "status", "--config", nd.cfg, "--json", "--timeout", "1s")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.Output()
	var v view
	if jerr := json.Unmarshal(out, &v); jerr != nil && err == nil {
		err = jerr
	}
	return v, err
}

// settled waits until the cluster has a leader and every one of want
// nodes reports itself caught up with the head.
func settled(ctx context.Context, bin string, via *node, want int) (view, error) {
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	for {
		v, err := status(ctx, bin, via)
		if err == nil && v.Leader != "" && len(v.Nodes) == want && allCaughtUp(v) {
			return v, nil
		}
		if err := pause(ctx, 200*time.Millisecond); err != nil {
			return v, err
		}
	}
}

// raftLeader is the etcd member that leads raft ("" if none answered so).
func (v view) raftLeader() string {
	for _, m := range v.Members {
		if m.EtcdLead {
			return m.Name
		}
	}
	return ""
}

func allCaughtUp(v view) bool {
	for _, n := range v.Nodes {
		if n.Lag != 0 {
			return false
		}
	}
	return true
}

// events reads a node's journal.jsonl (its copy of the replicated one).
func events(nd *node) ([]room.Event, error) {
	f, err := os.Open(filepath.Join(nd.dir, "journal.jsonl"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []room.Event
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var ev room.Event
		if json.Unmarshal(sc.Bytes(), &ev) == nil {
			out = append(out, ev)
		}
	}
	return out, sc.Err()
}

// openAlerts lists the alerts raised and neither cleared nor acked, oldest first.
func openAlerts(evs []room.Event) []string {
	state := map[string]string{}
	var order []string
	for _, ev := range evs {
		id := ev.AlertFacts().Alert
		switch ev.Kind {
		case room.EvAlertRaised:
			if _, seen := state[id]; !seen {
				order = append(order, id)
			}
			state[id] = "open"
		case room.EvAlertCleared, room.EvAlertAcked:
			state[id] = "done"
		}
	}
	var out []string
	for _, id := range order {
		if state[id] == "open" {
			out = append(out, id)
		}
	}
	return out
}
