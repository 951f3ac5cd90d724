package room

import (
	"strings"
	"testing"

	"warroom/backends/hosts"
)

func TestOtherNodesHostsGoStaleThenAway(t *testing.T) {
	n := startNode(t, "a", &fakeExec{})
	n.r.ObserveHost(hosts.Sample{Host: "bastion-a", At: t0, CPUPercent: 10})
	if s := n.settle(); s.Hosts != nil {
		t.Fatalf("rows before any other node shares its host: %+v", s.Hosts)
	}
	n.r.ObserveNodeHost("c", hosts.Sample{Host: "bastion-c", At: t0, CPUPercent: 30})
	n.r.ObserveNodeHost("b", hosts.Sample{Host: "bastion-b\x1b]0;pwned\a", At: t0, CPUPercent: 20})
	n.r.ObserveNodeHost("a", hosts.Sample{Host: "an impostor", At: t0})
	s := n.settle()
	var rows []string
	for _, h := range s.Hosts {
		rows = append(rows, h.Node+"="+h.Latest.Host)
	}
	if got := strings.Join(rows, " "); got != "a=bastion-a b=bastion-b c=bastion-c" || !s.Hosts[0].Self || s.Hosts[1].Self {
		t.Fatalf("rows %q (self first, then by node, controls stripped)", got)
	}
	n.r.ForgetNodeHost("c") // its lease ended
	n.settle()
	n.clock.Advance(hostStale)
	n.waitFor("b's silent row and c's forgotten one stale", func(s *Snapshot) bool {
		return len(s.Hosts) == 3 && s.Hosts[0].Stale.IsZero() && s.Hosts[1].Stale.Equal(t0.Add(hostStale)) && s.Hosts[2].Stale.Equal(t0)
	})
	n.clock.Advance(hostKeep - hostStale)
	n.waitFor("c's row gone a minute after its node", func(s *Snapshot) bool {
		return len(s.Hosts) == 2 && s.Hosts[1].Node == "b"
	})
	n.r.ObserveNodeHost("b", hosts.Sample{Host: "bastion-b", At: n.clock.Now()})
	n.settle()
	n.waitFor("b fresh again", func(s *Snapshot) bool { return len(s.Hosts) == 2 && s.Hosts[1].Stale.IsZero() })
	n.clock.Advance(hostStale + hostKeep)
	n.waitFor("no rows once no other node shares", func(s *Snapshot) bool { return s.Hosts == nil })
}
