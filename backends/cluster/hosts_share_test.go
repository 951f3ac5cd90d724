package cluster

import (
	"strings"
	"testing"
	"time"

	"warroom/backends/hosts"
	"warroom/backends/room"
)

// hostRows are a snapshot's node rows as "node=host", stale ones marked.
func hostRows(s *room.Snapshot) string {
	var rows []string
	for _, h := range s.Hosts {
		row := h.Node + "=" + h.Latest.Host
		if !h.Stale.IsZero() {
			row += "(stale)"
		}
		rows = append(rows, row)
	}
	return strings.Join(rows, " ")
}

func TestEveryNodeShowsEveryNodesHost(t *testing.T) {
	c := startCluster(t, 3)
	tn := startNodes(t, c)
	leader := tn.leader(15 * time.Second)
	for name, n := range tn.alive() {
		n.Local().ObserveHost(hosts.Sample{Host: "bastion-" + name, At: time.Now(), CPUPercent: 12})
	}
	for name, n := range tn.alive() {
		want := "bastion-" + name
		eventually(t, 10*time.Second, name+" shows every node's machine, its own first", func() bool {
			s := n.Local().Snapshot()
			return len(s.Hosts) == 3 && s.Hosts[0].Self && s.Hosts[0].Latest.Host == want && !strings.Contains(hostRows(s), "stale")
		})
	}
	gone := tn.follower(leader).cfg.Node
	tn.kill(gone)
	for name, n := range tn.alive() {
		eventually(t, 10*time.Second, name+" shows "+gone+"'s machine stale", func() bool {
			return strings.Contains(hostRows(n.Local().Snapshot()), gone+"=bastion-"+gone+"(stale)")
		})
	}
}
