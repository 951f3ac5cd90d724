package main

import (
	"math"

	"warroom/backends/room"
)

// hostJSON is one host's row in `status --json`: the running room's fleet
// (a one-off status samples no host). Unknown figures are left out.
type hostJSON struct {
	Name          string   `json:"name"`
	Local         bool     `json:"local,omitempty"`
	CPUPercent    *float64 `json:"cpu_percent,omitempty"`
	MemoryPercent *float64 `json:"memory_percent,omitempty"`
	DiskPercent   *float64 `json:"disk_percent,omitempty"`
	DiskLatencyMS *float64 `json:"disk_latency_ms,omitempty"`
	Load1         *float64 `json:"load1,omitempty"`
	Missed        int      `json:"missed,omitempty"`
	Stale         bool     `json:"stale,omitempty"`
	Reason        string   `json:"reason,omitempty"`
}

func toHostsJSON(s *room.Snapshot) []hostJSON {
	rows := s.Fleet
	if rows == nil && s.Host != nil {
		rows = []*room.HostView{s.Host}
	}
	out := make([]hostJSON, 0, len(rows))
	for _, hv := range rows {
		l := hv.Latest
		out = append(out, hostJSON{Name: hv.Name, Local: hv.Local,
			CPUPercent: known(l.CPUPercent, 1), MemoryPercent: known(l.MemPercent, 1), DiskPercent: known(l.DiskPercent, 1),
			DiskLatencyMS: known(l.DiskLatency, 1000), Load1: known(l.Load1, 1),
			Missed: hv.Missed, Stale: hv.Stale, Reason: hv.Reason})
	}
	return out
}

// known is v×scale, or nil for the sampler's "unknown" (negative).
func known(v, scale float64) *float64 {
	if v < 0 || math.IsNaN(v) {
		return nil
	}
	x := v * scale
	return &x
}
