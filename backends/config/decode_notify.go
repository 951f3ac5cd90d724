package config

import (
	"strings"

	"gopkg.in/yaml.v3"
)

var (
	notifyKeys  = []string{"cadence", "contact", "channels", "templates"}
	channelKeys = []string{"name", "kind", "url", "secret", "keyword", "format", "mentions", "body", "headers", "drill", "public", "timeout",
		"lang", "routing_key", "smtp", "tls", "username", "password", "from", "to", "ca_file"}
	mentionKeys  = []string{"all", "mobiles", "user_ids"}
	templateKeys = []string{"name", "phase", "lang", "title", "text"}
)

func (d *decoder) notify(n *yaml.Node, path string, x *Notify) {
	pairs, _ := d.mapping(n, path, "a map with cadence:, contact:, channels:, templates:", notifyKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "cadence":
			d.duration(p.Val, p.Path, &x.Cadence)
		case "contact":
			d.str(p.Val, p.Path, &x.Contact)
		case "channels":
			d.each(p.Val, p.Path, "channels", func(it *yaml.Node, at string) {
				x.Channels = append(x.Channels, d.channel(it, at))
			})
		case "templates":
			d.each(p.Val, p.Path, "templates", func(it *yaml.Node, at string) {
				x.Templates = append(x.Templates, d.template(it, at))
			})
		}
	}
}

func (d *decoder) channel(n *yaml.Node, path string) Channel {
	c := Channel{Line: n.Line}
	for _, p := range d.item(n, path, "a map with name:, kind:, url:, …", channelKeys) {
		switch p.Key.Value {
		case "name":
			d.str(p.Val, p.Path, &c.Name)
		case "kind":
			if d.str(p.Val, p.Path, &c.Kind) {
				c.Kind = strings.ToLower(strings.TrimSpace(c.Kind))
			}
		case "url":
			d.str(p.Val, p.Path, &c.URL)
		case "secret":
			d.str(p.Val, p.Path, &c.Secret)
		case "keyword":
			d.str(p.Val, p.Path, &c.Keyword)
		case "format":
			d.str(p.Val, p.Path, &c.Format)
		case "mentions":
			mp, _ := d.mapping(p.Val, p.Path, "a map with all:, mobiles:, user_ids:", mentionKeys)
			for _, q := range mp {
				if isNull(q.Val) {
					continue
				}
				switch q.Key.Value {
				case "all":
					d.boolean(q.Val, q.Path, &c.Mentions.All)
				case "mobiles":
					d.strings(q.Val, q.Path, &c.Mentions.Mobiles)
				case "user_ids":
					d.strings(q.Val, q.Path, &c.Mentions.UserIDs)
				}
			}
		case "body":
			d.str(p.Val, p.Path, &c.Body)
		case "headers":
			c.Headers = d.stringMap(p.Val, p.Path)
		case "drill":
			d.boolean(p.Val, p.Path, &c.Drill)
		case "public":
			d.boolean(p.Val, p.Path, &c.Public)
		case "timeout":
			d.duration(p.Val, p.Path, &c.Timeout)
		default:
			d.channelMore(p, &c)
		}
	}
	return c
}

// channelMore decodes the keys of alert messages, pagerduty and email.
func (d *decoder) channelMore(p pair, c *Channel) {
	switch p.Key.Value {
	case "lang":
		if d.str(p.Val, p.Path, &c.Lang) {
			c.Lang = strings.ToLower(strings.TrimSpace(c.Lang))
		}
	case "routing_key":
		d.str(p.Val, p.Path, &c.Pager.RoutingKey)
	case "smtp":
		d.str(p.Val, p.Path, &c.Mail.SMTP)
	case "tls":
		if d.str(p.Val, p.Path, &c.Mail.TLS) {
			c.Mail.TLS = strings.ToLower(strings.TrimSpace(c.Mail.TLS))
		}
	case "username":
		d.str(p.Val, p.Path, &c.Mail.Username)
	case "password":
		d.str(p.Val, p.Path, &c.Mail.Password)
	case "from":
		d.str(p.Val, p.Path, &c.Mail.From)
	case "to":
		d.strings(p.Val, p.Path, &c.Mail.To)
	case "ca_file":
		d.str(p.Val, p.Path, &c.Mail.CAFile)
	}
}

func (d *decoder) template(n *yaml.Node, path string) Template {
	t := Template{Line: n.Line}
	for _, p := range d.item(n, path, "a map with name:, phase:, lang:, title:, text:", templateKeys) {
		switch p.Key.Value {
		case "name":
			d.str(p.Val, p.Path, &t.Name)
		case "phase":
			d.str(p.Val, p.Path, &t.Phase)
		case "lang":
			d.str(p.Val, p.Path, &t.Lang)
		case "title":
			d.str(p.Val, p.Path, &t.Title)
		case "text":
			d.str(p.Val, p.Path, &t.Text)
		}
	}
	return t
}
