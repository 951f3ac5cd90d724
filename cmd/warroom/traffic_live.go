package main

import (
	"context"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/room"
	"warroom/backends/traffic"
)

// startTraffic reads each haproxy executor's backend every traffic.Interval
// and gives the room its users' traffic per mirror.
func startTraffic(ctx context.Context, cfg *config.Config, clock clockwork.Clock, sink func([]room.TrafficSample), start func(func())) {
	names := make([]string, len(cfg.Mirrors))
	for i, m := range cfg.Mirrors {
		names[i] = m.Name
	}
	for _, e := range cfg.Actions.Executors {
		if e.HAProxy == nil || e.HAProxy.Address == "" || e.HAProxy.Backend == "" {
			continue // a broken executor is reported where it is built
		}
		rd := traffic.NewReader(e.Name, *e.HAProxy, names, cfg.Mask)
		start(func() { rd.Run(ctx, clock, traffic.Interval, sink) })
	}
}
