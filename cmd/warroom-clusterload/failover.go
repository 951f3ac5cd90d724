package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"warroom/backends/config"
	"warroom/backends/sim"
	"warroom/cmd/internal/procstat"
)

// measureFailover kills the room's leader o.kills times and times each
// kill to the first ack accepted through a surviving node.
func measureFailover(ctx context.Context, o options, dir string) error {
	// One open alert per round and some to spare: mirrors 1.. are down
	// (the first, active, and the last stay up, so no vantage looks isolated).
	f, err := sim.Start(sim.Options{Mirrors: o.kills + 12, Seed: 1, SyncEvery: time.Hour})
	if err != nil {
		return err
	}
	defer f.Close()
	ms := f.Mirrors()
	for _, m := range ms[1 : len(ms)-1] {
		m.SetDown(true)
	}
	s := spec{nodes: 3, regions: []string{"r1", "r2", "r3"}, fleet: f,
		health: config.Health{Path: "/health", Interval: 2 * time.Second, Timeout: time.Second, FailAfter: 2, RecoverAfter: 2}}
	nodes, err := startNodes(ctx, o, dir, s)
	if err != nil {
		return err
	}
	defer closeNodes(nodes)
	fmt.Printf("failover: 3 nodes (serve, embedded etcd, loopback), heartbeat %v, election %v, lease %v; %d mirrors, %d down\n",
		o.heartbeat, o.election, o.lease, len(ms), len(ms)-2)
	if err := waitAlerts(ctx, nodes[0], o.kills+2); err != nil {
		return err
	}
	var lat, withRaft, roomOnly []time.Duration
	for round := 1; round <= o.kills; round++ {
		d, raft, err := failoverRound(ctx, o, nodes, round)
		if err != nil {
			return fmt.Errorf("round %d: %w", round, err)
		}
		lat = append(lat, d)
		if raft {
			withRaft = append(withRaft, d)
		} else {
			roomOnly = append(roomOnly, d)
		}
	}
	fmt.Printf("leader killed → first accepted ack: %s\n", summary(lat))
	fmt.Printf("  the killed node also led etcd's raft: %s\n", summary(withRaft))
	fmt.Printf("  it led the room only:                 %s\n", summary(roomOnly))
	return nil
}

// failoverRound kills the leader, acks through the next node until one
// is accepted, and brings the killed node back. raft: the killed node
// was etcd's raft leader too.
func failoverRound(ctx context.Context, o options, nodes []*node, round int) (took time.Duration, raft bool, err error) {
	v, err := settled(ctx, o.bin, nodes[round%len(nodes)], len(nodes))
	if err != nil {
		return 0, false, fmt.Errorf("cluster not settled: %w", err)
	}
	li := -1
	for i, nd := range nodes {
		if nd.name == v.Leader {
			li = i
		}
	}
	if li < 0 {
		return 0, false, fmt.Errorf("leader %q is none of the nodes", v.Leader)
	}
	leader, via := nodes[li], nodes[(li+1)%len(nodes)]
	raft = v.raftLeader() == leader.name
	evs, err := events(via)
	if err != nil {
		return 0, raft, err
	}
	alerts := openAlerts(evs)
	start := time.Now()
	leader.kill()
	attempts, first, err := ackUntilAccepted(ctx, o.bin, via, alerts)
	took = time.Since(start)
	if err != nil {
		return 0, raft, err
	}
	after, _ := status(ctx, o.bin, via)
	fmt.Printf("round %2d: killed %s (term %d, raft leader %s); ack through %s accepted after %v, %d attempt(s); %s leads (term %d); load %s\n",
		round, leader.name, v.Term, v.raftLeader(), via.name, took.Round(time.Millisecond), attempts, after.Leader, after.Term, procstat.LoadAvg())
	if first != "" {
		fmt.Printf("          first refusal: %s\n", first)
	}
	if err := leader.start(o.bin); err != nil {
		return 0, raft, err
	}
	return took, raft, leader.waitUp(ctx)
}

// waitAlerts waits until nd's journal holds at least n open alerts.
func waitAlerts(ctx context.Context, nd *node, n int) error {
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	for {
		evs, _ := events(nd)
		if len(openAlerts(evs)) >= n {
			return nil
		}
		if err := pause(ctx, 200*time.Millisecond); err != nil {
			return fmt.Errorf("fewer than %d open alerts in %s's journal: %w", n, nd.name, err)
		}
	}
}

// ackUntilAccepted acks the first of alerts through nd's control socket
// until the room accepts one; an alert the room says is gone or acked is
// dropped for the next. It returns the attempts and the first refusal.
func ackUntilAccepted(ctx context.Context, bin string, nd *node, alerts []string) (int, string, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	first := ""
	for attempts := 1; ; attempts++ {
		if len(alerts) == 0 {
			return attempts, first, fmt.Errorf("no open alert left to ack through %s", nd.name)
		}
		out, err := ack(ctx, bin, nd, alerts[0])
		if err != nil && first == "" {
			first = out
		}
		switch {
		case err == nil:
			return attempts, first, nil
		case strings.Contains(out, "no active alert") || strings.Contains(out, "already acknowledged"):
			alerts = alerts[1:]
		case ctx.Err() != nil:
			return attempts, first, fmt.Errorf("no ack accepted through %s: %w (last: %s)", nd.name, ctx.Err(), out)
		default:
			_ = pause(ctx, 50*time.Millisecond)
		}
	}
}

// ack runs `warroom ack ID` against nd's running room as loadUser.
func ack(ctx context.Context, bin string, nd *node, id string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "ack", id, "--config", nd.cfg)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Env = append(os.Environ(), "WARROOM_USER="+loadUser)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return strings.TrimSpace(out.String()), err
}
