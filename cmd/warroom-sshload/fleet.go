package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"warroom/backends/sim"
)

// lagKinds gives the mirrors each lag convention in turn, as the demo does.
var lagKinds = []string{
	"{kind: trace, path: /project/trace/master}",
	"{kind: json, path: /version.json}",
	"{kind: beacon, path: /lastsync}",
	"{kind: last-modified, path: /lastsync}",
}

// writeConfig describes fleet as a warroom config serving on loopback to
// the viewers (pubKey) and the marker who joins and leaves (markerKey),
// both observers.
func writeConfig(dir string, fleet *sim.Fleet, pubKey, markerKey string, maxSessions int) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "site: sshload (simulated)\nstate_dir: %s\n", dir)
	b.WriteString("defaults:\n  health: {path: /health, interval: 3s, timeout: 2500ms, fail_after: 2, recover_after: 2}\n")
	b.WriteString("  manifest: /manifest\n  syncing: /Archive-Update-in-Progress\n")
	fmt.Fprintf(&b, "origin:\n  name: %s\n  url: %s\n  region: %s\n  lag: {kind: json, path: /version.json}\n",
		fleet.Origin().Name, fleet.Origin().URL, fleet.Origin().Region)
	b.WriteString("mirrors:\n")
	for i, n := range fleet.Mirrors() {
		role := "backup"
		if i == 0 {
			role = "active"
		}
		fmt.Fprintf(&b, "  - name: %s\n    url: %s\n    region: %s\n    role: %s\n    lag: %s\n", n.Name, n.URL, n.Region, role, lagKinds[i%len(lagKinds)])
	}
	b.WriteString("thresholds: {lag_warning: 1m, lag_critical: 3m, sustain: 10s}\n")
	fmt.Fprintf(&b, "serve:\n  listen: 127.0.0.1:0\n  max_sessions: %d\n  users:\n    - {name: viewer, role: observer, keys: [%q]}\n    - {name: marker, role: observer, keys: [%q]}\n",
		maxSessions, pubKey, markerKey)
	path := filepath.Join(dir, "warroom.yaml")
	return path, os.WriteFile(path, []byte(b.String()), 0o600)
}

// toggler takes the fleet's last mirror down and up every d, so the room
// has state changes to time; it stops when stop closes.
func toggler(fleet *sim.Fleet, d time.Duration, stop <-chan struct{}) {
	ms := fleet.Mirrors()
	if len(ms) < 2 || d <= 0 {
		return
	}
	n := ms[len(ms)-1]
	t := time.NewTicker(d)
	defer t.Stop()
	defer n.SetDown(false)
	down := false
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			down = !down
			n.SetDown(down)
		}
	}
}
