package clustertest

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"net"
	"strconv"
	"testing"
	"time"
)

// PeerNet stands a proxy in front of each etcd member's peer port. A member
// advertises its proxy's URL (AdvertiseURL) and listens on ListenURL, so all
// peer traffic to it passes the proxy. etcd derives member IDs from the
// advertised URLs, so every member must see the same URL for a peer: one
// proxy per member, not per link. The proxy tells the links apart by the
// X-Server-From header etcd's peer requests carry (the sender's member ID).
type PeerNet struct {
	proxies map[string]*Proxy
	listen  map[string]int
	names   []string
}

// Token is the initial cluster token the member IDs are computed with; it is
// backends/cluster's default.
const Token = "warroom"

// NewPeerNet reserves a listen port and a proxy for each member name.
func NewPeerNet(t testing.TB, names []string) *PeerNet {
	t.Helper()
	n := &PeerNet{proxies: map[string]*Proxy{}, listen: map[string]int{}, names: names}
	ports := FreePorts(t, len(names))
	ids := map[string]string{}
	for i, name := range names {
		n.listen[name] = ports[i]
		n.proxies[name] = newProxy(t, "127.0.0.1:"+strconv.Itoa(ports[i]), func(c net.Conn) (string, []byte) {
			id, read := senderID(c)
			return ids[id], read
		}, func(b []byte) string { return ids[serverFrom(b)] })
	}
	for _, name := range names {
		ids[memberID(n.proxies[name].URL(), Token)] = name
	}
	return n
}

// AdvertiseURL is the peer URL the member advertises (its proxy).
func (n *PeerNet) AdvertiseURL(name string) string { return n.proxies[name].URL() }

// ListenURL is where the member listens for peers.
func (n *PeerNet) ListenURL(name string) string { return URL(n.listen[name]) }

// Set applies l to the link between a and b, both ways.
func (n *PeerNet) Set(a, b string, l Link) {
	n.proxies[b].SetFrom(a, l)
	n.proxies[a].SetFrom(b, l)
}

// Cut closes the link between a and b.
func (n *PeerNet) Cut(a, b string) { n.Set(a, b, Link{Cut: true}) }

// Delay adds d each way between a and b.
func (n *PeerNet) Delay(a, b string, d time.Duration) { n.Set(a, b, Link{Delay: d}) }

// Isolate cuts every link of a.
func (n *PeerNet) Isolate(a string) { n.each(a, Link{Cut: true}) }

// Heal restores every link of a.
func (n *PeerNet) Heal(a string) { n.each(a, Link{}) }

func (n *PeerNet) each(a string, l Link) {
	for _, b := range n.names {
		if b != a {
			n.Set(a, b, l)
		}
	}
}

// senderID reads the first request's head and returns its X-Server-From
// (etcd's peer requests carry the sender's member ID) and the bytes read.
func senderID(c net.Conn) (string, []byte) {
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	defer c.SetReadDeadline(time.Time{})
	var head []byte
	buf := make([]byte, 4096)
	for len(head) < 16<<10 && !bytes.Contains(head, []byte("\r\n\r\n")) {
		n, err := c.Read(buf)
		head = append(head, buf[:n]...)
		if err != nil {
			break
		}
	}
	end := bytes.Index(head, []byte("\r\n\r\n"))
	if end < 0 {
		return "", head
	}
	return serverFrom(head[:end]), head
}

// serverFrom is the value of the first X-Server-From header line in b, ""
// when there is none.
func serverFrom(b []byte) string {
	for _, line := range bytes.Split(b, []byte("\r\n")) {
		k, v, ok := bytes.Cut(line, []byte(":"))
		if ok && bytes.EqualFold(bytes.TrimSpace(k), []byte("X-Server-From")) {
			return string(bytes.TrimSpace(v))
		}
	}
	return ""
}

// memberID is etcd's ID for a new member: the first 8 bytes of the SHA-1 of
// its sorted peer URLs and the cluster token, in hex as etcd prints it.
func memberID(peerURL, token string) string {
	sum := sha1.Sum([]byte(peerURL + token))
	return strconv.FormatUint(binary.BigEndian.Uint64(sum[:8]), 16)
}
