package cluster

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"warroom/backends/cluster/clustertest"
)

// testSite is the site every test cluster uses.
const testSite = "t"

// testCluster is n embedded members on loopback, each peer reached through
// its proxy so tests can cut links.
type testCluster struct {
	t       testing.TB
	names   []string
	cfgs    map[string]MemberConfig
	members map[string]*Member
	net     *clustertest.PeerNet
	mu      sync.Mutex
}

// startCluster starts n members (m1..mn) and stops them when the test ends.
func startCluster(t *testing.T, n int) *testCluster {
	t.Helper()
	return startClusterTimed(t, n, 50, 500)
}

// startClusterTimed is startCluster with the members' raft tick and
// election timeout (ms), which must suit the peers' round trip.
func startClusterTimed(t testing.TB, n int, tickMs, electionMs uint) *testCluster {
	t.Helper()
	c := &testCluster{t: t, cfgs: map[string]MemberConfig{}, members: map[string]*Member{}}
	for i := range n {
		c.names = append(c.names, fmt.Sprintf("m%d", i+1))
	}
	c.net = clustertest.NewPeerNet(t, c.names)
	ports := clustertest.FreePorts(t, n)
	peers := map[string]string{}
	for _, name := range c.names {
		peers[name] = c.net.AdvertiseURL(name)
	}
	dir := t.TempDir()
	for i, name := range c.names {
		c.cfgs[name] = MemberConfig{
			Name: name, DataDir: dir + "/" + name,
			PeerURL: peers[name], ListenPeerURL: c.net.ListenURL(name),
			ClientURL: clustertest.URL(ports[i]), Peers: peers,
			TickMs: tickMs, ElectionMs: electionMs,
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for _, name := range c.names {
		wg.Go(func() { errs <- c.start(name) })
	}
	wg.Wait()
	close(errs)
	t.Cleanup(c.closeAll)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// start (re)starts one member from its config.
func (c *testCluster) start(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	m, err := StartMember(ctx, c.cfgs[name])
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.members[name] = m
	c.mu.Unlock()
	return nil
}

// stop closes one member (as a crash would, leaving its data).
func (c *testCluster) stop(name string) {
	c.mu.Lock()
	m := c.members[name]
	delete(c.members, name)
	c.mu.Unlock()
	if m != nil {
		m.Close()
	}
}

func (c *testCluster) closeAll() {
	for _, name := range c.names {
		c.stop(name)
	}
}

func (c *testCluster) cli(name string) *clientv3.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.members[name].Client()
}

// ctx is a bounded context for one test step.
func testCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
