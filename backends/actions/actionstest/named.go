package actionstest

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// Named is a running BIND 9 named, primary for one zone.
type Named struct {
	Addr string // 127.0.0.1:port, UDP and TCP
	Zone string // canonical, with the trailing dot
	Dir  string // config, zone file and journal
	srv  *server
	tsig [2]string // TSIG name and secret; empty: unsigned updates
}

// Log is named's output so far (for failure messages).
func (n *Named) Log() string { return n.srv.log.String() }

// NewSecret returns a fresh base64 TSIG secret (32 random bytes).
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// StartNamed runs /usr/sbin/named in the foreground (-g) on a free loopback
// port, primary for zone, holding one record (record typ value, TTL 60).
// With tsigName set, updates need that hmac-sha256 key (allow-update { key
// NAME; }); with tsigName "", unsigned updates from 127.0.0.1 are allowed.
// It returns when named answers the zone's SOA; named is killed at cleanup.
func StartNamed(t testing.TB, zone, record, typ, value, tsigName, tsigSecret string) *Named {
	t.Helper()
	if strings.EqualFold(typ, "CNAME") {
		value = dns.Fqdn(value)
	}
	return StartNamedZone(t, zone, []string{fmt.Sprintf("%s IN %s %s", dns.Fqdn(record), typ, value)}, tsigName, tsigSecret)
}

// StartNamedZone is StartNamed with the zone's records (beside SOA and NS)
// given as zone-file lines with absolute names, e.g. "www.example.org. IN A 127.0.0.1".
func StartNamedZone(t testing.TB, zone string, records []string, tsigName, tsigSecret string) *Named {
	t.Helper()
	bin := binary(t, "named", "bind9")
	dir := t.TempDir()
	zone = dns.Fqdn(zone)
	zoneText := fmt.Sprintf(`$TTL 60
@ IN SOA ns.%[1]s hostmaster.%[1]s 1 60 60 600 60
@ IN NS ns.%[1]s
ns.%[1]s IN A 127.0.0.1
%[2]s
`, zone, strings.Join(records, "\n"))
	zoneFile := filepath.Join(dir, "zone.db")
	if err := os.WriteFile(zoneFile, []byte(zoneText), 0o644); err != nil {
		t.Fatal(err)
	}
	key, allow, tsig := "", "127.0.0.1;", [2]string{}
	if tsigName != "" {
		tsig = [2]string{dns.Fqdn(tsigName), tsigSecret}
		key = fmt.Sprintf("key %q { algorithm hmac-sha256; secret %q; };\n", dns.Fqdn(tsigName), tsigSecret)
		allow = fmt.Sprintf("key %q;", dns.Fqdn(tsigName))
	}
	for attempt := 1; ; attempt++ {
		n := &Named{Addr: "127.0.0.1:" + strconv.Itoa(freePort(t)), Zone: zone, Dir: dir, tsig: tsig}
		_, port, _ := strings.Cut(n.Addr, ":")
		conf := fmt.Sprintf(`options {
  directory %[1]q;
  listen-on port %[2]s { 127.0.0.1; };
  listen-on-v6 { none; };
  pid-file %[3]q;
  session-keyfile %[4]q;
  managed-keys-directory %[1]q;
  recursion no;
  dnssec-validation no;
  notify no;
};
controls { };
%[5]szone %[6]q { type primary; file %[7]q; allow-update { %[8]s }; };
`, dir, port, filepath.Join(dir, "named.pid"), filepath.Join(dir, "session.key"), key, zone, zoneFile, allow)
		confFile := filepath.Join(dir, "named.conf")
		if err := os.WriteFile(confFile, []byte(conf), 0o600); err != nil {
			t.Fatal(err)
		}
		n.srv = startProcess(t, bin, "-g", "-n", "1", "-c", confFile)
		err := n.srv.waitReady(10*time.Second, func() bool { return soa(n.Addr, zone) })
		if err == nil {
			return n
		}
		n.srv.stop()
		if attempt < 3 && strings.Contains(n.Log(), "address in use") {
			continue // the free port was taken meanwhile
		}
		t.Fatalf("named %s: %v", bin, err)
	}
}

// soa reports whether the server answers the zone's SOA authoritatively.
func soa(addr, zone string) bool {
	m := new(dns.Msg)
	m.SetQuestion(zone, dns.TypeSOA)
	c := &dns.Client{Timeout: 200 * time.Millisecond}
	r, _, err := c.Exchange(m, addr)
	return err == nil && r.Rcode == dns.RcodeSuccess && r.Authoritative && len(r.Answer) > 0
}

// Replace sets record's RRset of type typ to the one value, as an operator
// editing the zone behind warroom's back would (signed with the zone's key).
func (n *Named) Replace(t testing.TB, record, typ, value string) {
	t.Helper()
	rr, err := dns.NewRR(fmt.Sprintf("%s 60 IN %s %s", dns.Fqdn(record), typ, value))
	if err != nil {
		t.Fatalf("record %s %s %s: %v", record, typ, value, err)
	}
	m := new(dns.Msg)
	m.SetUpdate(n.Zone)
	m.RemoveRRset([]dns.RR{&dns.ANY{Hdr: dns.RR_Header{Name: rr.Header().Name, Rrtype: rr.Header().Rrtype}}})
	m.Insert([]dns.RR{rr})
	c := &dns.Client{Timeout: 2 * time.Second}
	if name, secret := n.tsig[0], n.tsig[1]; name != "" {
		c.TsigSecret = map[string]string{name: secret}
		m.SetTsig(name, dns.HmacSHA256, 300, time.Now().Unix())
	}
	r, _, err := c.Exchange(m, n.Addr)
	if err != nil || r.Rcode != dns.RcodeSuccess {
		t.Fatalf("update %s: %v %v\n%s", rr, err, r, n.Log())
	}
}
