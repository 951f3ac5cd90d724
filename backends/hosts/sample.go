// Package hosts samples this machine's metrics (CPU, memory, load, disk,
// network) once a second with gopsutil, and the fleet's hosts from their
// node_exporters, turning counters into rates the same way.
package hosts

import "time"

// Sample is one reading of one host. Rates are per second over the interval
// since the previous sample; a rate is negative (-1) when it could not be
// computed (first sample, counter reset, vanished device).
type Sample struct {
	Host         string // host name; "local" for this machine when unnamed
	At           time.Time
	CPUPercent   float64 // all cores, 0–100
	MemPercent   float64 // used, 0–100
	MemUsed      uint64  // bytes
	MemTotal     uint64  // bytes
	Load1        float64
	Load5        float64
	Load15       float64
	DiskPath     string  // mount point whose usage is reported
	DiskPercent  float64 // used, 0–100
	DiskReadBps  float64 // bytes/s, all disks
	DiskWriteBps float64
	NetRxBps     float64 // bytes/s, all interfaces but loopback
	NetTxBps     float64
	DiskLatency  float64 // seconds per completed I/O over the interval; -1 unknown
	Err          string  // sampling errors, joined; empty when all parts were read
	// NoAnswer: the source gave nothing at all (an exporter that did not
	// answer); every figure is unknown and Err says why.
	NoAnswer bool
}
