package cluster

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"warroom/backends/journal"
)

// benchEvent is one event of about the size the room writes (150 bytes).
var benchEvent = []byte(`{"seq":0,"at":"2026-01-02T03:04:05.678Z","kind":"alert.acked","actor":"olga","subject":"mirror-017","fields":{"alert":"a-000123","note":"on it, paging network"}}`)

// BenchmarkAppendBatch measures the commit latency of one batch (one
// event, as an ack writes): a synced local journal append, the single-node
// baseline, then FencedJournal.Append on three embedded members whose
// peer links get each delay added each way (so the round trip grows by
// twice it). The raft tick and election follow the round trip as the
// README advises. "via-leader" appends through the raft leader's own
// member, "via-follower" through another's (the proposal is forwarded).
// Reports p50 and p99 in ms besides the mean.
//
//	go test -run '^$' -bench AppendBatch -benchtime 60x -count 3 ./backends/cluster/
func BenchmarkAppendBatch(b *testing.B) {
	b.Run("local-journal", func(b *testing.B) {
		j, _, err := journal.Open(filepath.Join(b.TempDir(), "journal.jsonl"), journal.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer j.Close()
		timeAppends(b, func() error { _, err := j.Append(benchEvent); return err })
	})
	for _, d := range []time.Duration{0, 50 * time.Millisecond, 150 * time.Millisecond} {
		b.Run(fmt.Sprintf("replicated-delay-%s", d), func(b *testing.B) { benchReplicated(b, d) })
	}
}

// benchReplicated appends under one term through the raft leader's member
// and through a follower's, with delay added on every peer link.
func benchReplicated(b *testing.B, delay time.Duration) {
	tick := max(50*time.Millisecond, 2*delay) // about the round trip
	c := startClusterTimed(b, 3, uint(tick.Milliseconds()), uint(10*tick.Milliseconds()))
	for i, x := range c.names {
		for _, y := range c.names[i+1:] {
			c.net.Delay(x, y, delay)
		}
	}
	leader, follower := raftRoles(b, c)
	l, err := NewLeadership(c.cli(leader), testSite, "n1", 2*10*tick+5*time.Second)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	term, err := l.Campaign(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, via := range []struct{ name, member string }{{"via-leader", leader}, {"via-follower", follower}} {
		b.Run(via.name, func(b *testing.B) {
			fj := NewJournal(c.cli(via.member), testSite).Fenced(term, 30*time.Second)
			timeAppends(b, func() error { _, err := fj.Append(benchEvent); return err })
		})
	}
}

// raftRoles waits for a raft leader and names it and one follower.
func raftRoles(b *testing.B, c *testCluster) (leader, follower string) {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		for name, m := range c.members {
			switch {
			case m.etcd.Server.Leader() == 0:
			case m.etcd.Server.Leader() == m.etcd.Server.MemberID():
				leader = name
			default:
				follower = name
			}
		}
		c.mu.Unlock()
		if leader != "" && follower != "" {
			return leader, follower
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.Fatal("no raft leader within a minute")
	return "", ""
}

// timeAppends runs op in b.Loop and reports p50 and p99 in ms.
func timeAppends(b *testing.B, op func() error) {
	var lat []time.Duration
	for b.Loop() {
		start := time.Now()
		if err := op(); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
