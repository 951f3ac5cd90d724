// Package clustertest helps tests run warroom clusters on loopback: free
// ports and TCP proxies that cut, delay or blackhole the links between peers.
package clustertest

import (
	"fmt"
	"net"
	"strconv"
	"testing"
)

// FreePorts returns n distinct loopback ports that were free a moment ago
// (etcd's embed cannot listen on :0 and report the port back).
func FreePorts(t testing.TB, n int) []int {
	t.Helper()
	ports, err := LoopbackPorts(n)
	if err != nil {
		t.Fatalf("clustertest: %v", err)
	}
	return ports
}

// LoopbackPorts is FreePorts for programs (load commands).
func LoopbackPorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("pick a free port: %v", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// URL is http://127.0.0.1:port.
func URL(port int) string { return "http://127.0.0.1:" + strconv.Itoa(port) }
