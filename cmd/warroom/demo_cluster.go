package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"

	"warroom/backends/config"
	"warroom/backends/loopback"
	"warroom/backends/sim"
)

// demoRegions are the cluster demo's nodes' regions, in node order; the
// last node's region cannot reach one mirror.
var demoRegions = []string{"eu-west", "us-east", "ap-south", "sa-east", "af-south"}

// demoClusterLease is short so the room visibly moves soon after a kill.
const demoClusterLease = 3 * time.Second

// demoNodeProc is one node of the cluster demo: a child `warroom demo-node`.
type demoNodeProc struct {
	name, region string
	dir, cfg     string
	sshAddr      string
	cmd          *exec.Cmd
	exited       chan struct{}
}

func (p *demoNodeProc) alive() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// demoCluster is `demo --cluster N`: N nodes over one simulated fleet,
// each a child process with its own state folder and etcd member.
type demoCluster struct {
	root  string // temporary: every node's state, the process ids
	me    string
	nodes []*demoNodeProc
}

// startDemoCluster writes each node's config and starts the nodes.
// Children die with the demo (Pdeathsig) and stop on its way out.
func startDemoCluster(n int, fleet *sim.Fleet, base func(stateDir string) *config.Config, userKey string) (*demoCluster, error) {
	root, err := os.MkdirTemp("", "warroom-cluster-")
	if err != nil {
		return nil, fmt.Errorf("demo --cluster: state folder: %v", err)
	}
	d := &demoCluster{root: root, me: sshName(localName())}
	if err := d.start(n, fleet, base, userKey); err != nil {
		d.stop()
		return nil, err
	}
	return d, nil
}

func (d *demoCluster) start(n int, fleet *sim.Fleet, base func(stateDir string) *config.Config, userKey string) error {
	ports, err := loopback.Ports(3 * n)
	if err != nil {
		return fmt.Errorf("demo --cluster: %v", err)
	}
	var peers []config.Peer
	for i := range n {
		d.nodes = append(d.nodes, &demoNodeProc{name: "n" + strconv.Itoa(i+1), region: demoRegions[i],
			dir: filepath.Join(d.root, "n"+strconv.Itoa(i+1)), sshAddr: "127.0.0.1:" + strconv.Itoa(ports[3*i+2])})
		peers = append(peers, config.Peer{Name: d.nodes[i].name, Region: demoRegions[i],
			PeerURL: fmt.Sprintf("http://127.0.0.1:%d", ports[3*i]), ClientURL: fmt.Sprintf("http://127.0.0.1:%d", ports[3*i+1])})
	}
	demoCutOff(fleet, demoRegions[n-1])
	pids := filepath.Join(d.root, "pids")
	if err := os.Mkdir(pids, 0o700); err != nil {
		return fmt.Errorf("demo --cluster: %v", err)
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("demo --cluster: find this program: %v", err)
	}
	for _, p := range d.nodes {
		cfg := base(p.dir)
		cfg.Cluster = config.Cluster{Node: p.name, Peers: peers, Lease: demoClusterLease}
		// A leader starts no step its lease might not outlast; the router
		// answers at once, so the demo's steps fit well inside the lease.
		cfg.Actions.Timeout = demoClusterLease - time.Second
		for i := range cfg.Actions.Executors {
			cfg.Actions.Executors[i].Timeout = cfg.Actions.Timeout // set already by the fleet's defaults
		}
		cfg.Serve = config.DefaultServe()
		cfg.Serve.Listen = p.sshAddr
		cfg.Serve.Users = []config.ServeUser{{Name: d.me, Role: "commander", Keys: []string{userKey}}}
		cfg.ApplyDefaults()
		if err := writeDemoConfig(cfg, p); err != nil {
			return err
		}
		if err := p.run(exe, pids); err != nil {
			return err
		}
	}
	return nil
}

// demoCutOff makes one mirror unreachable from region: the last one that
// is not the active one, which the demo script (flapping, frozen, drifted,
// lagging, slow: the first five) leaves alone.
func demoCutOff(fleet *sim.Fleet, region string) {
	ms := fleet.Mirrors()
	i := len(ms) - 1
	if i == demoActive(fleet) && i > 0 {
		i--
	}
	ms[i].SetUnreachableFrom(region)
}

func writeDemoConfig(cfg *config.Config, p *demoNodeProc) error {
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return fmt.Errorf("demo --cluster: %v", err)
	}
	data, err := cfg.Marshal()
	if err != nil {
		return fmt.Errorf("demo --cluster: node %s's config: %v", p.name, err)
	}
	p.cfg = filepath.Join(p.dir, "warroom.yaml")
	return os.WriteFile(p.cfg, data, 0o600)
}

// run starts the node's process, its output going to a log in its folder,
// and writes its process id where the kill key finds it.
func (p *demoNodeProc) run(exe, pids string) error {
	log, err := os.Create(filepath.Join(p.dir, "node.log"))
	if err != nil {
		return fmt.Errorf("demo --cluster: %v", err)
	}
	defer log.Close() // the child holds its own copy
	p.cmd = exec.Command(exe, "demo-node", "--config", p.cfg, "--pids", pids)
	// Its own process group: the terminal's signals are the demo's to handle.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	p.cmd.Stdout, p.cmd.Stderr = log, log
	if err := p.cmd.Start(); err != nil {
		return fmt.Errorf("demo --cluster: start node %s: %v", p.name, err)
	}
	p.exited = make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(p.exited) }()
	return os.WriteFile(filepath.Join(pids, p.name), []byte(strconv.Itoa(p.cmd.Process.Pid)+"\n"), 0o600)
}

// waitReady waits until every node serves SSH, or says which did not and
// where its log is.
func (d *demoCluster) waitReady(ctx context.Context, within time.Duration) error {
	deadline := time.Now().Add(within)
	for _, p := range d.nodes {
		for {
			c, err := net.DialTimeout("tcp", p.sshAddr, time.Second)
			if err == nil {
				c.Close()
				break
			}
			if !p.alive() || time.Now().After(deadline) {
				return fmt.Errorf("demo --cluster: node %s did not start; its log: %s", p.name, filepath.Join(p.dir, "node.log"))
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	return nil
}

// stop ends every node (SIGTERM, then SIGKILL after a grace) and removes
// the demo's state.
func (d *demoCluster) stop() {
	for _, p := range d.nodes {
		if p.cmd != nil && p.alive() {
			_ = p.cmd.Process.Signal(syscall.SIGTERM)
		}
	}
	grace := time.After(3 * time.Second)
	for _, p := range d.nodes {
		if p.cmd == nil {
			continue
		}
		select {
		case <-p.exited:
		case <-grace:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	}
	_ = os.RemoveAll(d.root)
}

var errAllNodesGone = errors.New("demo --cluster: every node is gone")

// checkDemoCluster refuses --cluster where it cannot work.
func checkDemoCluster(n int, serveAddr string, open roomOpener) error {
	switch {
	case n == 0:
		return nil
	case n != 3 && n != 5:
		return usageError(fmt.Sprintf("demo: --cluster %d: want 3 or 5 nodes (a majority must survive a kill)", n))
	case serveAddr != "":
		return usageError("demo: --cluster serves every node over SSH already; leave out --serve")
	case open != nil:
		return usageError("drill: not on a cluster demo")
	}
	return nil
}

// runDemoCluster starts the nodes, shows the room through one of them
// until the person quits, and stops every node.
func runDemoCluster(ctx context.Context, n int, fleet *sim.Fleet, base func(stateDir string) *config.Config, stderr io.Writer) error {
	if !term.IsTerminal(os.Stdin.Fd()) { // before any node starts
		return errors.New("demo --cluster: needs a terminal (its screen is an SSH session to a node)")
	}
	signer, userKey, err := demoKey()
	if err != nil {
		return fmt.Errorf("demo --cluster: key: %v", err)
	}
	d, err := startDemoCluster(n, fleet, base, userKey)
	if err != nil {
		return err
	}
	defer d.stop()
	fmt.Fprintf(stderr, "warroom: starting %d nodes, each with its own etcd member, in %s …\n", n, d.root)
	if err := d.waitReady(ctx, 90*time.Second); err != nil {
		return err
	}
	return d.screen(ctx, signer, os.Stdin, os.Stdout, stderr)
}
