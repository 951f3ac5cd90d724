package main

import (
	"fmt"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/sim"
)

// demoHostModels are the demo's simulated hosts; the mirrors run on them
// in turn. host-b runs hot, over the playbook's CPU and disk latency
// limits, so its alerts come up after the sustain time.
var demoHostModels = []struct {
	name  string
	model sim.HostModel
}{
	{"host-a", sim.HostModel{CPUs: 8, CPUBusy: 0.34, MemUsed: 0.56, DiskUsed: 0.48, IOPS: 220, DiskLatency: 3 * time.Millisecond, NetRx: 3e6, NetTx: 4.2e7, Load: 2.7, Wiggle: 0.08}},
	{"host-b", sim.HostModel{CPUs: 8, CPUBusy: 0.92, IOWait: 0.04, MemUsed: 0.71, DiskUsed: 0.63, IOPS: 900, DiskLatency: 80 * time.Millisecond, NetRx: 5e6, NetTx: 9.1e7, Load: 9.4, Wiggle: 0.03}},
	{"host-c", sim.HostModel{CPUs: 4, CPUBusy: 0.18, MemUsed: 0.42, DiskUsed: 0.31, IOPS: 90, DiskLatency: 1500 * time.Microsecond, NetRx: 1e6, NetTx: 1.2e7, Load: 0.7, Wiggle: 0.1}},
	{"host-d", sim.HostModel{CPUs: 16, CPUBusy: 0.51, MemUsed: 0.83, DiskUsed: 0.77, IOPS: 400, DiskLatency: 6 * time.Millisecond, NetRx: 8e6, NetTx: 1.5e8, Load: 8.1, Wiggle: 0.05}},
}

// demoHosts serve the simulated hosts' node_exporter pages.
type demoHosts struct {
	names     []string
	exporters []*sim.Exporter
}

func startDemoHosts(clock clockwork.Clock) (*demoHosts, error) {
	d := &demoHosts{}
	for _, h := range demoHostModels {
		e, err := sim.StartExporter(clock, h.model)
		if err != nil {
			d.Close()
			return nil, fmt.Errorf("demo: start simulated host %s: %v", h.name, err)
		}
		d.names, d.exporters = append(d.names, h.name), append(d.exporters, e)
	}
	return d, nil
}

// apply lists the hosts' exporters in cfg and places the mirrors on them.
func (d *demoHosts) apply(cfg *config.Config) {
	cfg.Hosts.ScrapeInterval = 3 * time.Second
	cfg.Hosts.Exporters = nil
	for i, e := range d.exporters {
		cfg.Hosts.Exporters = append(cfg.Hosts.Exporters,
			config.Exporter{Name: d.names[i], URL: e.URL(), Mount: "/", Timeout: 2 * time.Second})
	}
	for i := range cfg.Mirrors {
		cfg.Mirrors[i].Host = d.names[i%len(d.names)]
	}
}

func (d *demoHosts) Close() {
	for _, e := range d.exporters {
		_ = e.Close()
	}
}
