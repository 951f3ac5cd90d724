package config

import (
	"net/url"
	"strings"
)

// checkActions checks the actions: section against itself and the mirrors.
func checkActions(k *checker, c *Config) {
	a := &c.Actions
	oneOf(k, "actions.confirm", a.Confirm, ConfirmTypeName, ConfirmYes)
	positive(k, "actions.timeout", a.Timeout)
	positive(k, "actions.approval_expiry", a.ApprovalExpiry)
	positive(k, "actions.failback_settle", a.FailbackSettle)
	for action, levels := range a.Approvals {
		for i, l := range levels {
			if l < 1 || l > 3 {
				p := index(join("actions.approvals", action), i)
				k.fail(p, "level %d: incident levels are 1, 2 and 3", l)
			}
		}
	}
	executors := map[string]Executor{}
	for i, e := range a.Executors {
		p := index("actions.executors", i)
		kinds := 0
		for _, set := range []bool{e.HAProxy != nil, e.DNS != nil, e.Exec != nil, e.HTTP != nil} {
			if set {
				kinds++
			}
		}
		switch {
		case e.Name == "":
			k.fail(join(p, "name"), "missing; name the executor, e.g. name: edge-lb")
		case executors[e.Name].Line != 0 || executors[e.Name].Name != "":
			k.fail(join(p, "name"), "%s is already the name of another executor%s", k.show(join(p, "name"), e.Name), onLine(executors[e.Name].Line))
		default:
			executors[e.Name] = e
		}
		if kinds != 1 {
			k.fail(p, "give exactly one of haproxy:, dns:, exec:, http: (found %d)", kinds)
			continue
		}
		positive(k, join(p, "timeout"), e.Timeout)
		checkExecutor(k, c, e, p)
	}
	if _, ok := executors[a.Failover]; a.Failover != "" && !ok {
		k.fail("actions.failover", "%s is not an executor; name one of actions.executors", k.show("actions.failover", a.Failover))
	}
	targets := map[string]bool{}
	for i, t := range a.Rollback {
		p := index("actions.rollback", i)
		if t.Name == "" {
			k.fail(join(p, "name"), "missing; name what is rolled back, e.g. name: web")
		} else if targets[t.Name] {
			k.fail(join(p, "name"), "%s is already a rollback target", k.show(join(p, "name"), t.Name))
		}
		targets[t.Name] = true
		e, ok := executors[t.Executor]
		switch {
		case t.Executor == "":
			k.fail(join(p, "executor"), "missing; name an exec or http executor that rolls back")
		case !ok:
			k.fail(join(p, "executor"), "%s is not an executor", k.show(join(p, "executor"), t.Executor))
		case e.Exec == nil && e.HTTP == nil:
			k.fail(join(p, "executor"), "%s is a %s executor; rollback needs exec or http", k.show(join(p, "executor"), t.Executor), e.Kind())
		}
		last := 0
		for j, b := range t.Batches {
			bp := index(join(p, "batches"), j)
			if b <= last || b > 100 {
				k.fail(bp, "%s: batches are rising percentages of the instances, ending at 100 (e.g. [10, 40, 100])", k.int(bp, b))
			}
			last = b
		}
		if len(t.Batches) > 0 && last != 100 {
			k.fail(join(p, "batches"), "the last batch must be 100 (every instance), not %d", last)
		}
		if len(t.Batches) > 0 && len(t.Instances) == 0 {
			k.fail(join(p, "instances"), "missing; batches need the list of instances to split")
		}
		if t.Soak < 0 {
			k.fail(join(p, "soak"), "%s must not be negative (0 = no soak)", k.dur(join(p, "soak"), t.Soak))
		}
		for j, m := range t.Mirrors {
			if !c.hasMirror(m) {
				mp := index(join(p, "mirrors"), j)
				k.fail(mp, "%s is not a mirror in mirrors:", k.show(mp, m))
			}
		}
	}
	for i, r := range a.Rules {
		p := index("actions.rules", i)
		if r.Name == "" {
			k.fail(join(p, "name"), "missing; name the rule, e.g. name: active-down")
		}
		oneOf(k, join(p, "when"), r.When, WhenActiveDown, WhenErrorRate, WhenLag)
		oneOf(k, join(p, "propose"), r.Propose, "failover", "rollback")
		positive(k, join(p, "for"), r.For)
		if r.When == WhenErrorRate && !(r.Above > 0 && r.Above <= 1) {
			k.fail(join(p, "above"), "%s: error-rate wants a share above 0 and at most 1 (0.05 = 5 %%)", k.num(join(p, "above"), r.Above))
		}
		if r.When == WhenLag && r.Above <= 0 {
			k.fail(join(p, "above"), "%s: lag wants seconds above 0 (600 = 10 minutes)", k.num(join(p, "above"), r.Above))
		}
		switch r.Propose {
		case "failover":
			if a.Failover == "" {
				k.fail(join(p, "propose"), "proposes failover, but actions.failover names no executor")
			}
		case "rollback":
			if !targets[r.Target] {
				k.fail(join(p, "target"), "%s is not a rollback target in actions.rollback", k.show(join(p, "target"), r.Target))
			}
		}
	}
}

func checkExecutor(k *checker, c *Config, e Executor, p string) {
	switch {
	case e.HAProxy != nil:
		h, hp := e.HAProxy, join(p, "haproxy")
		if h.Address == "" {
			k.fail(join(hp, "address"), "missing; the runtime API's unix socket (/run/haproxy/admin.sock) or host:port")
		}
		if h.Backend == "" {
			k.fail(join(hp, "backend"), "missing; the backend whose servers are the mirrors")
		}
		oneOf(k, join(hp, "mode"), h.Mode, "state", "drain", "weight")
		checkMirrorKeys(k, c, join(hp, "servers"), h.Servers)
	case e.DNS != nil:
		x, dp := e.DNS, join(p, "dns")
		for _, f := range []struct{ key, v string }{{"server", x.Server}, {"zone", x.Zone}, {"record", x.Record}} {
			if strings.TrimSpace(f.v) == "" {
				k.fail(join(dp, f.key), "missing")
			}
		}
		oneOf(k, join(dp, "type"), x.Type, "A", "AAAA", "CNAME")
		if x.TTL < 1 {
			k.fail(join(dp, "ttl"), "%s must be at least 1 second", k.int(join(dp, "ttl"), x.TTL))
		}
		if x.TSIG != nil {
			tp := join(dp, "tsig")
			if x.TSIG.Name == "" {
				k.fail(join(tp, "name"), "missing; the key's name as the server knows it, e.g. warroom.")
			}
			if x.TSIG.Secret == "" {
				k.fail(join(tp, "secret"), "missing; the base64 key, e.g. secret: ${WARROOM_TSIG}")
			}
			oneOf(k, join(tp, "algorithm"), x.TSIG.Algorithm, "hmac-sha256", "hmac-sha512", "hmac-sha1")
		}
		checkMirrorKeys(k, c, join(dp, "values"), x.Values)
	case e.Exec != nil:
		if len(e.Exec.Command) == 0 || strings.TrimSpace(e.Exec.Command[0]) == "" {
			k.fail(join(join(p, "exec"), "command"), "missing; give the program and its arguments as a list, e.g. [/usr/local/bin/switch, \"{{.To}}\"]")
		}
	case e.HTTP != nil:
		hp := join(p, "http")
		if e.HTTP.URL == "" {
			k.fail(join(hp, "url"), "missing; the URL to call, e.g. https://api.example/switch")
		} else if u, err := url.Parse(e.HTTP.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https" && !strings.HasPrefix(e.HTTP.URL, "{{")) {
			k.fail(join(hp, "url"), "%s: want an absolute http:// or https:// URL", k.show(join(hp, "url"), e.HTTP.URL))
		}
		oneOf(k, join(hp, "method"), e.HTTP.Method, "GET", "POST", "PUT", "PATCH", "DELETE")
	}
}

// checkMirrorKeys reports map keys that name no mirror.
func checkMirrorKeys(k *checker, c *Config, p string, m map[string]string) {
	for name := range m {
		if !c.hasMirror(name) {
			k.fail(join(p, name), "%q is not a mirror in mirrors:", name)
		}
	}
}

func (c *Config) hasMirror(name string) bool {
	for _, m := range c.Mirrors {
		if m.Name == name {
			return true
		}
	}
	return false
}

// checkNotify checks the notify: section.
func checkNotify(k *checker, n *Notify) {
	positive(k, "notify.cadence", n.Cadence)
	names := map[string]bool{}
	for i, ch := range n.Channels {
		p := index("notify.channels", i)
		if ch.Name == "" {
			k.fail(join(p, "name"), "missing; name the channel, e.g. name: ops-slack")
		} else if names[ch.Name] {
			k.fail(join(p, "name"), "%s is already the name of another channel", k.show(join(p, "name"), ch.Name))
		}
		names[ch.Name] = true
		oneOf(k, join(p, "kind"), ch.Kind, ChannelSlack, ChannelDingTalk, ChannelWeCom, ChannelFeishu, ChannelWebhook, ChannelPager, ChannelEmail)
		checkChannelAlerting(k, p, ch)
		if u, err := url.Parse(ch.URL); ch.Kind == ChannelEmail {
			// email has smtp: instead; checkMail refuses a url:
		} else if ch.URL == "" {
			k.fail(join(p, "url"), "missing; the webhook URL, best from the environment: url: ${OPS_SLACK_WEBHOOK}")
		} else if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			k.fail(join(p, "url"), "%s: want an absolute http:// or https:// URL", k.show(join(p, "url"), ch.URL))
		}
		switch ch.Kind {
		case ChannelDingTalk, ChannelWeCom:
			oneOf(k, join(p, "format"), ch.Format, "markdown", "text")
		case ChannelFeishu:
			oneOf(k, join(p, "format"), ch.Format, "card", "post", "text")
		case ChannelWebhook:
			if ch.Body == "" {
				k.fail(join(p, "body"), "missing; a webhook needs a JSON template, e.g. body: '{\"text\": {{json .Text}}}'")
			}
		}
		if ch.Secret != "" && ch.Kind != ChannelDingTalk && ch.Kind != ChannelFeishu {
			k.fail(join(p, "secret"), "only DingTalk and Feishu sign posts; remove it for %s", ch.Kind)
		}
		positive(k, join(p, "timeout"), ch.Timeout)
	}
	tnames := map[string]bool{}
	for i, t := range n.Templates {
		p := index("notify.templates", i)
		if t.Name == "" {
			k.fail(join(p, "name"), "missing; name the template, e.g. name: investigating")
		} else if tnames[t.Name] {
			k.fail(join(p, "name"), "%s is already the name of another template", k.show(join(p, "name"), t.Name))
		}
		tnames[t.Name] = true
		if t.Phase != "" {
			oneOf(k, join(p, "phase"), t.Phase, "investigating", "identified", "monitoring", "resolved", "alert")
		}
		if strings.TrimSpace(t.Text) == "" {
			k.fail(join(p, "text"), "missing; the announcement's body as a template")
		}
	}
}
