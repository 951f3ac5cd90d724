package main

import (
	"context"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/hosts"
)

// startExporters scrapes the config's exporters (none: nothing starts); each
// reading goes to sink, through the drills like the local host's.
func startExporters(ctx context.Context, cfg *config.Config, clock clockwork.Clock, sink func(hosts.Sample), start func(func())) {
	if len(cfg.Hosts.Exporters) == 0 {
		return
	}
	targets := make([]hosts.Target, len(cfg.Hosts.Exporters))
	for i, e := range cfg.Hosts.Exporters {
		targets[i] = hosts.Target{Name: e.Name, URL: e.URL, Disk: e.Disk, Mount: e.Mount, Timeout: e.Timeout}
	}
	start(func() { hosts.RunFleet(ctx, clock, targets, cfg.Hosts.ScrapeInterval, sink) })
}
