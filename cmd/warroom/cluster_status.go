package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// cmdCluster runs `warroom cluster SUBCOMMAND`.
func cmdCluster(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "status" {
		return usageError("cluster: want 'warroom cluster status [--json]'")
	}
	return cmdClusterStatus(ctx, args[1:], stdout, stderr)
}

// cmdClusterStatus prints the members, the room's leader and term, and each
// node's journal position and lag; exit 1 without a quorum.
func cmdClusterStatus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f roomFlags
	fs := newFlags("cluster status", stderr)
	fs.StringVar(&f.config, "config", "", "config file with a cluster: section")
	asJSON := fs.Bool("json", false, "print JSON")
	timeout := fs.Duration("timeout", 3*time.Second, "how long each member may take to answer")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *timeout <= 0 {
		return usageError("cluster status: --timeout must be positive")
	}
	s, err := load(f)
	if err != nil {
		return err
	}
	x := &s.cfg.Cluster
	if !x.Enabled() {
		return fmt.Errorf("cluster status: %s has no cluster: section; see examples/warroom.yaml", s.cfg.Path)
	}
	// The client's own log would repeat on stderr what the table says.
	cli, err := clientv3.New(clientv3.Config{Endpoints: x.ClientURLs(), DialTimeout: *timeout, Logger: zap.NewNop()})
	if err != nil {
		return fmt.Errorf("cluster status: connect to %v: %v", x.ClientURLs(), err)
	}
	defer cli.Close()
	v := readClusterView(ctx, cli, x, s.cfg.Site, *timeout)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			return err
		}
	} else {
		printClusterView(stdout, v)
	}
	if !v.Quorum {
		return failed{fmt.Errorf("cluster %s: %s", s.cfg.Site, v.Why)}
	}
	return nil
}

// printClusterView writes the view as a summary line and two tables.
func printClusterView(w io.Writer, v clusterView) {
	up := 0
	for _, m := range v.Members {
		if m.Up {
			up++
		}
	}
	quorum := "quorum"
	if !v.Quorum {
		quorum = "NO QUORUM — read-only"
	}
	fmt.Fprintf(w, "cluster %s: %d of %d members up, %s\n", v.Site, up, len(v.Members), quorum)
	switch {
	case !v.Quorum:
	case v.Leader == "":
		fmt.Fprintf(w, "room leader: none (an election is under way), journal head %d\n", v.Head)
	default:
		fmt.Fprintf(w, "room leader: %s, term %d, journal head %d\n", v.Leader, v.Term, v.Head)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nMEMBER\tETCD\tRAFT TERM\tENDPOINT")
	for _, m := range v.Members {
		state, term := "down: "+m.Error, "-"
		if m.Up {
			state, term = "follower", fmt.Sprint(m.RaftTerm)
			if m.EtcdLead {
				state = "leader"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Name, state, term, m.ClientURL)
	}
	if v.Quorum {
		fmt.Fprintln(tw, "\nNODE\tREGION\tROOM\tAPPLIED\tLAG")
		for _, n := range v.Nodes {
			role := "replica"
			if n.Node == v.Leader {
				role = "leader"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\n", n.Node, n.Region, role, n.Applied, n.Lag)
		}
	}
	tw.Flush()
}
