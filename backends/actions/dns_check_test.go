package actions_test

import (
	"reflect"
	"testing"

	"github.com/miekg/dns"

	"warroom/backends/actions/actionstest"
	"warroom/backends/config"
)

// Check against a real named: each way the record, the zone or the values
// can fail to match the mirrors is named, and checking changes nothing.
func TestDNSCheckMatchesRecordToMirrors(t *testing.T) {
	secret := actionstest.NewSecret()
	ns := actionstest.StartNamedZone(t, "example.org", []string{
		"mirror.example.org. IN CNAME osaka.example.net.",
		"stray.example.org. IN CNAME elsewhere.example.net.",
		"plain.example.org. IN A 127.0.0.10",
		"notes.example.org. IN TXT \"not a mirror\"",
		"sub.example.org. IN NS ns.elsewhere.net.",
		"v6.example.org. IN AAAA ::ffff:127.0.0.20",
	}, "warroom", secret)
	hosts := map[string]string{"osaka": "http://osaka.example.net/", "tokyo": "https://tokyo.example.net:8443/"}
	ips := map[string]string{"osaka": "http://[::ffff:127.0.0.20]:8080/", "tokyo": "http://[::1]:8080/"}
	for _, tc := range []struct {
		name, zone, record, typ string
		mirrors                 map[string]string
		want                    []string // nil: Check passes
	}{
		{name: "match", record: "mirror", mirrors: hosts},
		{name: "mirror without a value", record: "mirror",
			mirrors: map[string]string{"osaka": hosts["osaka"], "tokyo": "http://127.0.0.1:8080/"},
			want:    []string{`mirror "tokyo" has no CNAME value (its URL's host "127.0.0.1" is not a host name for a CNAME)`, `set values["tokyo"]`}},
		{name: "mirrors sharing a value", record: "mirror",
			mirrors: map[string]string{"osaka": hosts["osaka"], "osaka2": "http://osaka.example.net:8080/", "tokyo": hosts["tokyo"]},
			want:    []string{"mirrors osaka, osaka2 share the CNAME value osaka.example.net.: a failover between them moves no traffic"}},
		{name: "value of no mirror", record: "stray", mirrors: hosts,
			want: []string{"record stray.example.org. answers CNAME elsewhere.example.net., which no mirror stands for: traffic goes where warroom does not watch"}},
		{name: "zone below the apex", zone: "mirror.example.org", record: "mirror", mirrors: hosts,
			want: []string{"zone mirror.example.org. is no zone on server", "the name lies in zone example.org.; set zone to example.org."}},
		{name: "zone not served", zone: "example.net", record: "mirror.example.net.", mirrors: hosts,
			want: []string{"refuses queries for zone example.net.: it does not serve that zone"}},
		{name: "record delegated away", record: "www.sub", mirrors: hosts,
			want: []string{"record www.sub.example.org. lies below a delegation (zone sub.example.org., name server ns.elsewhere.net.), not in zone example.org."}},
		{name: "record absent", record: "none", mirrors: hosts,
			want: []string{"record none.example.org. does not exist on server", "no mirror gets traffic through it"}},
		{name: "A where CNAME is wanted", record: "plain", mirrors: hosts,
			want: []string{"record plain.example.org. has A but no CNAME", "set type to A, or remove the A"}},
		{name: "other data where CNAME is wanted", record: "notes", mirrors: hosts,
			want: []string{"record notes.example.org. has TXT but no CNAME"}},
		{name: "CNAME where A is wanted", record: "mirror", typ: "A",
			mirrors: map[string]string{"osaka": "http://127.0.0.10/", "tokyo": "http://127.0.0.20/"},
			want:    []string{"record mirror.example.org. has CNAME but no A"}},
		// An IPv4-mapped AAAA reads back as the value written, not as 127.0.0.20.
		{name: "AAAA of a mapped IPv4 address", record: "v6", typ: "AAAA", mirrors: ips},
	} {
		t.Run(tc.name, func(t *testing.T) {
			zone, record := tc.zone, tc.record
			if zone == "" {
				zone = "example.org"
			}
			if !dns.IsFqdn(record) {
				record += ".example.org."
			}
			x := mustNew(t, config.Executor{Name: "geo", DNS: &config.DNSExecutor{
				Server: ns.Addr, Zone: zone, Record: record, Type: tc.typ,
				TSIG: &config.TSIG{Name: "warroom", Secret: secret},
			}}, mirrorsFor(t, tc.mirrors), nil)
			err := x.Check(t.Context())
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				return
			}
			wantErr(t, err, append([]string{`dns executor "geo"`}, tc.want...)...)
		})
	}
	if got := query(t, ns.Addr, "mirror.example.org.", dns.TypeCNAME); !reflect.DeepEqual(got, []string{"osaka.example.net."}) {
		t.Errorf("after checking, the record answers %v", got)
	}
	m := new(dns.Msg)
	m.SetQuestion("example.org.", dns.TypeSOA)
	r, err := dns.Exchange(m, ns.Addr)
	if err != nil || len(r.Answer) != 1 || r.Answer[0].(*dns.SOA).Serial != 1 {
		t.Errorf("after checking, the zone's SOA is %v (%v): want serial 1, unchanged", r, err)
	}
}
