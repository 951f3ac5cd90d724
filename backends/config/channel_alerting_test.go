package config

import (
	"strings"
	"testing"
)

// pagerMail is base plus a pagerduty and an email channel; the channels
// start at line 8.
const pagerMail = base + `notify:
  channels:
    - name: pd
      kind: pagerduty
      routing_key: "${PD_KEY}"
    - name: mail
      kind: email
      smtp: smtp.example.org:587
      username: warroom
      password: "${SMTP_PASSWORD}"
      from: warroom@example.org
      to: [oncall@example.org]
`

var pagerMailVars = map[string]string{"PD_KEY": "0123456789abcdef0123456789abcdef", "SMTP_PASSWORD": "hunter2-smtp-pass"}

func TestPagerAndEmailChannelsDefault(t *testing.T) {
	c := mustParse(t, pagerMail, pagerMailVars)
	pd, mail := c.Notify.Channels[0], c.Notify.Channels[1]
	if pd.URL != PagerDutyURL || pd.Pager.RoutingKey != pagerMailVars["PD_KEY"] || pd.Lang != "en" {
		t.Errorf("pagerduty channel = %+v", pd)
	}
	if mail.Mail.TLS != MailSTARTTLS || mail.URL != "" || mail.Mail.To[0] != "oncall@example.org" || mail.Lang != "en" {
		t.Errorf("email channel = %+v", mail)
	}
	if got := c.Mask("auth failed for hunter2-smtp-pass and key 0123456789abcdef0123456789abcdef"); strings.Contains(got, "hunter2") || strings.Contains(got, "0123456789abcdef") {
		t.Errorf("Mask left a secret: %q", got)
	}
}

// A password or routing key written in the file, not from ${ENV}, is
// masked all the same.
func TestLiteralMailPasswordIsMasked(t *testing.T) {
	text := strings.Replace(pagerMail, `"${SMTP_PASSWORD}"`, "literal-pass-123", 1)
	c := mustParse(t, text, pagerMailVars)
	if got := c.Mask("535 bad credentials literal-pass-123"); strings.Contains(got, "literal-pass") {
		t.Errorf("Mask(%q) kept the password", got)
	}
}

func TestPagerAndEmailChannelErrors(t *testing.T) {
	cases := []struct {
		name, from, to, want string
	}{
		{"no routing key", `      routing_key: "${PD_KEY}"` + "\n", "", `warroom.yaml:9: notify.channels[0].routing_key: missing; the service's Events API v2 integration key`},
		{"short routing key", `"${PD_KEY}"`, `"${SHORT}"`, `warroom.yaml:11: notify.channels[0].routing_key: the key (value from ${SHORT}) is 5 characters; PagerDuty integration keys are 32`},
		{"routing key on email", "      from: warroom", "      routing_key: x\n      from: warroom", "notify.channels[1].routing_key: only pagerduty channels take a routing_key"},
		{"smtp on pagerduty", `"${PD_KEY}"`, `"${PD_KEY}"` + "\n      smtp: a:25", "notify.channels[0].smtp: only email channels take smtp:"},
		{"public pagerduty", `"${PD_KEY}"`, `"${PD_KEY}"` + "\n      public: true", "notify.channels[0].public: a pagerduty channel takes alert pages only"},
		{"pagerduty url", `"${PD_KEY}"`, `"${PD_KEY}"` + "\n      url: events.example", `notify.channels[0].url: "events.example": want an absolute http`},
		{"bad lang", `"${PD_KEY}"`, `"${PD_KEY}"` + "\n      lang: fr", `warroom.yaml:12: notify.channels[0].lang: "fr" is not one of en, zh`},
		{"email without to", "      to: [oncall@example.org]\n", "", "warroom.yaml:12: notify.channels[1].to: missing; who receives the mail"},
		{"bad to", "to: [oncall@example.org]", "to: [oncall@example.org, nobody]", `notify.channels[1].to[1]: "nobody" is not an email address`},
		{"email without from", "      from: warroom@example.org\n", "", "notify.channels[1].from: missing; the sender's address"},
		{"email with url", "      from: warroom", "      url: https://mail.example.org/\n      from: warroom", "notify.channels[1].url: email sends over SMTP, not to a URL"},
		{"smtp without port", "smtp.example.org:587", "smtp.example.org", `warroom.yaml:14: notify.channels[1].smtp: "smtp.example.org": want host:port`},
		{"plain tls off loopback", "smtp.example.org:587", "smtp.example.org:25\n      tls: none", `notify.channels[1].tls: none sends mail and credentials in clear; it is allowed only to a relay on this machine (localhost, 127.0.0.1, ::1), not "smtp.example.org"`},
		{"bad tls", "smtp.example.org:587", "smtp.example.org:587\n      tls: ssl", `notify.channels[1].tls: "ssl" is not one of starttls, tls, none`},
		{"password without user", "      username: warroom\n", "", "notify.channels[1].username: missing; a password needs the username"},
		{"user without password", `      password: "${SMTP_PASSWORD}"` + "\n", "", `notify.channels[1].password: missing for username "warroom"`},
		{"ca file on plain", "smtp.example.org:587", "localhost:25\n      tls: none\n      ca_file: /tmp/ca.pem", "notify.channels[1].ca_file: tls: none uses no certificates"},
		{"alert template", "to: [oncall@example.org]", "to: [oncall@example.org]\n  templates:\n    - {name: a, phase: alarm, text: x}", `notify.templates[0].phase: "alarm" is not one of investigating, identified, monitoring, resolved, alert`},
	}
	vars := map[string]string{"SHORT": "12345"}
	for k, v := range pagerMailVars {
		vars[k] = v
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text := strings.Replace(pagerMail, tc.from, tc.to, 1)
			if text == pagerMail {
				t.Fatalf("case does not change the config: %q", tc.from)
			}
			_, err := Parse("warroom.yaml", []byte(text), env(vars))
			for _, fe := range fieldErrors(t, err) {
				if strings.Contains(fe.Error(), tc.want) {
					if strings.Contains(fe.Error(), "hunter2") || strings.Contains(fe.Error(), "0123456789abcdef") {
						t.Errorf("error shows a secret: %v", fe)
					}
					return
				}
			}
			t.Fatalf("want %q; got %v", tc.want, err)
		})
	}
	if _, err := Parse("warroom.yaml", []byte(strings.Replace(pagerMail, "smtp.example.org:587", "127.0.0.1:2525\n      tls: none", 1)), env(vars)); err != nil {
		t.Errorf("tls: none to a loopback relay: %v", err)
	}
}
