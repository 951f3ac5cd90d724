package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"warroom/backends/sim"
)

// roomConfig is the room's config for a fleet: probes as given, the
// receivers' channels, and one alerting route for mirror-down alerts.
func roomConfig(f *sim.Fleet, dir, probes, channels, route string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "site: page-load\nstate_dir: %s\n", filepath.Join(dir, "state"))
	fmt.Fprintf(&b, "defaults:\n  health: {path: /health, %s}\n", probes)
	b.WriteString("  lag: {kind: trace, path: /project/trace/master}\n  manifest: /manifest\n")
	fmt.Fprintf(&b, "origin: {name: origin, url: %q}\nmirrors:\n", f.Origin().URL)
	for i, n := range f.Mirrors() {
		role := "backup"
		if i == 0 {
			role = "active"
		}
		fmt.Fprintf(&b, "  - {name: %s, url: %q, region: %s, role: %s}\n", n.Name, n.URL, n.Region, role)
	}
	// Loopback answers in well under a millisecond, so "2× the baseline"
	// is scheduler noise on a busy machine: only outages should change state.
	b.WriteString("thresholds: {latency_factor: 1000}\n")
	fmt.Fprintf(&b, "notify:\n  channels:\n%s", channels)
	// Only the measured outages page: the fleet's lag and drift stay out.
	fmt.Fprintf(&b, "alerting:\n  routes:\n    - {name: measured, match: {kind: [mirror-down]}, %s}\n", route)
	return b.String()
}

func pagerChannel(url, key string) string {
	return fmt.Sprintf("    - {name: pd, kind: pagerduty, routing_key: %q, url: %q}\n", key, url)
}
