package actions_test

import (
	"context"
	"errors"
	"net"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"warroom/backends/actions"
	"warroom/backends/config"
)

// fakeZone is a tiny RFC 2136 primary for one CNAME: it applies updates
// (unless frozen or refusing) and answers queries authoritatively.
type fakeZone struct {
	mu      sync.Mutex
	zone    string
	record  string
	target  string
	refuse  int  // rcode for every update; 0 = apply it
	frozen  bool // accept updates but change nothing
	updates int
}

func (z *fakeZone) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	z.mu.Lock()
	defer z.mu.Unlock()
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	signed := req.IsTsig() != nil
	switch {
	case signed && w.TsigStatus() != nil:
		m.Rcode = dns.RcodeNotAuth
	case req.Opcode == dns.OpcodeUpdate && z.refuse != 0:
		m.Rcode = z.refuse
	case req.Opcode == dns.OpcodeUpdate:
		z.updates++
		for _, rr := range req.Ns {
			if c, ok := rr.(*dns.CNAME); ok && !z.frozen {
				z.target = c.Target
			}
		}
	case req.Question[0].Qtype == dns.TypeSOA:
		m.Answer = []dns.RR{&dns.SOA{Hdr: dns.RR_Header{Name: z.zone, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: 60},
			Ns: "ns." + z.zone, Mbox: "h." + z.zone, Serial: 1, Refresh: 60, Retry: 60, Expire: 600, Minttl: 60}}
	case strings.EqualFold(req.Question[0].Name, z.record):
		m.Answer = []dns.RR{&dns.CNAME{Hdr: dns.RR_Header{Name: z.record, Rrtype: dns.TypeCNAME, Class: dns.ClassINET, Ttl: 60}, Target: z.target}}
	}
	if t := req.IsTsig(); t != nil && m.Rcode != dns.RcodeNotAuth {
		m.SetTsig(t.Hdr.Name, t.Algorithm, 300, time.Now().Unix())
	}
	_ = w.WriteMsg(m)
}

func (z *fakeZone) current() string {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.target
}

// serveFake runs z on a loopback UDP port with an optional TSIG key.
func serveFake(t *testing.T, z *fakeZone, keyName, secret string) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	srv := &dns.Server{PacketConn: pc, Handler: z, NotifyStartedFunc: func() { close(started) },
		MsgAcceptFunc: func(dns.Header) dns.MsgAcceptAction { return dns.MsgAccept }} // the default refuses updates
	if keyName != "" {
		srv.TsigSecret = map[string]string{dns.Fqdn(keyName): secret}
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.ActivateAndServe() }()
	<-started
	t.Cleanup(func() { _ = srv.Shutdown(); <-done })
	return pc.LocalAddr().String()
}

func dnsExec(t *testing.T, addr string, tsig *config.TSIG) actions.Executor {
	t.Helper()
	return mustNew(t, config.Executor{Name: "dns", DNS: &config.DNSExecutor{
		Server: addr, Zone: "example.org", Record: "mirror.example.org", TSIG: tsig,
	}}, mirrorsFor(t, map[string]string{"osaka": "http://osaka.example.net/", "tokyo": "http://tokyo.example.net:8080/"}), nil)
}

func TestDNSFailoverAgainstFakePrimary(t *testing.T) {
	secret := "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ=="
	z := &fakeZone{zone: "example.org.", record: "mirror.example.org.", target: "osaka.example.net."}
	addr := serveFake(t, z, "warroom.", secret)
	x := dnsExec(t, addr, &config.TSIG{Name: "warroom", Secret: secret})
	if err := x.Check(t.Context()); err != nil {
		t.Fatalf("Check: %v", err)
	}
	var out lines
	conf, err := x.Run(t.Context(), failover("osaka", "tokyo"), out.out)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	if conf != "mirror.example.org. CNAME tokyo.example.net. (mirror tokyo)" || z.current() != "tokyo.example.net." {
		t.Fatalf("confirmation %q, zone has %q", conf, z.current())
	}
	active, err := x.(actions.Reader).Active(t.Context())
	if err != nil || !reflect.DeepEqual(active, []string{"tokyo"}) {
		t.Fatalf("Active = %v, %v", active, err)
	}
	if strings.Contains(out.String(), secret) {
		t.Fatal("output shows the TSIG secret")
	}
}

func TestDNSErrorReplies(t *testing.T) {
	secret := "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ=="
	for _, tc := range []struct {
		name   string
		refuse int
		want   string
	}{
		{"refused", dns.RcodeRefused, "REFUSED: TSIG key or allow-update wrong"},
		{"notauth", dns.RcodeNotAuth, "NOTAUTH: TSIG key or allow-update wrong"},
		{"servfail", dns.RcodeServerFailure, "server answered SERVFAIL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z := &fakeZone{zone: "example.org.", record: "mirror.example.org.", target: "osaka.example.net.", refuse: tc.refuse}
			x := dnsExec(t, serveFake(t, z, "", ""), nil)
			_, err := x.Run(t.Context(), failover("osaka", "tokyo"), func(string) {})
			wantErr(t, err, `dns executor "dns"`, "update mirror.example.org. CNAME", tc.want)
		})
	}
	// A key the server does not share: NOTAUTH, and the secret is not in the error.
	z := &fakeZone{zone: "example.org.", record: "mirror.example.org.", target: "osaka.example.net."}
	addr := serveFake(t, z, "warroom.", secret)
	wrong := "d3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmc="
	x := dnsExec(t, addr, &config.TSIG{Name: "warroom", Secret: wrong})
	_, err := x.Run(t.Context(), failover("osaka", "tokyo"), func(string) {})
	wantErr(t, err, "NOTAUTH", "TSIG key or allow-update wrong")
	wantErr(t, x.Check(t.Context()), "SOA query", "NOTAUTH")
	if strings.Contains(err.Error(), wrong) || z.current() != "osaka.example.net." {
		t.Fatalf("err %v, zone %q", err, z.current())
	}
}

// TestDNSReadBackNotConfirmed: the server says yes but keeps the old value.
func TestDNSReadBackNotConfirmed(t *testing.T) {
	z := &fakeZone{zone: "example.org.", record: "mirror.example.org.", target: "osaka.example.net.", frozen: true}
	x := dnsExec(t, serveFake(t, z, "", ""), nil)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	_, err := x.Run(ctx, failover("osaka", "tokyo"), func(string) {})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	wantErr(t, err, "read back", "want tokyo.example.net.", "have mirror.example.org. CNAME osaka.example.net.")
}

func TestDNSTimeoutWhenNobodyAnswers(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0") // reads nothing, answers nothing
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	x := dnsExec(t, pc.LocalAddr().String(), nil)
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = x.Run(ctx, failover("osaka", "tokyo"), func(string) {})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("err = %v after %v, want DeadlineExceeded soon", err, time.Since(start))
	}
}
