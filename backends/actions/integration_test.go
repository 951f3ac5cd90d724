package actions_test

import (
	"bufio"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"warroom/backends/actions"
	"warroom/backends/actions/actionstest"
	"warroom/backends/config"
	"warroom/backends/sim"
)

// These tests run the real HAProxy and BIND 9. A missing binary fails them.

// fleetBehindHAProxy starts two sim mirrors behind a real haproxy; the first
// takes the traffic, the second is in maintenance.
func fleetBehindHAProxy(t testing.TB) (h *actionstest.HAProxy, names []string, nodes []*sim.Node, mirrors map[string]config.Mirror) {
	t.Helper()
	f, err := sim.Start(sim.Options{Mirrors: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	nodes = f.Mirrors()
	urls := map[string]string{}
	for _, n := range nodes {
		names = append(names, n.Name)
		urls[n.Name] = n.URL
	}
	h = actionstest.StartHAProxy(t, "mirrors", urls, names[0])
	mirrors = map[string]config.Mirror{}
	for n, u := range mirrorsFor(t, urls) {
		mirrors[n] = u
	}
	return h, names, nodes, mirrors
}

// whoServes GETs the trace through the proxy n times and returns the
// mirror names that answered.
func whoServes(t *testing.T, frontend string, n int) []string {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	var out []string
	for range n {
		resp, err := c.Get("http://" + frontend + "/project/trace/master")
		if err != nil {
			t.Fatalf("GET through haproxy: %v", err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		who := "status " + resp.Status
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		for sc.Scan() {
			if h, ok := strings.CutPrefix(sc.Text(), "Running on host: "); ok {
				who = strings.TrimSuffix(h, ".sim.invalid")
			}
		}
		out = append(out, who)
	}
	return out
}

// evidenceOf says whether a haproxy confirmation lists exactly these two
// server states, in either order.
func evidenceOf(conf, a, b string) bool {
	return conf == "backend mirrors: "+a+", "+b || conf == "backend mirrors: "+b+", "+a
}

func same(name string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = name
	}
	return out
}

func TestIntegrationHAProxyFailoverMovesTraffic(t *testing.T) {
	h, n, nodes, mirrors := fleetBehindHAProxy(t)
	x := mustNew(t, config.Executor{Name: "lb", HAProxy: &config.HAProxyExecutor{Address: h.SocketPath, Backend: "mirrors"}}, mirrors, nil)
	if err := x.Check(t.Context()); err != nil {
		t.Fatalf("Check: %v\n%s", err, h.Log())
	}
	if got := whoServes(t, h.FrontendAddr, 4); !reflect.DeepEqual(got, same(n[0], 4)) {
		t.Fatalf("before failover: served by %v, want %s", got, n[0])
	}
	before := nodes[1].Requests()

	var out lines
	conf, err := x.Run(t.Context(), failover(n[0], n[1]), out.out)
	if err != nil {
		t.Fatalf("failover: %v\n%s\n%s", err, out.String(), h.Log())
	}
	if !evidenceOf(conf, n[0]+" MAINT", n[1]+" READY") {
		t.Fatalf("confirmation %q, want %s MAINT and %s READY", conf, n[0], n[1])
	}
	if got := whoServes(t, h.FrontendAddr, 6); !reflect.DeepEqual(got, same(n[1], 6)) {
		t.Fatalf("after failover: served by %v, want %s", got, n[1])
	}
	if got := nodes[1].Requests() - before; got < 6 {
		t.Fatalf("%s counted %d new requests, want at least 6", n[1], got)
	}
	if a, err := x.(actions.Reader).Active(t.Context()); err != nil || !reflect.DeepEqual(a, []string{n[1]}) {
		t.Fatalf("Active = %v, %v; want [%s]", a, err, n[1])
	}

	if _, err := x.Run(t.Context(), actions.Op{Action: actions.ActionFailback, From: n[1], To: n[0]}, func(string) {}); err != nil {
		t.Fatalf("failback: %v", err)
	}
	if got := whoServes(t, h.FrontendAddr, 4); !reflect.DeepEqual(got, same(n[0], 4)) {
		t.Fatalf("after failback: served by %v, want %s", got, n[0])
	}

	// A server HAProxy does not have is refused before any change.
	bad := mustNew(t, config.Executor{Name: "lb", HAProxy: &config.HAProxyExecutor{
		Address: h.SocketPath, Backend: "mirrors", Servers: map[string]string{n[1]: "ghost"},
	}}, mirrors, nil)
	_, err = bad.Run(t.Context(), failover(n[0], n[1]), func(string) {})
	wantErr(t, err, `server "ghost" is not in backend "mirrors"`, "nothing was changed")
	wantErr(t, bad.Check(t.Context()), `no such server in backend "mirrors"`)
	nob := mustNew(t, config.Executor{Name: "lb", HAProxy: &config.HAProxyExecutor{Address: h.SocketPath, Backend: "nope"}}, mirrors, nil)
	wantErr(t, nob.Check(t.Context()), `HAProxy answered "Can't find backend."`)
}

func TestIntegrationHAProxyDrainAndWeight(t *testing.T) {
	h, n, _, mirrors := fleetBehindHAProxy(t)
	drain := mustNew(t, config.Executor{Name: "lb", HAProxy: &config.HAProxyExecutor{Address: h.SocketPath, Backend: "mirrors", Mode: "drain"}}, mirrors, nil)
	conf, err := drain.Run(t.Context(), failover(n[0], n[1]), func(string) {})
	if err != nil || !evidenceOf(conf, n[0]+" DRAIN", n[1]+" READY") {
		t.Fatalf("drain: %q, %v", conf, err)
	}
	if got := whoServes(t, h.FrontendAddr, 4); !reflect.DeepEqual(got, same(n[1], 4)) {
		t.Fatalf("after drain: served by %v", got)
	}
	// Both are up now (the drained one ready again via weight mode's target).
	weight := mustNew(t, config.Executor{Name: "lb", HAProxy: &config.HAProxyExecutor{Address: h.SocketPath, Backend: "mirrors", Mode: "weight"}}, mirrors, nil)
	if r, err := h.Command("set server mirrors/" + n[0] + " state ready"); err != nil || strings.TrimSpace(r) != "" {
		t.Fatalf("ready %s: %q %v", n[0], r, err)
	}
	conf, err = weight.Run(t.Context(), failover(n[1], n[0]), func(string) {})
	if err != nil || !evidenceOf(conf, n[0]+" READY weight 100", n[1]+" READY weight 0") {
		t.Fatalf("weight: %q, %v", conf, err)
	}
	if got := whoServes(t, h.FrontendAddr, 4); !reflect.DeepEqual(got, same(n[0], 4)) {
		t.Fatalf("after weight switch: served by %v", got)
	}
}

// query asks the server directly, as a resolver would.
func query(t *testing.T, addr, name string, typ uint16) []string {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, typ)
	r, _, err := (&dns.Client{Timeout: 2 * time.Second}).Exchange(m, addr)
	if err != nil {
		t.Fatalf("query %s: %v", name, err)
	}
	var out []string
	for _, rr := range r.Answer {
		f := strings.Fields(rr.String())
		out = append(out, f[len(f)-1])
	}
	return out
}

func TestIntegrationNamedFailover(t *testing.T) {
	secret := actionstest.NewSecret()
	ns := actionstest.StartNamed(t, "example.org", "mirror.example.org", "CNAME", "osaka.example.net", "warroom", secret)
	mirrors := mirrorsFor(t, map[string]string{"osaka": "http://osaka.example.net/", "tokyo": "https://tokyo.example.net:8443/"})
	exec := func(name, secret string) actions.Executor {
		var k *config.TSIG
		if name != "" {
			k = &config.TSIG{Name: name, Secret: secret}
		}
		return mustNew(t, config.Executor{Name: "dns", DNS: &config.DNSExecutor{
			Server: ns.Addr, Zone: "example.org", Record: "mirror.example.org", TTL: 30, TSIG: k,
		}}, mirrors, nil)
	}
	x := exec("warroom", secret)
	if err := x.Check(t.Context()); err != nil {
		t.Fatalf("Check: %v\n%s", err, ns.Log())
	}
	conf, err := x.Run(t.Context(), failover("osaka", "tokyo"), func(string) {})
	if err != nil {
		t.Fatalf("failover: %v\n%s", err, ns.Log())
	}
	if conf != "mirror.example.org. CNAME tokyo.example.net. (mirror tokyo)" {
		t.Fatalf("confirmation %q", conf)
	}
	if got := query(t, ns.Addr, "mirror.example.org.", dns.TypeCNAME); !reflect.DeepEqual(got, []string{"tokyo.example.net."}) {
		t.Fatalf("named answers %v after failover, want tokyo.example.net.", got)
	}
	if a, err := x.(actions.Reader).Active(t.Context()); err != nil || !reflect.DeepEqual(a, []string{"tokyo"}) {
		t.Fatalf("Active = %v, %v", a, err)
	}

	// Wrong secret, unknown key, no key: refused, clearly, and nothing changes.
	for _, tc := range []struct{ name, secret, want string }{
		{"warroom", actionstest.NewSecret(), "NOTAUTH (TSIG BADSIG): TSIG key or allow-update wrong"},
		{"intruder", secret, "NOTAUTH (TSIG BADKEY): TSIG key or allow-update wrong"},
		{"", "", "REFUSED: TSIG key or allow-update wrong"},
	} {
		_, err := exec(tc.name, tc.secret).Run(t.Context(), failover("tokyo", "osaka"), func(string) {})
		wantErr(t, err, tc.want)
		if tc.secret != "" && strings.Contains(err.Error(), tc.secret) {
			t.Fatalf("error shows the secret: %v", err)
		}
	}
	wantErr(t, exec("warroom", actionstest.NewSecret()).Check(t.Context()), "SOA query", "BADSIG")
	wantErr(t, exec("", "").Check(t.Context()), "test update", "REFUSED")
	if got := query(t, ns.Addr, "mirror.example.org.", dns.TypeCNAME); !reflect.DeepEqual(got, []string{"tokyo.example.net."}) {
		t.Fatalf("a refused update changed the record: %v", got)
	}

	if _, err := x.Run(t.Context(), actions.Op{Action: actions.ActionFailback, From: "tokyo", To: "osaka"}, func(string) {}); err != nil {
		t.Fatalf("failback: %v", err)
	}
	if got := query(t, ns.Addr, "mirror.example.org.", dns.TypeCNAME); !reflect.DeepEqual(got, []string{"osaka.example.net."}) {
		t.Fatalf("named answers %v after failback", got)
	}
}

func TestIntegrationNamedARecord(t *testing.T) {
	secret := actionstest.NewSecret()
	ns := actionstest.StartNamed(t, "example.org", "www.example.org", "A", "127.0.0.10", "warroom", secret)
	mirrors := mirrorsFor(t, map[string]string{"osaka": "http://127.0.0.10:8080/", "tokyo": "http://127.0.0.20:8080/"})
	x := mustNew(t, config.Executor{Name: "dns", DNS: &config.DNSExecutor{
		Server: ns.Addr, Zone: "example.org.", Record: "www.example.org.", Type: "A",
		TSIG: &config.TSIG{Name: "warroom.", Algorithm: "hmac-sha256", Secret: secret},
	}}, mirrors, nil)
	if _, err := x.Run(t.Context(), failover("osaka", "tokyo"), func(string) {}); err != nil {
		t.Fatalf("failover: %v", err)
	}
	if got := query(t, ns.Addr, "www.example.org.", dns.TypeA); !reflect.DeepEqual(got, []string{"127.0.0.20"}) {
		t.Fatalf("named answers %v, want 127.0.0.20", got)
	}
}
