package panestest

import (
	"math"
	"time"

	"warroom/backends/hosts"
	"warroom/backends/room"
)

// FleetSnapshot is the fixture with a fleet: this machine (Host) and five
// exporters' hosts: web1 running hot (CPU and disk latency alerts up),
// web2 and db1 fine, cache1 missing one scrape, old-db stale.
func FleetSnapshot() *room.Snapshot {
	s := Snapshot()
	at := Now()
	limits := room.HostLimits{CPU: 80, Memory: 90, Disk: 90, DiskLatency: 0.05}
	local := *Host()
	local.Name, local.Local, local.Limits = "mirror-gw", true, limits
	local.Over.Disk = true
	local.Latest.DiskLatency = 0.0041
	local.DiskLatency = wave(60, 0.004, 0.002, 31)
	s.Host = &local
	host := func(name string, seed int, cpu, mem, disk, lat float64) *room.HostView {
		return &room.HostView{Name: name, Limits: limits,
			Latest: hosts.Sample{Host: name, At: at.Add(-4 * time.Second), CPUPercent: cpu, MemPercent: mem, DiskPercent: disk,
				DiskPath: "/", DiskLatency: lat, Load1: cpu / 25, NetRxBps: 2.4e6, NetTxBps: 3.1e7},
			CPU: wave(40, cpu-10, 12, seed), Memory: wave(40, mem, 2, seed+1), Disk: wave(40, disk, 0.2, seed+2),
			DiskLatency: wave(40, lat, lat/4, seed+3)}
	}
	web1 := host("web1", 40, 92.4, 71, 64, 0.0812)
	web1.Over = room.HostBreaches{CPU: true, DiskLatency: true}
	cache1 := host("cache1", 50, 35, 88, 40, 0.0009)
	cache1.Missed, cache1.Reason = 1, "exporter: no answer within 5s"
	cache1.CPU[len(cache1.CPU)-1] = math.NaN()
	old := host("old-db", 60, 12, 50, 91, 0.012)
	old.Latest.At = at.Add(-50 * time.Second)
	old.Missed, old.Stale, old.Reason = 3, true, "exporter: dial tcp 10.0.3.7:9100: connect: connection refused"
	s.Fleet = []*room.HostView{s.Host, host("web2", 70, 31, 40, 52, 0.0031), web1, host("db1", 80, 55, 62, 77, 0.0062), cache1, old}
	return s
}
