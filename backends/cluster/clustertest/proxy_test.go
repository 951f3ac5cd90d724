package clustertest

import (
	"io"
	"net"
	"testing"
	"time"
)

// echo serves an echo server on loopback until the test ends.
func echo(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(c, c); c.Close() }()
		}
	}()
	return ln.Addr().String()
}

// roundTrip sends a byte through c and waits up to d for it back.
func roundTrip(t *testing.T, c net.Conn, d time.Duration) (time.Duration, error) {
	start := time.Now()
	if _, err := c.Write([]byte{'x'}); err != nil {
		return 0, err
	}
	c.SetReadDeadline(time.Now().Add(d))
	_, err := c.Read(make([]byte, 1))
	return time.Since(start), err
}

// The proxy forwards, delays each way, drops bytes when blackholed and
// closes live connections when cut.
func TestProxyDelaysBlackholesAndCuts(t *testing.T) {
	p := NewProxy(t, echo(t))
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := roundTrip(t, c, 5*time.Second); err != nil {
		t.Fatalf("plain: %v", err)
	}
	p.Set(Link{Delay: 100 * time.Millisecond})
	if took, err := roundTrip(t, c, 5*time.Second); err != nil || took < 200*time.Millisecond {
		t.Fatalf("delayed 100ms each way: round trip %v, %v", took, err)
	}
	p.Set(Link{Blackhole: true})
	if _, err := roundTrip(t, c, 300*time.Millisecond); err == nil {
		t.Fatal("a blackholed byte came back")
	}
	p.Set(Link{Cut: true})
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil || isTimeout(err) {
		t.Fatalf("cut: the live connection was not closed: %v", err)
	}
	p.Set(Link{})
	c2, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if _, err := roundTrip(t, c2, 5*time.Second); err != nil {
		t.Fatalf("healed: %v", err)
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}
