// Command warroom-clusterload measures a warroom cluster made of the real
// binary: three `warroom serve` nodes with embedded etcd, on loopback
// ports, over a simulated fleet that runs in this process. It builds the
// binary once (or takes --bin), keeps every node's state in a temporary
// folder it removes, kills its children if it dies (Pdeathsig), and stops
// by itself within --budget.
//
//	go run ./cmd/warroom-clusterload -measure failover -kills 20
//	go run ./cmd/warroom-clusterload -measure idle -mirrors 1000 -window 60s -runs 3
//	go run ./cmd/warroom-clusterload -measure bytes -window 120s -runs 3
//
// failover: kill -9 the room's leader, then ack an open alert through a
// surviving node's control socket until one is accepted; restart the node.
// idle: CPU and RSS of each node and of a single-node serve (no cluster:)
// probing the same fleet over the same window. bytes: journal bytes and
// peer traffic of a cluster watching the demo's animated fleet.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"warroom/cmd/internal/procstat"
)

type options struct {
	bin     string
	measure string
	kills   int
	runs    int
	mirrors int
	window  time.Duration
	warmup  time.Duration
	budget  time.Duration
	// The cluster's timeouts, as in a config's cluster: section.
	heartbeat, election, lease time.Duration
	keep                       bool
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "", "the warroom binary (default: build ./cmd/warroom once into the temporary folder)")
	flag.StringVar(&o.measure, "measure", "", "failover, idle or bytes")
	flag.IntVar(&o.kills, "kills", 20, "failover: how many leaders to kill")
	flag.IntVar(&o.runs, "runs", 3, "idle, bytes: how many runs, each on fresh nodes")
	flag.IntVar(&o.mirrors, "mirrors", 1000, "idle: simulated mirrors every node probes")
	flag.DurationVar(&o.window, "window", 60*time.Second, "idle, bytes: the measured window of each run")
	flag.DurationVar(&o.warmup, "warmup", 30*time.Second, "idle, bytes: wait this long after the nodes are up before the window")
	flag.DurationVar(&o.budget, "budget", 25*time.Minute, "stop everything after this long")
	flag.DurationVar(&o.heartbeat, "heartbeat", 100*time.Millisecond, "cluster heartbeat (etcd's tick)")
	flag.DurationVar(&o.election, "election", time.Second, "cluster election timeout")
	flag.DurationVar(&o.lease, "lease", 5*time.Second, "the room leader's lease (whole seconds)")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary folder (node logs, journals) and print its path")
	flag.Parse()
	if err := o.validate(); err != nil {
		fmt.Fprintln(os.Stderr, "warroom-clusterload:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	ctx, cancel := context.WithTimeout(ctx, o.budget)
	err := run(ctx, o)
	cancel()
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "warroom-clusterload:", err)
		os.Exit(1)
	}
}

func (o options) validate() error {
	switch {
	case o.measure != "failover" && o.measure != "idle" && o.measure != "bytes":
		return fmt.Errorf("-measure %q: want failover, idle or bytes", o.measure)
	case o.kills < 1 || o.kills > 500:
		return fmt.Errorf("-kills %d: want 1 to 500", o.kills)
	case o.runs < 1 || o.runs > 20:
		return fmt.Errorf("-runs %d: want 1 to 20", o.runs)
	case o.mirrors < 1 || o.mirrors > 5000:
		return fmt.Errorf("-mirrors %d: want 1 to 5000", o.mirrors)
	case o.window < time.Second || o.warmup < 0:
		return fmt.Errorf("-window %v -warmup %v: want a window of at least 1s and no negative warm-up", o.window, o.warmup)
	case o.budget <= 0:
		return fmt.Errorf("-budget %v: want a positive duration", o.budget)
	}
	return nil
}

// run prepares the temporary folder and the binary, then measures.
func run(ctx context.Context, o options) error {
	dir, err := os.MkdirTemp("", "warroom-clusterload-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintln(os.Stderr, "keeping", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	if o.bin == "" {
		if o.bin, err = build(ctx, dir); err != nil {
			return err
		}
	}
	fmt.Printf("load: %s\n", procstat.LoadAvg())
	switch o.measure {
	case "failover":
		err = measureFailover(ctx, o, dir)
	case "idle":
		err = measureIdle(ctx, o, dir)
	default:
		err = measureBytes(ctx, o, dir)
	}
	fmt.Printf("load: %s\n", procstat.LoadAvg())
	return err
}
