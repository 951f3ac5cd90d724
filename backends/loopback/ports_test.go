package loopback

import (
	"net"
	"strconv"
	"testing"
)

// Ports are distinct, bindable, and never in the kernel's ephemeral range,
// so a program listening on port 0 cannot take one before etcd does.
func TestPortsAreFreeDistinctAndBelowTheEphemeralRange(t *testing.T) {
	_, hi := window()
	seen := map[int]bool{}
	for range 3 {
		ports, err := Ports(8)
		if err != nil {
			t.Fatal(err)
		}
		if len(ports) != 8 {
			t.Fatalf("got %d ports", len(ports))
		}
		for _, p := range ports {
			if seen[p] {
				t.Fatalf("port %d handed out twice", p)
			}
			seen[p] = true
			if p >= hi {
				t.Fatalf("port %d is in the ephemeral range (starts at %d)", p, hi)
			}
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
			if err != nil {
				t.Fatalf("port %d not free: %v", p, err)
			}
			l.Close()
		}
	}
}

// A port someone holds is skipped.
func TestPortsSkipsAHeldPort(t *testing.T) {
	first, err := Ports(1)
	if err != nil {
		t.Fatal(err)
	}
	held, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(first[0]))
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	mu.Lock()
	next = first[0] // the walk is at the held port
	mu.Unlock()
	got, err := Ports(1)
	if err != nil {
		t.Fatal(err)
	}
	if got[0] == first[0] {
		t.Fatalf("handed out held port %d", got[0])
	}
}
