package config

import "gopkg.in/yaml.v3"

// notify writes the notify: section. Webhook URLs, signing secrets and
// header values usually come from ${ENV}; the writer keeps them as ${NAME}.
func (w writer) notify(x *Notify) *yaml.Node {
	const p = "notify"
	n := w.m("cadence", w.d(join(p, "cadence"), x.Cadence))
	w.add(n, p, "contact", x.Contact != "", w.s(join(p, "contact"), x.Contact))
	w.add(n, p, "channels", len(x.Channels) > 0, items(join(p, "channels"), x.Channels, w.channel))
	w.add(n, p, "templates", len(x.Templates) > 0, items(join(p, "templates"), x.Templates, w.template))
	return n
}

func (w writer) channel(c *Channel, p string) *yaml.Node {
	n := w.m(
		"name", w.s(join(p, "name"), c.Name),
		"kind", w.s(join(p, "kind"), c.Kind),
	)
	w.add(n, p, "url", c.URL != "", w.s(join(p, "url"), c.URL))
	w.add(n, p, "secret", c.Secret != "", w.s(join(p, "secret"), c.Secret))
	w.add(n, p, "keyword", c.Keyword != "", w.s(join(p, "keyword"), c.Keyword))
	w.add(n, p, "format", c.Format != "", w.s(join(p, "format"), c.Format))
	mp, m := join(p, "mentions"), &c.Mentions
	mentions := w.m()
	w.add(mentions, mp, "all", m.All, w.b(join(mp, "all"), m.All))
	w.add(mentions, mp, "mobiles", len(m.Mobiles) > 0, w.strs(join(mp, "mobiles"), m.Mobiles, true))
	w.add(mentions, mp, "user_ids", len(m.UserIDs) > 0, w.strs(join(mp, "user_ids"), m.UserIDs, true))
	w.add(n, p, "mentions", len(mentions.Content) > 0, mentions)
	w.add(n, p, "body", c.Body != "", w.s(join(p, "body"), c.Body))
	w.add(n, p, "headers", len(c.Headers) > 0, w.strMap(join(p, "headers"), c.Headers))
	w.add(n, p, "drill", c.Drill, w.b(join(p, "drill"), c.Drill))
	w.add(n, p, "public", c.Public, w.b(join(p, "public"), c.Public))
	n.Content = append(n.Content, w.key("timeout"), w.d(join(p, "timeout"), c.Timeout))
	w.channelMore(n, c, p)
	return n
}

// channelMore writes the alert language and the pagerduty and email keys.
func (w writer) channelMore(n *yaml.Node, c *Channel, p string) {
	w.add(n, p, "lang", c.Lang != "", w.s(join(p, "lang"), c.Lang))
	w.add(n, p, "routing_key", c.Pager.RoutingKey != "", w.s(join(p, "routing_key"), c.Pager.RoutingKey))
	m := &c.Mail
	w.add(n, p, "smtp", m.SMTP != "", w.s(join(p, "smtp"), m.SMTP))
	w.add(n, p, "tls", m.TLS != "", w.s(join(p, "tls"), m.TLS))
	w.add(n, p, "username", m.Username != "", w.s(join(p, "username"), m.Username))
	w.add(n, p, "password", m.Password != "", w.s(join(p, "password"), m.Password))
	w.add(n, p, "from", m.From != "", w.s(join(p, "from"), m.From))
	w.add(n, p, "to", len(m.To) > 0, w.strs(join(p, "to"), m.To, true))
	w.add(n, p, "ca_file", m.CAFile != "", w.s(join(p, "ca_file"), m.CAFile))
}

func (w writer) template(t *Template, p string) *yaml.Node {
	n := w.m("name", w.s(join(p, "name"), t.Name))
	w.add(n, p, "phase", t.Phase != "", w.s(join(p, "phase"), t.Phase))
	w.add(n, p, "lang", t.Lang != "", w.s(join(p, "lang"), t.Lang))
	w.add(n, p, "title", t.Title != "", w.s(join(p, "title"), t.Title))
	w.add(n, p, "text", t.Text != "", w.s(join(p, "text"), t.Text))
	return n
}
