package clustertest

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// etcd's prober (GET /raft/probing, no X-Server-From) and its raft
// pipeline (POST /raft, naming the sender) share one keep-alive pool, so a
// connection a probe opened later carries raft messages. A cut must stop
// them too: a proxy that knew senders only by a connection's first request
// let an isolated leader keep its quorum.
func TestPeerNetCutsAConnectionThatNamesItsSenderLater(t *testing.T) {
	pn := NewPeerNet(t, []string{"a", "b"})
	ln, err := net.Listen("tcp", strings.TrimPrefix(pn.ListenURL("b"), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	member := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})}
	go member.Serve(ln)
	t.Cleanup(func() { member.Close() })

	c, err := net.Dial("tcp", strings.TrimPrefix(pn.AdvertiseURL("b"), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	send := func(req string) error {
		c.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Write([]byte(req)); err != nil {
			return err
		}
		resp, err := http.ReadResponse(br, nil)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := send("GET /raft/probing HTTP/1.1\r\nHost: b\r\n\r\n"); err != nil {
		t.Fatalf("a probe before any cut: %v", err)
	}
	pn.Cut("a", "b")
	raft := fmt.Sprintf("POST /raft HTTP/1.1\r\nHost: b\r\nX-Server-From: %s\r\nContent-Length: 1\r\n\r\nx",
		memberID(pn.AdvertiseURL("a"), Token))
	err = send(raft)
	if err == nil {
		t.Fatal("a raft message from a cut-off sender passed on a connection a probe had opened")
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the connection was held open, not closed: %v", err)
	}
}
