package config

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// everySection sets every field of actions:, notify:, incident: and serve:
// to a value other than its default, and takes secrets from ${ENV} in the
// places people put them: webhook URLs, signing secrets, tokens, headers.
// The "${…}" values in quotes with a typed field (IDLE, PEN, MAX_SESSIONS,
// OK_STATUS) are swapped for literals when used as a fuzz seed.
const everySection = `site: every
state_dir: /var/lib/warroom
keys: {quit: "${QUIT_KEY}", zoom: [z, Z]}
origin: {url: https://o.example.org/}
mirrors:
  - name: tokyo
    url: https://tokyo.example.net/
    health: {expect_status: "${OK_STATUS}"}
  - name: berlin
    url: https://berlin.example.net/
actions:
  readonly: true
  confirm: "yes"
  timeout: 45s
  executors:
    - name: edge
      timeout: 5s
      haproxy: {address: 127.0.0.1:9999, backend: mirrors, servers: {tokyo: tk1, berlin: "${BERLIN_SERVER}"}, mode: drain}
    - name: dns
      dns:
        server: 127.0.0.1:53
        zone: example.org.
        record: mirror.example.org.
        type: aaaa
        ttl: 30
        values: {tokyo: "2001:db8::1", berlin: "2001:db8::2"}
        tsig: {name: warroom., algorithm: hmac-sha512, secret: "${TSIG_SECRET}"}
    - name: deploy
      exec:
        command: [/usr/local/bin/deploy, rollback, "{{.Target}}", "{{.Version}}"]
        list: [/usr/local/bin/deploy, list]
        verify: [/usr/local/bin/deploy, verify, "{{.Version}}"]
        env: {DEPLOY_TOKEN: "${DEPLOY_TOKEN}", REGION: eu, PRICE: 'costs $${5}'}
        dir: /srv/deploy
    - name: api
      http:
        method: put
        url: "https://api.example.org/switch/{{.To}}"
        headers: {Authorization: "Bearer ${API_TOKEN}", X-Reason: failover}
        body: |
          {"from": "{{.From}}",
           "to": "{{.To}}"}
        expect_status: [200, 409]
        list: https://api.example.org/versions
  failover: edge
  rollback:
    - {name: web, executor: deploy, instances: [w1, w2, w3, w4], batches: [25, 50, 100], mirrors: [tokyo, berlin], soak: 45m}
    - {name: gateway, executor: api, instances: [g1], mirrors: [berlin]}
  rules:
    - {name: down, when: active-down, for: 45s, propose: failover, auto: true}
    - {name: errors, when: error-rate, above: 0.2, for: 2m, propose: rollback, target: web}
  approvals: {failover: [2, 3], rollback: [1], failback: [3]}
  approval_expiry: 3m
  pen: "${PEN}"
  failback_settle: 5m
notify:
  cadence: 20m
  contact: "#incident-42"
  channels:
    - name: ops
      kind: Slack
      url: "https://hooks.slack.com/services/${SLACK_HOOK}"
      public: true
      timeout: 4s
    - name: ding
      kind: dingtalk
      url: "https://oapi.dingtalk.com/robot/send?access_token=${DING_TOKEN}"
      secret: "${DING_SECRET}"
      keyword: 故障
      format: text
      mentions: {all: true, mobiles: ["13800000000"], user_ids: [u1, u2]}
      drill: true
    - name: hook
      kind: webhook
      url: https://hooks.example.org/warroom
      body: '{"text": {{json .Text}}}'
      headers: {X-Token: "${HOOK_TOKEN}"}
    - name: pager
      kind: pagerduty
      routing_key: "${PD_KEY}"
      lang: zh
    - name: mail
      kind: email
      smtp: localhost:2525
      tls: none
      username: warroom
      password: "${SMTP_PASSWORD}"
      from: warroom@example.org
      to: [oncall@example.org, ana@example.org]
    - name: mail-tls
      kind: email
      smtp: smtp.example.org:465
      tls: tls
      ca_file: /etc/warroom/mail-ca.pem
      from: Warroom <warroom@example.org>
      to: oncall@example.org
  templates:
    - name: investigating-zh
      phase: investigating
      lang: zh
      title: "[{{.Site}}] 正在调查"
      text: |
        我们正在调查 {{.Summary}}。
        下次更新：{{.Next}}
incident:
  rto: 1h
  rpo: 2m
  propose: {off: true, critical_alerts: 4, mirrors_down: 5, regions_down: 3, all_down: false}
serve:
  listen: 127.0.0.1:2022
  host_key: /etc/warroom/host_key
  users:
    - name: ana
      role: Commander
      keys: ["ssh-ed25519 AAAAC3Nza ana@laptop", "ssh-ed25519 AAAAC3Nzb ana@desk"]
    - name: bo
      keys: "${BO_KEY}"
  authorized_keys: /etc/warroom/authorized_keys
  user_ca: ["${CA_KEY}", "ssh-ed25519 AAAAC3Nzd ca2"]
  idle_timeout: "${IDLE}"
  max_sessions: "${MAX_SESSIONS}"
  auth_failures_per_minute: 7
`

// everyVars are the environment of everySection; the long values must
// never appear in Marshal's output.
var everyVars = map[string]string{
	"PD_KEY":        "0123456789abcdef0123456789abcdef",
	"SMTP_PASSWORD": "smtp-password-secret",
	"QUIT_KEY":      "ctrl+quit-secret-key",
	"BERLIN_SERVER": "berlin-server-secret",
	"TSIG_SECRET":   "dHNpZy1zZWNyZXQtdmFsdWU=",
	"DEPLOY_TOKEN":  "deploy-token-secret",
	"API_TOKEN":     "api-token-secret",
	"SLACK_HOOK":    "T000/B000/slack-hook-secret",
	"DING_TOKEN":    "ding-token-secret",
	"DING_SECRET":   "SECding-signing-secret",
	"HOOK_TOKEN":    "hook-token-secret",
	"BO_KEY":        "ssh-ed25519 AAAAC3Nzc bo-secret-key",
	"CA_KEY":        "ssh-ed25519 AAAAC3Nzd ca-secret-key",
	"OK_STATUS":     "203",
	"IDLE":          "3m",
	"PEN":           "true",
	"MAX_SESSIONS":  "12",
}

func TestEverySectionRoundTrip(t *testing.T) {
	c := mustParse(t, everySection, everyVars)
	// The config really sets every field, so the round trip tests each one.
	for _, section := range []string{"Actions", "Notify", "Incident", "Serve"} {
		v := reflect.ValueOf(c).Elem().FieldByName(section)
		all, set := map[string]bool{}, map[string]bool{}
		fieldPaths(v.Type(), section, all)
		markSet(v, section, set)
		for path := range all {
			if !set[path] && path != "Incident.Propose.AllDown" { // default true; false is the test
				t.Errorf("everySection leaves %s unset; set it so the round trip covers it", path)
			}
		}
	}
	if c.Incident.Propose.AllDown {
		t.Error("everySection: want incident.propose.all_down false (its default is true)")
	}

	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range everyVars {
		if len(v) > 8 && strings.Contains(string(out), v) {
			t.Errorf("Marshal wrote the value of ${%s}:\n%s", name, out)
		}
	}
	for _, raw := range []string{"${SLACK_HOOK}", "${DING_SECRET}", "${TSIG_SECRET}", "Bearer ${API_TOKEN}", "${BO_KEY}", "${QUIT_KEY}", "${OK_STATUS}", "${IDLE}", "${PD_KEY}", "${SMTP_PASSWORD}"} {
		if !strings.Contains(string(out), raw) {
			t.Errorf("Marshal output lacks %q as written in the file:\n%s", raw, out)
		}
	}
	again, err := Parse("warroom.yaml", out, env(everyVars))
	if err != nil {
		t.Fatalf("re-parse of Marshal output: %v\n%s", err, out)
	}
	// The output is a fixed point: marshalling the re-parsed config gives the same text.
	if out2, err := again.Marshal(); err != nil || !bytes.Equal(out, out2) {
		t.Errorf("Marshal(Parse(Marshal(c))) differs from Marshal(c) (err %v):\n%s\n---\n%s", err, out, out2)
	}
	if !reflect.DeepEqual(c.secrets, again.secrets) {
		t.Errorf("secret fields changed:\n got %v\nwant %v", again.SecretFields(), c.SecretFields())
	}
	// A few values spelled out, so a wrong reading on both sides still fails.
	if x := again.Actions.Executors[1].DNS; x.Type != "AAAA" || x.TSIG.Secret != everyVars["TSIG_SECRET"] || x.TSIG.Algorithm != "hmac-sha512" {
		t.Errorf("dns executor = %+v, tsig %+v", x, x.TSIG)
	}
	if ch := again.Notify.Channels[1]; ch.Secret != everyVars["DING_SECRET"] || ch.Format != "text" || !ch.Mentions.All || !ch.Drill {
		t.Errorf("dingtalk channel = %+v", ch)
	}
	if u := again.Serve.Users; u[0].Role != "commander" || u[1].Role != "observer" || !slices.Equal(u[1].Keys, []string{everyVars["BO_KEY"]}) {
		t.Errorf("serve users = %+v", u)
	}
	if e := again.Actions.Executors[2].Exec.Env["PRICE"]; e != "costs ${5}" {
		t.Errorf("exec env PRICE = %q, want the literal ${ kept", e)
	}
	if !again.Actions.Pen || again.Serve.MaxSessions != 12 || !slices.Equal(again.Mirrors[0].Health.ExpectStatus, []int{203}) {
		t.Errorf("values from ${ENV} in typed fields: pen %v, max_sessions %d, expect_status %v",
			again.Actions.Pen, again.Serve.MaxSessions, again.Mirrors[0].Health.ExpectStatus)
	}
	sameConfig(t, again, c, false)
}

// A file that leaves the optional parts out gets no empty lists or maps
// from Marshal, and still reads back the same.
func TestMarshalLeavesEmptyPartsOut(t *testing.T) {
	c := mustParse(t, base, nil)
	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"executors:", "rollback:", "rules:", "approvals:", "failover:", "channels:", "templates:", "contact:", "users:", "host_key:", "authorized_keys:", "user_ca:", "off:"} {
		if strings.Contains(string(out), key) {
			t.Errorf("Marshal wrote %s for a file without it:\n%s", key, out)
		}
	}
	for _, key := range []string{"\nactions:\n", "\nnotify:\n", "\nincident:\n", "\nserve:\n", "approval_expiry: 10m", "cadence: 30m", "rto: 15m", "listen: :2222"} {
		if !strings.Contains(string(out), key) {
			t.Errorf("Marshal output lacks %q (the effective settings):\n%s", key, out)
		}
	}
	again, err := Parse("warroom.yaml", out, nil)
	if err != nil {
		t.Fatalf("re-parse: %v\n%s", err, out)
	}
	sameConfig(t, again, c, false)
}
