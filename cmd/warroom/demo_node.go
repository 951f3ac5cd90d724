package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"warroom/backends/room"
	"warroom/backends/sim"
)

// cmdDemoNode is `warroom demo-node --config FILE --pids DIR` (not in the
// usage): one node of `warroom demo --cluster N`, run by the demo as a
// child process so that killing it is the real thing. It is serve, plus:
// its probes name its region (the simulated fleet cuts one mirror off
// from one region) and a commander's kill key kills the leading node, by
// the process id the demo wrote in DIR.
func cmdDemoNode(ctx context.Context, args []string, stderr io.Writer) error {
	var f roomFlags
	fs := newFlags("demo-node", stderr)
	f.register(fs)
	pids := fs.String("pids", "", "folder of the demo's node process ids, one file per node")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := load(f)
	if err != nil {
		return err
	}
	if !s.cfg.Cluster.Enabled() || *pids == "" {
		return usageError("demo-node: wants --config with a cluster: section and --pids (warroom demo --cluster N runs it)")
	}
	o := liveOptions{demo: true, readOnly: s.readOnly,
		probeHeader: http.Header{sim.RegionHeader: {s.cfg.Cluster.Region}},
		killLeader:  func(_ context.Context, r *room.Room) (string, error) { return killLeaderNode(r.Snapshot(), *pids) }}
	return serveRoom(ctx, s, configPath(f.config), o, stderr)
}

// killLeaderNode sends SIGKILL to the node the room last recorded as its
// leader.
func killLeaderNode(s *room.Snapshot, pids string) (string, error) {
	if s.Leader == "" {
		return "", errors.New("no node leads the room yet")
	}
	data, err := os.ReadFile(filepath.Join(pids, s.Leader))
	if err != nil {
		return "", fmt.Errorf("%s's process: %v", s.Leader, err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 1 {
		return "", fmt.Errorf("%s's process id %q in %s is not one", s.Leader, data, pids)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); errors.Is(err, syscall.ESRCH) {
		return "", fmt.Errorf("%s is already gone; the room is moving to another node", s.Leader)
	} else if err != nil {
		return "", fmt.Errorf("kill %s (pid %d): %v", s.Leader, pid, err)
	}
	return s.Leader, nil
}
