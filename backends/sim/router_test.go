package sim

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// startRouter runs a two-mirror fleet behind a router: mirror 0 ready,
// mirror 1 in maintenance.
func startRouter(t *testing.T) (*Router, *Fleet, []string) {
	t.Helper()
	f, _ := startFake(t, Options{Mirrors: 2})
	ms := f.Mirrors()
	r, err := StartRouter("mirrors", []RouterServer{
		{Name: ms[0].Name, URL: ms[0].URL, Ready: true, Weight: 100},
		{Name: ms[1].Name, URL: ms[1].URL, Ready: false, Weight: 100},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r, f, []string{ms[0].Name, ms[1].Name}
}

// api sends one runtime API command and returns the whole reply.
func api(t *testing.T, r *Router, cmd string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", r.APIAddr(), 2*time.Second)
	if err != nil {
		t.Fatalf("dial runtime API: %v", err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, cmd+"\n"); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("read reply to %q: %v", cmd, err)
	}
	return string(b)
}

// servedBy GETs the trace through the router and returns the node name in it.
func servedBy(t *testing.T, c *http.Client, r *Router) (int, string) {
	t.Helper()
	resp, err := fetch(c, http.MethodGet, "http://"+r.HTTPAddr()+"/project/trace/master")
	if err != nil {
		t.Fatalf("GET through router: %v", err)
	}
	sc := bufio.NewScanner(strings.NewReader(resp.body))
	for sc.Scan() {
		if h, ok := strings.CutPrefix(sc.Text(), "Running on host: "); ok {
			return resp.status, strings.TrimSuffix(h, ".sim.invalid")
		}
	}
	return resp.status, ""
}

func TestRouterForwardsToFirstReadyServer(t *testing.T) {
	r, _, n := startRouter(t)
	c := client(t, 5*time.Second)
	for range 3 {
		if code, who := servedBy(t, c, r); code != 200 || who != n[0] {
			t.Fatalf("got %d from %q, want 200 from %s", code, who, n[0])
		}
	}
	if got := r.Active(); !reflect.DeepEqual(got, []string{n[0]}) {
		t.Fatalf("Active = %v, want [%s]", got, n[0])
	}
	if got := api(t, r, "set server mirrors/"+n[1]+" state ready"); got != "\n" {
		t.Fatalf("set ready answered %q, want %q", got, "\n")
	}
	if got := api(t, r, "set server mirrors/"+n[0]+" state maint"); got != "\n" {
		t.Fatalf("set maint answered %q", got)
	}
	if code, who := servedBy(t, c, r); code != 200 || who != n[1] {
		t.Fatalf("after switch: got %d from %q, want 200 from %s", code, who, n[1])
	}
	if got := r.Served(); got[n[0]] != 3 || got[n[1]] != 1 {
		t.Fatalf("Served = %v, want %s:3 %s:1", got, n[0], n[1])
	}
	// weight 0 takes the last server out too: nothing left answers 502.
	if got := api(t, r, "set server mirrors/"+n[1]+" weight 0"); got != "\n" {
		t.Fatalf("set weight answered %q", got)
	}
	if code, _ := servedBy(t, c, r); code != http.StatusBadGateway {
		t.Fatalf("no server available: got %d, want 502", code)
	}
	if got := r.Active(); len(got) != 0 {
		t.Fatalf("Active = %v, want none", got)
	}
}

func TestRouterShowServersStateFormat(t *testing.T) {
	r, _, n := startRouter(t)
	api(t, r, "set server mirrors/"+n[0]+" state drain")
	got := api(t, r, "show servers state mirrors")
	lines := strings.Split(got, "\n")
	if lines[0] != "1" || !strings.HasPrefix(lines[1], "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight ") {
		t.Fatalf("reply does not start with HAProxy's version and header:\n%s", got)
	}
	if !strings.HasSuffix(got, "\n\n") || len(lines) != 6 {
		t.Fatalf("want version, header, 2 servers and an empty line; got %q", got)
	}
	header := strings.Fields(strings.TrimPrefix(lines[1], "# "))
	for i, want := range []struct{ admin, op string }{{"8", "2"}, {"1", "0"}} {
		f := strings.Fields(lines[2+i])
		if len(f) != len(header) {
			t.Fatalf("line %q has %d fields, header %d", lines[2+i], len(f), len(header))
		}
		if f[1] != "mirrors" || f[3] != n[i] || f[5] != want.op || f[6] != want.admin || f[7] != "100" {
			t.Fatalf("server %s: %q, want op %s admin %s weight 100", n[i], lines[2+i], want.op, want.admin)
		}
	}
	if got := api(t, r, "show servers state"); !strings.HasPrefix(got, "1\n# be_id") {
		t.Fatalf("show servers state without a backend: %q", got)
	}
	if got := api(t, r, "show cli level"); got != "admin\n\n" {
		t.Fatalf("show cli level = %q", got)
	}
}

// TestRouterErrorsLikeHAProxy pins the replies to HAProxy 2.6's, byte for byte.
func TestRouterErrorsLikeHAProxy(t *testing.T) {
	r, _, n := startRouter(t)
	s := "mirrors/" + n[0]
	for cmd, want := range map[string]string{
		"show servers state nope":                  "Can't find backend.\n\n",
		"set server mirrors/nope state ready":      "No such server.\n\n",
		"set server nope/" + n[0] + " state ready": "No such backend.\n\n",
		"set server mirrors state ready":           "Require 'backend/server'.\n\n",
		"set server":                               "Require 'backend/server'.\n\n",
		"set server " + s + " state bogus":         "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n\n",
		"set server " + s + " weight 300":          "Absolute weight can only be between 0 and 256 inclusive.\n\n",
		"set server " + s + " weight abc":          "Empty weight string empty or preceded by garbage\n",
		"set server " + s + " weight 5x":           "Trailing garbage in weight string\n",
		"set server " + s + " weight -5%":          "Relative weight must be positive.\n\n",
		"set server " + s + " weight":              "Require <weight> or <weight%>.\n\n",
		"set server " + s + " foo":                 "usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | agent-send | check-addr | check-port | fqdn | health | ssl | state | weight\n\n",
	} {
		if got := api(t, r, cmd); got != want {
			t.Errorf("%q answered %q, want %q", cmd, got, want)
		}
	}
	if got := api(t, r, "frobnicate"); !strings.HasPrefix(got, "Unknown command. Please enter one of the following commands only:\n") || !strings.Contains(got, "show servers state [<backend>]") {
		t.Errorf("unknown command answered %q", got)
	}
	// Nothing above changed a server.
	if got := r.Active(); !reflect.DeepEqual(got, []string{n[0]}) {
		t.Errorf("bad commands changed state: Active = %v", got)
	}
	// Relative weights are a share of the initial weight; joined commands all run.
	if got := api(t, r, "set server "+s+" weight 50%; show servers state mirrors"); !strings.HasPrefix(got, "\n1\n") || !strings.Contains(got, " "+n[0]+" 127.0.0.1 2 0 50 100 ") {
		t.Errorf("weight 50%% then show: %q", got)
	}
}

func TestRouterCloseRefusesBothListeners(t *testing.T) {
	r, _, _ := startRouter(t)
	httpAddr, apiAddr := r.HTTPAddr(), r.APIAddr()
	r.Close()
	r.Close()
	for _, a := range []string{httpAddr, apiAddr} {
		if c, err := net.DialTimeout("tcp", a, time.Second); err == nil {
			c.Close()
			t.Errorf("%s still accepts after Close", a)
		}
	}
}

func TestStartRouterRefusesBadServers(t *testing.T) {
	for _, tc := range [][]RouterServer{
		{{Name: "a", URL: "http://127.0.0.1:1/"}, {Name: "a", URL: "http://127.0.0.1:2/"}},
		{{Name: "a b", URL: "http://127.0.0.1:1/"}},
		{{Name: "a", URL: "ftp://x/"}},
		{{Name: "a", URL: "http://127.0.0.1:1/", Weight: 257}},
	} {
		if r, err := StartRouter("be", tc); err == nil {
			r.Close()
			t.Errorf("StartRouter(%v) succeeded", tc)
		}
	}
}
