package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"warroom/backends/config"
	"warroom/backends/loopback"
	"warroom/backends/sim"
)

// node is one warroom process: a cluster node, or a single-node serve.
type node struct {
	name, dir, cfg string
	proxy          *countingProxy // in front of its peer port; nil without a cluster
	args           []string       // after the binary
	cmd            *exec.Cmd
	exited         chan struct{}
}

// spec is what the nodes of one run look like.
type spec struct {
	nodes   int // 0: one node without a cluster: section
	regions []string
	fleet   *sim.Fleet
	health  config.Health
	demo    bool                 // run demo-node: probes name the node's region
	tune    func(*config.Config) // last changes to each config
}

// loadUser is who the command acts as; an operator may ack.
const loadUser = "olga"

// startNodes writes each node's config under dir and starts them all; a
// cluster's nodes wait for each other, so they start together.
func startNodes(ctx context.Context, o options, dir string, s spec) ([]*node, error) {
	n := max(s.nodes, 1)
	ports, err := loopback.Ports(2 * n)
	if err != nil {
		return nil, err
	}
	var nodes []*node
	var peers []config.Peer
	for i := range n {
		nd := &node{name: "n" + strconv.Itoa(i+1), dir: filepath.Join(dir, "n"+strconv.Itoa(i+1))}
		if s.nodes > 0 {
			if nd.proxy, err = newCountingProxy(fmt.Sprintf("127.0.0.1:%d", ports[2*i])); err != nil {
				closeNodes(nodes)
				return nil, err
			}
			peers = append(peers, config.Peer{Name: nd.name, Region: s.regions[i], PeerURL: "http://" + nd.proxy.addr(),
				ClientURL: fmt.Sprintf("http://127.0.0.1:%d", ports[2*i+1])})
		}
		nodes = append(nodes, nd)
	}
	for i, nd := range nodes {
		cfg := fleetConfig(s, nd.dir)
		if s.nodes > 0 {
			cfg.Cluster = config.Cluster{Node: nd.name, Peers: peers, ListenPeer: fmt.Sprintf("http://127.0.0.1:%d", ports[2*i]),
				Heartbeat: o.heartbeat, Election: o.election, Lease: o.lease}
		}
		if err := nd.write(cfg, s); err != nil {
			closeNodes(nodes)
			return nil, err
		}
	}
	for _, nd := range nodes {
		if err := nd.start(o.bin); err != nil {
			closeNodes(nodes)
			return nil, err
		}
	}
	for _, nd := range nodes {
		if err := nd.waitUp(ctx); err != nil {
			closeNodes(nodes)
			return nil, err
		}
	}
	return nodes, nil
}

// fleetConfig is a config probing every node of the fleet the same way.
func fleetConfig(s spec, dir string) *config.Config {
	mirror := func(n *sim.Node, role string) config.Mirror {
		u, _ := url.Parse(n.URL) // the fleet made it
		return config.Mirror{Name: n.Name, URL: u, Region: n.Region, Role: role, Health: s.health,
			Lag: config.Lag{Kind: config.LagTrace, Path: "/project/trace/master"}, Manifest: "/manifest", Syncing: "/Archive-Update-in-Progress"}
	}
	cfg := config.Default()
	cfg.Site = "clusterload"
	cfg.StateDir = dir
	cfg.Origin = mirror(s.fleet.Origin(), "origin")
	for i, m := range s.fleet.Mirrors() {
		cfg.Mirrors = append(cfg.Mirrors, mirror(m, map[bool]string{true: "active", false: "backup"}[i == 0]))
	}
	cfg.Serve = config.DefaultServe()
	cfg.Serve.Listen = "127.0.0.1:0"
	cfg.Serve.Users = []config.ServeUser{{Name: loadUser, Role: "operator", Keys: []string{userKey()}}}
	if s.tune != nil {
		s.tune(&cfg)
	}
	return &cfg
}

// userKey is a fresh public key for the config's one user, who only ever
// acts through the control socket.
func userKey() string {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err) // the system's random source failed
	}
	k, err := gossh.NewPublicKey(pub)
	if err != nil {
		panic(err)
	}
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k)))
}

// write stores the node's config and decides how it is run.
func (nd *node) write(cfg *config.Config, s spec) error {
	cfg.ApplyDefaults()
	data, err := cfg.Marshal()
	if err != nil {
		return fmt.Errorf("node %s: config: %v", nd.name, err)
	}
	if err := os.MkdirAll(nd.dir, 0o700); err != nil {
		return err
	}
	nd.cfg = filepath.Join(nd.dir, "warroom.yaml")
	nd.args = []string{"serve", "--config", nd.cfg}
	if s.demo {
		pids := filepath.Join(filepath.Dir(nd.dir), "pids")
		if err := os.MkdirAll(pids, 0o700); err != nil {
			return err
		}
		nd.args = []string{"demo-node", "--config", nd.cfg, "--pids", pids}
	}
	return os.WriteFile(nd.cfg, data, 0o600)
}

// start runs the node; it dies with this process. Output goes to node.log.
func (nd *node) start(bin string) error {
	log, err := os.OpenFile(filepath.Join(nd.dir, "node.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer log.Close() // the child has its own copy
	nd.cmd = exec.Command(bin, nd.args...)
	nd.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	nd.cmd.Stdout, nd.cmd.Stderr = log, log
	if err := nd.cmd.Start(); err != nil {
		return fmt.Errorf("node %s: %v", nd.name, err)
	}
	nd.exited = make(chan struct{})
	cmd, exited := nd.cmd, nd.exited
	go func() { _ = cmd.Wait(); close(exited) }()
	return nil
}

func (nd *node) pid() int { return nd.cmd.Process.Pid }

func (nd *node) gone() bool {
	select {
	case <-nd.exited:
		return true
	default:
		return false
	}
}

// waitUp waits until the node's control socket answers (a cluster node
// opens it once it has a quorum and its room).
func (nd *node) waitUp(ctx context.Context) error {
	sock := filepath.Join(nd.dir, "control", "room.sock")
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	for {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			return nil
		}
		if nd.gone() {
			return fmt.Errorf("node %s exited before it served (log: %s)", nd.name, filepath.Join(nd.dir, "node.log"))
		}
		if err := pause(ctx, 50*time.Millisecond); err != nil {
			return fmt.Errorf("node %s: no control socket: %w (log: %s)", nd.name, err, filepath.Join(nd.dir, "node.log"))
		}
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (nd *node) kill() {
	_ = nd.cmd.Process.Signal(syscall.SIGKILL)
	<-nd.exited
}

// stop asks the node to end (SIGTERM) and kills it after 15 s.
func (nd *node) stop() {
	if nd.cmd == nil || nd.gone() {
		return
	}
	_ = nd.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-nd.exited:
	case <-time.After(15 * time.Second):
		nd.kill()
	}
}

// closeNodes stops every node at once, then their proxies.
func closeNodes(nodes []*node) {
	done := make(chan struct{}, len(nodes))
	for _, nd := range nodes {
		go func() { nd.stop(); done <- struct{}{} }()
	}
	for range nodes {
		<-done
	}
	for _, nd := range nodes {
		if nd.proxy != nil {
			nd.proxy.close()
		}
	}
}

// pause waits d or until ctx ends (a poll interval, not synchronisation).
func pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
