package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"

	"warroom/backends/cluster/clustertest"
)

// etcdMembers starts n etcd members in the test process on loopback ports
// it picks, and returns them with the config's peers: lines.
func etcdMembers(t *testing.T, n int) ([]*embed.Etcd, []func(), string) {
	t.Helper()
	ports := clustertest.FreePorts(t, 2*n)
	var initial, peers []string
	for i := range n {
		name := string(rune('a' + i))
		initial = append(initial, fmt.Sprintf("%s=http://127.0.0.1:%d", name, ports[2*i]))
		peers = append(peers, fmt.Sprintf("    - {name: %s, region: r-%s, peer_url: \"http://127.0.0.1:%d\", client_url: \"http://127.0.0.1:%d\"}", name, name, ports[2*i], ports[2*i+1]))
	}
	members, stops := make([]*embed.Etcd, n), make([]func(), n)
	for i := range n {
		cfg := embed.NewConfig()
		cfg.Name = string(rune('a' + i))
		cfg.Dir = filepath.Join(t.TempDir(), "etcd")
		pu, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", ports[2*i]))
		cu, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", ports[2*i+1]))
		cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{*pu}, []url.URL{*pu}
		cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{*cu}, []url.URL{*cu}
		cfg.InitialCluster = strings.Join(initial, ",")
		cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
		e, err := embed.StartEtcd(cfg)
		if err != nil {
			t.Fatalf("start etcd member %s: %v", cfg.Name, err)
		}
		members[i] = e
		var once sync.Once // Close panics when called twice
		stops[i] = func() { once.Do(e.Close) }
		t.Cleanup(stops[i])
	}
	for _, e := range members {
		select {
		case <-e.Server.ReadyNotify():
		case <-time.After(time.Minute):
			t.Fatal("etcd members did not form a cluster within a minute")
		}
	}
	return members, stops, strings.Join(peers, "\n")
}

func TestClusterStatusShowsMembersLeaderAndLag(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three etcd members")
	}
	bin := buildBinary(t)
	members, stop, peers := etcdMembers(t, 3)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "warroom.yaml")
	cfgText := "site: t\nstate_dir: " + dir + "\norigin: {url: http://127.0.0.1:1/}\nmirrors: [{name: m, url: http://127.0.0.1:2/}]\n" +
		"cluster:\n  node: a\n  peers:\n" + peers + "\n"
	if err := os.WriteFile(cfgPath, []byte(cfgText), 0o600); err != nil {
		t.Fatal(err)
	}

	// What running nodes would have written: the head, two nodes' status, a leader.
	c, err := clientv3.New(clientv3.Config{Endpoints: []string{members[0].Clients[0].Addr().String()}, DialTimeout: 10 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		t.Fatalf("client of member a: %v", err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p := clusterPrefix("t")
	sess, err := concurrency.NewSession(c, concurrency.WithTTL(5))
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	el := concurrency.NewElection(sess, p+"leader/")
	if err := el.Campaign(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		p + "head":    "7",
		p + "nodes/a": `{"node":"a","region":"r-a","applied_seq":5,"leader":false,"term":0}`,
		p + "nodes/b": fmt.Sprintf(`{"node":"b","region":"r-b","applied_seq":7,"leader":true,"term":%d}`, el.Rev()),
	} {
		if _, err := c.Put(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}

	code, out, errOut := runBinary(t, bin, "", "cluster", "status", "--config", cfgPath, "--json")
	if code != 0 {
		t.Fatalf("cluster status exit %d, want 0\n%s%s", code, out, errOut)
	}
	var v clusterView
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if !v.Quorum || v.Leader != "b" || v.Term != el.Rev() || v.Head != 7 || len(v.Members) != 3 {
		t.Errorf("view = %+v, want quorum, leader b at term %d, head 7, 3 members", v, el.Rev())
	}
	etcdLeaders := 0
	for _, m := range v.Members {
		if !m.Up || m.RaftTerm == 0 {
			t.Errorf("member %+v: want up with a raft term", m)
		}
		if m.EtcdLead {
			etcdLeaders++
		}
	}
	if etcdLeaders != 1 {
		t.Errorf("%d members say they lead etcd, want 1: %+v", etcdLeaders, v.Members)
	}
	if len(v.Nodes) != 2 || v.Nodes[0].Node != "a" || v.Nodes[0].Lag != 2 || v.Nodes[1].Lag != 0 {
		t.Errorf("nodes = %+v, want a 2 behind and b caught up", v.Nodes)
	}
	code, out, _ = runBinary(t, bin, "", "cluster", "status", "--config", cfgPath)
	for _, want := range []string{"3 of 3 members up, quorum", "room leader: b, term", "journal head 7", "r-a"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("table (exit %d) lacks %q:\n%s", code, want, out)
		}
	}

	// Two of three gone: no majority, exit 1, and the table says so.
	stop[1]()
	stop[2]()
	code, out, errOut = runBinary(t, bin, "", "cluster", "status", "--config", cfgPath, "--timeout", "2s")
	if code != 1 || !strings.Contains(out, "1 of 3 members up, NO QUORUM") || !strings.Contains(errOut, "no quorum") {
		t.Errorf("without quorum: exit %d, want 1 and NO QUORUM\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}
