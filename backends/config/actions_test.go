package config

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

const actionsBase = base + `actions:
  executors:
    - name: edge
      timeout: 5s
      haproxy: {address: /run/haproxy/admin.sock, backend: mirrors, servers: {a: a1}}
    - name: dns
      dns:
        server: 127.0.0.1:53
        zone: example.org
        record: mirror.example.org.
        tsig: {name: warroom., secret: "${TSIG}"}
    - name: deploy
      exec: {command: [/usr/local/bin/deploy, rollback, "{{.Target}}", "{{.Version}}"], list: [/usr/local/bin/deploy, list]}
  failover: edge
  rollback:
    - {name: web, executor: deploy, instances: [w1, w2, w3], batches: [30, 100], mirrors: [a], soak: 30m}
  rules:
    - {name: active-down, when: active-down, propose: failover}
    - {name: errors, when: error-rate, above: 0.05, for: 10m, propose: rollback, target: web}
notify:
  cadence: 20m
  channels:
    - {name: ops, kind: slack, url: "${SLACK}", public: true}
    - {name: ding, kind: DingTalk, url: "https://oapi.dingtalk.com/robot/send?access_token=${DING}", secret: "${DING_SECRET}", keyword: 故障}
`

func TestActionsAndNotifyParse(t *testing.T) {
	vars := map[string]string{"TSIG": "c2VjcmV0", "SLACK": "https://hooks.slack.com/services/T/B/X", "DING": "tok", "DING_SECRET": "SECxyz"}
	c := mustParse(t, actionsBase, vars)
	a := c.Actions
	if a.Confirm != ConfirmTypeName || a.Timeout != DefaultActionTimeout || a.Failover != "edge" {
		t.Fatalf("actions defaults: %+v", a)
	}
	if len(a.Executors) != 3 || a.Executors[0].Kind() != "haproxy" || a.Executors[0].Timeout != 5*time.Second ||
		a.Executors[0].HAProxy.Mode != "state" || a.Executors[0].HAProxy.Servers["a"] != "a1" {
		t.Fatalf("haproxy executor: %+v", a.Executors[0])
	}
	d := a.Executors[1]
	if d.Kind() != "dns" || d.Timeout != DefaultActionTimeout || d.DNS.Type != "CNAME" || d.DNS.TTL != DefaultDNSTTL ||
		d.DNS.TSIG.Algorithm != "hmac-sha256" || d.DNS.TSIG.Secret != "c2VjcmV0" {
		t.Fatalf("dns executor: %+v %+v", d.DNS, d.DNS.TSIG)
	}
	if !c.Secret("actions.executors[1].dns.tsig.secret") {
		t.Error("TSIG secret from ${TSIG} not marked secret")
	}
	if got := a.Executors[2].Exec.Command; len(got) != 4 || got[3] != "{{.Version}}" {
		t.Fatalf("exec command: %q", got)
	}
	if r := a.Rollback[0]; r.Name != "web" || len(r.Batches) != 2 || r.Mirrors[0] != "a" || r.Soak != 30*time.Minute {
		t.Fatalf("rollback: %+v", r)
	}
	if r := a.Rules[0]; r.For != DefaultRuleFor || r.Auto {
		t.Fatalf("rule defaults: %+v", r)
	}
	n := c.Notify
	if n.Cadence != 20*time.Minute || len(n.Channels) != 2 {
		t.Fatalf("notify: %+v", n)
	}
	if ch := n.Channels[1]; ch.Kind != ChannelDingTalk || ch.Format != "markdown" || ch.Timeout != DefaultPostTimeout || ch.Keyword != "故障" {
		t.Fatalf("dingtalk channel: %+v", ch)
	}
}

func TestActionsAndNotifyErrors(t *testing.T) {
	vars := map[string]string{"TSIG": "c2VjcmV0", "SLACK": "https://hooks.slack.com/x", "DING": "t", "DING_SECRET": "s"}
	cases := []struct {
		name, from, to, field, want string
	}{
		{"unknown failover executor", "failover: edge", "failover: edg", "actions.failover", `"edg" is not an executor`},
		{"no kind", "      haproxy: {address: /run/haproxy/admin.sock, backend: mirrors, servers: {a: a1}}\n", "", "actions.executors[0]", "give exactly one of haproxy:"},
		{"server for unknown mirror", "servers: {a: a1}", "servers: {zz: a1}", "actions.executors[0].haproxy.servers.zz", `"zz" is not a mirror`},
		{"bad mode", "backend: mirrors,", "backend: mirrors, mode: off,", "actions.executors[0].haproxy.mode", "is not one of state, drain, weight"},
		{"bad tsig algorithm", `secret: "${TSIG}"}`, `secret: "${TSIG}", algorithm: md5}`, "actions.executors[1].dns.tsig.algorithm", `"md5" is not one of`},
		{"rollback on haproxy", "executor: deploy", "executor: edge", "actions.rollback[0].executor", "rollback needs exec or http"},
		{"batches not ending at 100", "batches: [30, 100]", "batches: [30, 60]", "actions.rollback[0].batches", "the last batch must be 100"},
		{"negative soak", "soak: 30m", "soak: -5m", "actions.rollback[0].soak", "must not be negative"},
		{"soak not a duration", "soak: 30m", "soak: a while", "actions.rollback[0].soak", "is not a duration"},
		{"falling batches", "batches: [30, 100]", "batches: [50, 30, 100]", "actions.rollback[0].batches[1]", "rising percentages"},
		{"rule target", "target: web", "target: api", "actions.rules[1].target", `"api" is not a rollback target`},
		{"rule when", "when: active-down", "when: sometimes", "actions.rules[0].when", "is not one of active-down, error-rate, lag"},
		{"channel kind", "kind: slack", "kind: teams", "notify.channels[0].kind", `"teams" is not one of slack, dingtalk`},
		{"secret on slack", `url: "${SLACK}", public`, `url: "${SLACK}", secret: x, public`, "notify.channels[0].secret", "only DingTalk and Feishu sign posts"},
		{"approval level", "failover: edge", "failover: edge\n  approvals: {failover: [2, 4]}", "actions.approvals.failover[1]", "incident levels are 1, 2 and 3"},
		{"approval action", "failover: edge", "failover: edge\n  approvals: {deploy: [2]}", "actions.approvals.deploy", "unknown"},
		{"channel url", `url: "${SLACK}"`, `url: hooks.slack.com`, "notify.channels[0].url", "want an absolute http:// or https:// URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text := strings.Replace(actionsBase, tc.from, tc.to, 1)
			if text == actionsBase {
				t.Fatalf("case does not change the config: %q", tc.from)
			}
			_, err := Parse("warroom.yaml", []byte(text), env(vars))
			for _, fe := range fieldErrors(t, err) {
				if fe.Field == tc.field && strings.Contains(fe.Error(), tc.want) {
					return
				}
			}
			t.Fatalf("want %s: %q; got %v", tc.field, tc.want, err)
		})
	}
}

func TestApprovalsAndPenParse(t *testing.T) {
	vars := map[string]string{"TSIG": "c2VjcmV0", "SLACK": "https://hooks.slack.com/x", "DING": "t", "DING_SECRET": "s"}
	text := strings.Replace(actionsBase, "failover: edge", "failover: edge\n  approvals: {failover: [2, 3], rollback: [1]}\n  approval_expiry: 3m\n  pen: true\n  failback_settle: 4m", 1)
	c, err := Parse("warroom.yaml", []byte(text), env(vars))
	if err != nil {
		t.Fatal(err)
	}
	a := c.Actions
	if fmt.Sprint(a.Approvals) != "map[failover:[2 3] rollback:[1]]" || a.ApprovalExpiry != 3*time.Minute || !a.Pen || a.FailbackSettle != 4*time.Minute {
		t.Fatalf("approvals %v, expiry %v, pen %v, failback settle %v", a.Approvals, a.ApprovalExpiry, a.Pen, a.FailbackSettle)
	}
}
