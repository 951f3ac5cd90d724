package panes

import (
	"strings"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"warroom/backends/room"
)

// In a cluster the pane lists every node's machine under its own status
// line; a node gone quiet is marked stale with its age.
func TestHostsListsEveryNodesMachine(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	at := time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC)
	// The samples are the room's (panes import no other backend).
	own := room.HostView{}.Latest
	own.Host, own.At, own.CPUPercent, own.MemPercent, own.DiskPercent, own.Load1 = "bastion-a", at, 12, 40, 55, 0.5
	other := room.HostView{}.Latest
	other.Host, other.At, other.CPUPercent = "bastion-b", at.Add(-40*time.Second), 91
	s := &room.Snapshot{At: at, Host: &room.HostView{Latest: own}, Hosts: []room.NodeHostView{
		{Node: "eu-1", Latest: own, Self: true},
		{Node: "ap-2", Latest: other, Stale: at.Add(-20 * time.Second)},
	}}
	lines := plain(NewHosts().View(s, th, 100, 12, false))
	if len(lines) < 3 || !strings.Contains(lines[1], "eu-1 (here)") || !strings.Contains(lines[1], "bastion-a") ||
		!strings.Contains(lines[2], "ap-2") || !strings.Contains(lines[2], "CPU 91") || !strings.Contains(lines[2], "stale 20s") {
		t.Fatalf("node rows:\n%s", strings.Join(lines, "\n"))
	}
	s.Hosts = nil
	if lines := plain(NewHosts().View(s, th, 100, 12, false)); strings.Contains(strings.Join(lines, "\n"), "(here)") {
		t.Fatalf("node rows outside a cluster:\n%s", strings.Join(lines, "\n"))
	}
}
