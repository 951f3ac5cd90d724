package config

import (
	"strings"

	"gopkg.in/yaml.v3"
)

var (
	notifyKeys   = []string{"cadence", "contact", "channels", "templates"}
	channelKeys  = []string{"name", "kind", "url", "secret", "keyword", "format", "mentions", "body", "headers", "drill", "public", "timeout"}
	mentionKeys  = []string{"all", "mobiles", "user_ids"}
	templateKeys = []string{"name", "phase", "lang", "title", "text"}
)

func (d *decoder) notify(n *yaml.Node, path string, x *Notify) {
	pairs, _ := d.mapping(n, path, "a map with cadence:, contact:, channels:, templates:", notifyKeys)
	for _, p := range pairs {
		if isNull(p.val) {
			continue
		}
		switch p.key.Value {
		case "cadence":
			d.duration(p.val, p.path, &x.Cadence)
		case "contact":
			d.str(p.val, p.path, &x.Contact)
		case "channels":
			d.each(p.val, p.path, "channels", func(it *yaml.Node, at string) {
				x.Channels = append(x.Channels, d.channel(it, at))
			})
		case "templates":
			d.each(p.val, p.path, "templates", func(it *yaml.Node, at string) {
				x.Templates = append(x.Templates, d.template(it, at))
			})
		}
	}
}

func (d *decoder) channel(n *yaml.Node, path string) Channel {
	c := Channel{Line: n.Line}
	for _, p := range d.item(n, path, "a map with name:, kind:, url:, …", channelKeys) {
		switch p.key.Value {
		case "name":
			d.str(p.val, p.path, &c.Name)
		case "kind":
			if d.str(p.val, p.path, &c.Kind) {
				c.Kind = strings.ToLower(strings.TrimSpace(c.Kind))
			}
		case "url":
			d.str(p.val, p.path, &c.URL)
		case "secret":
			d.str(p.val, p.path, &c.Secret)
		case "keyword":
			d.str(p.val, p.path, &c.Keyword)
		case "format":
			d.str(p.val, p.path, &c.Format)
		case "mentions":
			mp, _ := d.mapping(p.val, p.path, "a map with all:, mobiles:, user_ids:", mentionKeys)
			for _, q := range mp {
				if isNull(q.val) {
					continue
				}
				switch q.key.Value {
				case "all":
					d.boolean(q.val, q.path, &c.Mentions.All)
				case "mobiles":
					d.strings(q.val, q.path, &c.Mentions.Mobiles)
				case "user_ids":
					d.strings(q.val, q.path, &c.Mentions.UserIDs)
				}
			}
		case "body":
			d.str(p.val, p.path, &c.Body)
		case "headers":
			c.Headers = d.stringMap(p.val, p.path)
		case "drill":
			d.boolean(p.val, p.path, &c.Drill)
		case "public":
			d.boolean(p.val, p.path, &c.Public)
		case "timeout":
			d.duration(p.val, p.path, &c.Timeout)
		}
	}
	return c
}

func (d *decoder) template(n *yaml.Node, path string) Template {
	t := Template{Line: n.Line}
	for _, p := range d.item(n, path, "a map with name:, phase:, lang:, title:, text:", templateKeys) {
		switch p.key.Value {
		case "name":
			d.str(p.val, p.path, &t.Name)
		case "phase":
			d.str(p.val, p.path, &t.Phase)
		case "lang":
			d.str(p.val, p.path, &t.Lang)
		case "title":
			d.str(p.val, p.path, &t.Title)
		case "text":
			d.str(p.val, p.path, &t.Text)
		}
	}
	return t
}
