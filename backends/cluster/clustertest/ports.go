// Package clustertest helps tests run warroom clusters on loopback: free
// ports and TCP proxies that cut, delay or blackhole the links between peers.
package clustertest

import (
	"strconv"
	"testing"

	"warroom/backends/loopback"
)

// FreePorts returns n distinct loopback ports for etcd members (see
// loopback.Ports).
func FreePorts(t testing.TB, n int) []int {
	t.Helper()
	ports, err := loopback.Ports(n)
	if err != nil {
		t.Fatalf("clustertest: %v", err)
	}
	return ports
}

// URL is http://127.0.0.1:port.
func URL(port int) string { return "http://127.0.0.1:" + strconv.Itoa(port) }
