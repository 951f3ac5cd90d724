// Package loopback picks loopback ports for servers that must be told their
// port before they start: etcd members (their peers must know it beforehand)
// and the real servers tests run (HAProxy, BIND, warroom serve).
package loopback

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
)

// Ports returns n distinct loopback ports free for TCP and UDP a moment ago. They are taken
// below the kernel's ephemeral range, which it never hands to a program
// listening on port 0 or connecting out, so the time between this check and
// etcd's own bind is raced only by another caller of Ports; each process
// starts at a random point and walks on from where it last stopped.
func Ports(n int) ([]int, error) {
	mu.Lock()
	defer mu.Unlock()
	lo, hi := window()
	if next < lo || next >= hi {
		next = lo + rand.IntN(hi-lo)
	}
	out := make([]int, 0, n)
	for tried := 0; len(out) < n; tried++ {
		if tried >= hi-lo {
			return nil, fmt.Errorf("pick a loopback port: none free in %d-%d", lo, hi-1)
		}
		port := next
		next++
		if next >= hi {
			next = lo
		}
		if free(port) {
			out = append(out, port)
		}
	}
	return out, nil
}

var (
	mu   sync.Mutex
	next int // the next port this process tries
)

// window is the range Ports picks from: from 20000 up to the start of the
// ephemeral range (Linux's default starts at 32768).
func window() (lo, hi int) {
	lo, hi = 20000, 32768
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return lo, hi
	}
	f := strings.Fields(string(b))
	if len(f) == 2 {
		if start, err := strconv.Atoi(f[0]); err == nil && start > lo+1000 && start <= 65535 {
			hi = start
		}
	}
	return lo, hi
}

// free says whether port is free for both TCP and UDP (a DNS server takes
// both).
func free(port int) bool {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return false
	}
	defer l.Close()
	u, err := net.ListenPacket("udp", addr)
	if err != nil {
		return false
	}
	u.Close()
	return true
}
