package actions_test

import (
	"reflect"
	"strings"
	"testing"

	"warroom/backends/actions"
	"warroom/backends/config"
)

func TestPlanHAProxyModes(t *testing.T) {
	mirrors := mirrorsFor(t, map[string]string{"osaka": "http://osaka.example.net/", "tokyo": "http://tokyo.example.net/"})
	for mode, want := range map[string][]string{
		"": {
			"haproxy 127.0.0.1:9999: show servers state mirrors (want tokyo-1 READY, osaka present, else change nothing)",
			"haproxy 127.0.0.1:9999: set server mirrors/osaka state ready",
			"haproxy 127.0.0.1:9999: set server mirrors/tokyo-1 state maint",
			"haproxy 127.0.0.1:9999: show servers state mirrors (confirm osaka READY, tokyo-1 MAINT)",
		},
		"drain": {
			"haproxy 127.0.0.1:9999: show servers state mirrors (want tokyo-1 READY, osaka present, else change nothing)",
			"haproxy 127.0.0.1:9999: set server mirrors/osaka state ready",
			"haproxy 127.0.0.1:9999: set server mirrors/tokyo-1 state drain",
			"haproxy 127.0.0.1:9999: show servers state mirrors (confirm osaka READY, tokyo-1 DRAIN)",
		},
		"weight": {
			"haproxy 127.0.0.1:9999: show servers state mirrors (want tokyo-1 READY with weight above 0, osaka READY, else change nothing)",
			"haproxy 127.0.0.1:9999: set server mirrors/osaka weight 100",
			"haproxy 127.0.0.1:9999: set server mirrors/tokyo-1 weight 0",
			"haproxy 127.0.0.1:9999: show servers state mirrors (confirm osaka weight 100, tokyo-1 weight 0)",
		},
	} {
		x := mustNew(t, config.Executor{Name: "lb", HAProxy: &config.HAProxyExecutor{
			Address: "127.0.0.1:9999", Backend: "mirrors", Mode: mode, Servers: map[string]string{"tokyo": "tokyo-1"},
		}}, mirrors, nil)
		got, err := x.Plan(failover("tokyo", "osaka"))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("mode %q:\n got %q\nwant %q", mode, got, want)
		}
	}
}

func TestPlanRefusesBadOps(t *testing.T) {
	mirrors := mirrorsFor(t, map[string]string{"osaka": "http://osaka.example.net/", "tokyo": "http://tokyo.example.net/"})
	lb := mustNew(t, config.Executor{Name: "lb", HAProxy: &config.HAProxyExecutor{Address: "/run/h.sock", Backend: "b"}}, mirrors, nil)
	d := mustNew(t, config.Executor{Name: "dns", DNS: &config.DNSExecutor{Server: "127.0.0.1:53", Zone: "example.org", Record: "m.example.org"}}, mirrors, nil)
	for _, x := range []actions.Executor{lb, d} {
		_, err := x.Plan(actions.Op{Action: actions.ActionRollback, Target: "web", Version: "1"})
		wantErr(t, err, x.Kind()+` executor "`+x.Name()+`"`, "rollback is not supported")
		_, err = x.Plan(failover("osaka", "osaka"))
		wantErr(t, err, "to itself")
		_, err = x.Plan(failover("osaka", "paris"))
		wantErr(t, err, `"paris"`)
		_, err = x.Plan(actions.Op{Action: "explode"})
		wantErr(t, err, `unknown action "explode"`)
	}
}

func TestPlanDNSNeverShowsTheSecret(t *testing.T) {
	secret := "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ=="
	mirrors := mirrorsFor(t, map[string]string{"osaka": "http://osaka.example.net:8080/", "tokyo": "http://tokyo.example.net/"})
	x := mustNew(t, config.Executor{Name: "dns", DNS: &config.DNSExecutor{
		Server: "127.0.0.1:5353", Zone: "example.org", Record: "Mirror.example.org",
		TSIG: &config.TSIG{Name: "warroom", Secret: secret},
	}}, mirrors, nil)
	got, err := x.Plan(failover("tokyo", "osaka"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"dns 127.0.0.1:5353: update mirror.example.org. CNAME osaka.example.net. if it is still tokyo.example.net. (TTL 60, TSIG warroom.)",
		"dns 127.0.0.1:5353: query mirror.example.org. CNAME (confirm osaka.example.net.)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("plan\n got %q\nwant %q", got, want)
	}
	// A secret that does not decode is named as such, never printed.
	bad := "not*base64" + secret
	_, err = actions.New(config.Executor{Name: "dns", DNS: &config.DNSExecutor{
		Server: "127.0.0.1:5353", Zone: "example.org", Record: "m.example.org",
		TSIG: &config.TSIG{Name: "warroom", Secret: bad},
	}}, mirrors, nil)
	wantErr(t, err, `dns executor "dns"`, "tsig.secret", "does not decode")
	if strings.Contains(err.Error(), "base64"+secret[:10]) {
		t.Fatalf("error shows the secret: %v", err)
	}
	// An A record needs addresses: a host name does not default.
	a := mustNew(t, config.Executor{Name: "dns", DNS: &config.DNSExecutor{
		Server: "127.0.0.1:5353", Zone: "example.org", Record: "m.example.org", Type: "A", TTL: 30,
		Values: map[string]string{"tokyo": "192.0.2.7", "paris": "192.0.2.9"},
	}}, mirrors, nil)
	got, err = a.Plan(failover("paris", "tokyo"))
	if err != nil || got[0] != "dns 127.0.0.1:5353: update m.example.org. A 192.0.2.7 if it is still 192.0.2.9 (TTL 30, unsigned)" {
		t.Fatalf("A plan = %q, %v", got, err)
	}
	_, err = a.Plan(failover("tokyo", "osaka"))
	wantErr(t, err, `mirror "osaka" has no A value`, `values["osaka"]`)
	// The update's prerequisite needs the value failover moves away from.
	_, err = a.Plan(failover("osaka", "tokyo"))
	wantErr(t, err, `mirror "osaka" has no A value, so the update cannot require that the record still points at it`, `values["osaka"]`)
}

func TestNewRefusesBadConfig(t *testing.T) {
	for _, tc := range []struct {
		e    config.Executor
		want string
	}{
		{config.Executor{Name: "x"}, "0 kinds set"},
		{config.Executor{Name: "x", HAProxy: &config.HAProxyExecutor{Backend: "b"}}, "address is empty"},
		{config.Executor{Name: "x", HAProxy: &config.HAProxyExecutor{Address: "a:1", Backend: "b", Mode: "yolo"}}, `mode "yolo"`},
		{config.Executor{Name: "x", DNS: &config.DNSExecutor{Server: "127.0.0.1:53", Zone: "a.org", Record: "m.b.org"}}, "not inside zone"},
		{config.Executor{Name: "x", DNS: &config.DNSExecutor{Server: "127.0.0.1:53", Zone: "a.org", Record: "m.a.org", Type: "MX"}}, `type "MX"`},
		{config.Executor{Name: "x", DNS: &config.DNSExecutor{Server: "127.0.0.1:53", Zone: "a.org", Record: "m.a.org", Type: "A", Values: map[string]string{"m": "::1"}}}, `values["m"]`},
		{config.Executor{Name: "x", DNS: &config.DNSExecutor{Server: "127.0.0.1:53", Zone: "a.org", Record: "m.a.org", TSIG: &config.TSIG{Name: "k", Algorithm: "md5", Secret: "AAAA"}}}, `tsig.algorithm "md5"`},
		{config.Executor{Name: "x", Exec: &config.ExecExecutor{}}, "command is empty"},
		{config.Executor{Name: "x", Exec: &config.ExecExecutor{Command: []string{"deploy", "{{.Target"}}}, "command[1]:"},
		{config.Executor{Name: "x", HTTP: &config.HTTPExecutor{URL: "http://x/{{if}}"}}, "url:"},
	} {
		_, err := actions.New(tc.e, nil, nil)
		wantErr(t, err, `executor "x"`, tc.want)
	}
}

func TestPlanExecAndHTTPMaskSecrets(t *testing.T) {
	token := "s3cr3t-t0ken"
	mask := maskOf(token)
	x := mustNew(t, config.Executor{Name: "deploy", Exec: &config.ExecExecutor{
		Command: []string{"/usr/local/bin/deploy", "{{.Action}}", "{{.Target}}", "{{.Version}}", "--token=" + token, "{{join .Instances \",\"}}"},
		Verify:  []string{"/usr/local/bin/check", "{{.Target}}", "a b"},
		Env:     map[string]string{"TOKEN": token, "INCIDENT": "{{.Incident}}"},
		Dir:     "/srv",
	}}, nil, mask)
	op := actions.Op{Action: "rollback", Target: "web", Version: "2026.11.20", Instances: []string{"w1", "w2"}, Incident: "INC-7"}
	got, err := x.Plan(op)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"exec: /usr/local/bin/deploy rollback web 2026.11.20 --token=*** w1,w2 (env INCIDENT, TOKEN) (in /srv)",
		`exec: verify: /usr/local/bin/check web "a b"`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("exec plan\n got %q\nwant %q", got, want)
	}
	_, err = x.Plan(actions.Op{Action: "rollback", Target: "web"})
	wantErr(t, err, "needs a version")

	h := mustNew(t, config.Executor{Name: "api", HTTP: &config.HTTPExecutor{
		URL:     "https://api.example/switch?to={{.To}}&token=" + token,
		Headers: map[string]string{"Authorization": "Bearer " + token},
		Body:    `{"from":"{{.From}}","to":"{{.To}}"}`,
	}}, nil, mask)
	got, err = h.Plan(failover("tokyo", "osaka"))
	if err != nil {
		t.Fatal(err)
	}
	want = []string{
		"http: POST https://api.example/switch?to=osaka&token=*** (headers Authorization; body 29 bytes)",
		"http: expect status 200/201/202/204",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("http plan\n got %q\nwant %q", got, want)
	}
}

func TestTemplateErrorsNameTheField(t *testing.T) {
	x := mustNew(t, config.Executor{Name: "deploy", Exec: &config.ExecExecutor{
		Command: []string{"true", "{{.Vershun}}"},
	}}, nil, nil)
	_, err := x.Plan(actions.Op{Action: "rollback", Target: "web", Version: "1"})
	wantErr(t, err, `exec executor "deploy"`, "command[1]", "Vershun")
	wantErr(t, x.Check(t.Context()), "command[1]", "Vershun")

	h := mustNew(t, config.Executor{Name: "api", HTTP: &config.HTTPExecutor{
		URL: "http://127.0.0.1/{{.To}}", Headers: map[string]string{"X-Who": "{{.Nobody}}"},
	}}, nil, nil)
	_, err = h.Plan(failover("a", "b"))
	wantErr(t, err, `http executor "api"`, "headers[X-Who]", "Nobody")
	wantErr(t, h.Check(t.Context()), "headers[X-Who]")

	u := mustNew(t, config.Executor{Name: "api", HTTP: &config.HTTPExecutor{URL: "{{.To}}"}}, nil, nil)
	_, err = u.Plan(failover("a", "b"))
	wantErr(t, err, "url:", "not an http(s) URL")
}
