package config

import (
	"net"
	"net/mail"
	"strconv"
	"strings"
)

// Alert message languages.
var alertLangs = []string{"en", "zh"}

// applyAlertDefaults fills the language and the pagerduty and email keys.
func (c *Channel) applyAlertDefaults() {
	if c.Lang == "" {
		c.Lang = "en"
	}
	switch c.Kind {
	case ChannelPager:
		if c.URL == "" {
			c.URL = PagerDutyURL
		}
	case ChannelEmail:
		if c.Mail.TLS == "" {
			c.Mail.TLS = MailSTARTTLS
		}
	}
}

// checkChannelAlerting checks a channel's lang and its pagerduty and email
// keys, and that a channel of another kind does not carry them.
func checkChannelAlerting(k *checker, p string, ch Channel) {
	oneOf(k, join(p, "lang"), ch.Lang, alertLangs...)
	if ch.Kind != ChannelPager && ch.Pager.RoutingKey != "" {
		k.fail(join(p, "routing_key"), "only pagerduty channels take a routing_key; remove it for %s", ch.Kind)
	}
	if ch.Kind != ChannelEmail {
		m := ch.Mail
		set := []bool{m.SMTP != "", m.TLS != "", m.Username != "", m.Password != "", m.From != "", len(m.To) > 0, m.CAFile != ""}
		for i, key := range []string{"smtp", "tls", "username", "password", "from", "to", "ca_file"} {
			if set[i] {
				k.fail(join(p, key), "only email channels take %s:; remove it for %s", key, ch.Kind)
			}
		}
	}
	switch ch.Kind {
	case ChannelPager:
		checkPager(k, p, ch)
	case ChannelEmail:
		checkMail(k, p, ch)
	}
}

// pagerKeyLen is the length of a PagerDuty integration (routing) key.
const pagerKeyLen = 32

func checkPager(k *checker, p string, ch Channel) {
	kp := join(p, "routing_key")
	switch key := ch.Pager.RoutingKey; {
	case key == "":
		k.fail(kp, "missing; the service's Events API v2 integration key, best from the environment: routing_key: ${PD_ROUTING_KEY}")
	case len(key) != pagerKeyLen:
		from := ""
		if names := k.secret(kp); len(names) > 0 {
			from = " (" + fromEnv(names) + ")"
		}
		k.fail(kp, "the key%s is %d characters; PagerDuty integration keys are %d", from, len(key), pagerKeyLen)
	}
	if ch.Public {
		k.fail(join(p, "public"), "a pagerduty channel takes alert pages only, never announcements; remove public:")
	}
	if ch.Format != "" {
		k.fail(join(p, "format"), "pagerduty has no formats; remove it")
	}
}

func checkMail(k *checker, p string, ch Channel) {
	m := ch.Mail
	if ch.URL != "" {
		k.fail(join(p, "url"), "email sends over SMTP, not to a URL; set smtp: host:port instead")
	}
	if ch.Format != "" {
		k.fail(join(p, "format"), "email has no formats; remove it")
	}
	sp := join(p, "smtp")
	host, port, err := net.SplitHostPort(m.SMTP)
	if m.SMTP == "" {
		k.fail(sp, "missing; the mail server as host:port, e.g. smtp: smtp.example.com:587")
	} else if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
		k.fail(sp, "%s: want host:port, e.g. smtp.example.com:587", k.show(sp, m.SMTP))
	}
	tp := join(p, "tls")
	oneOf(k, tp, m.TLS, MailSTARTTLS, MailTLS, MailPlain)
	if m.TLS == MailPlain && host != "" && !LoopbackHost(host) {
		k.fail(tp, "none sends mail and credentials in clear; it is allowed only to a relay on this machine (localhost, 127.0.0.1, ::1), not %s; use starttls or tls", k.show(sp, host))
	}
	if m.TLS == MailPlain && m.CAFile != "" {
		k.fail(join(p, "ca_file"), "tls: none uses no certificates; remove ca_file or use starttls")
	}
	if m.Password != "" && m.Username == "" {
		k.fail(join(p, "username"), "missing; a password needs the username it belongs to")
	}
	if m.Username != "" && m.Password == "" {
		k.fail(join(p, "password"), "missing for username %s; best from the environment: password: ${SMTP_PASSWORD}", k.show(join(p, "username"), m.Username))
	}
	fp := join(p, "from")
	if m.From == "" {
		k.fail(fp, "missing; the sender's address, e.g. from: warroom@example.com")
	} else if _, err := mail.ParseAddress(m.From); err != nil {
		k.fail(fp, "%s is not an email address", k.show(fp, m.From))
	}
	if len(m.To) == 0 {
		k.fail(join(p, "to"), "missing; who receives the mail, e.g. to: [oncall@example.com]")
	}
	for i, a := range m.To {
		ap := index(join(p, "to"), i)
		if _, err := mail.ParseAddress(a); err != nil {
			k.fail(ap, "%s is not an email address", k.show(ap, a))
		}
	}
}

// LoopbackHost reports whether host is this machine, where a relay without
// TLS exposes nothing on the network.
func LoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// addChannelSecrets makes Mask hide routing keys and mail passwords even
// when written in the file rather than taken from ${ENV}.
func (c *Config) addChannelSecrets() {
	for _, ch := range c.Notify.Channels {
		c.addSecret(ch.Pager.RoutingKey)
		c.addSecret(ch.Mail.Password)
	}
}
