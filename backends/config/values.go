package config

import (
	"errors"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"warroom/backends/problems"
)

// scalar expands a value node's text and records its origin. ok is false
// when it reported a problem.
func (d *decoder) scalar(n *yaml.Node, path string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.Fail(n.Line, path, "want a single value, got %s", describe(n))
		return "", false
	}
	v, names, err := expand(n.Value, d.getenv)
	if err != nil {
		d.Fail(n.Line, path, "%v", err)
		return "", false
	}
	o := origin{line: n.Line, path: path, env: names, leaf: true}
	if len(names) > 0 {
		o.raw = n.Value
	}
	d.where[path] = o
	return v, true
}

// show quotes a value for a message, or names its variables if it is secret.
func (d *decoder) show(path, v string) string {
	if o, ok := d.where[path]; ok && len(o.env) > 0 {
		return fromEnv(o.env)
	}
	return problems.Quote(v)
}

func (d *decoder) line(path string) int { return d.where[path].line }

func (d *decoder) str(n *yaml.Node, path string, dst *string) bool {
	v, ok := d.scalar(n, path)
	if ok {
		*dst = v
	}
	return ok
}

func (d *decoder) integer(n *yaml.Node, path string, dst *int) bool {
	v, ok := d.scalar(n, path)
	if !ok {
		return false
	}
	i, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			d.Fail(d.line(path), path, "%s is too large", d.show(path, v))
		} else {
			d.Fail(d.line(path), path, "%s is not a whole number", d.show(path, v))
		}
		return false
	}
	*dst = i
	return true
}

func (d *decoder) float(n *yaml.Node, path string, dst *float64) bool {
	v, ok := d.scalar(n, path)
	if !ok {
		return false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		d.Fail(d.line(path), path, "%s is not a number (want e.g. 2.5)", d.show(path, v))
		return false
	}
	*dst = f
	return true
}

func (d *decoder) boolean(n *yaml.Node, path string, dst *bool) bool {
	v, ok := d.scalar(n, path)
	if !ok {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true":
		*dst = true
	case "false":
		*dst = false
	default:
		d.Fail(d.line(path), path, "%s is not true or false", d.show(path, v))
		return false
	}
	return true
}

func (d *decoder) duration(n *yaml.Node, path string, dst *time.Duration) bool {
	v, ok := d.scalar(n, path)
	if !ok {
		return false
	}
	t, err := ParseDuration(strings.TrimSpace(v))
	if err != nil {
		d.Fail(d.line(path), path, "%s is not a duration (want e.g. 15s, 1m)", d.show(path, v))
		return false
	}
	*dst = t
	return true
}

// ParseDuration is time.ParseDuration plus whole days ("14d"), which
// certificate and retention settings are usually thought of in.
func ParseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < -106751 || n > 106751 {
			return 0, errors.New("bad day count")
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// link parses a base URL. Scheme and host are checked with the other rules;
// here only the syntax. A secret's parse error is not shown: url's errors
// quote the text.
func (d *decoder) link(n *yaml.Node, path string, dst **url.URL) bool {
	v, ok := d.scalar(n, path)
	if !ok {
		return false
	}
	u, err := url.Parse(strings.TrimSpace(v))
	if err != nil {
		detail := ""
		var ue *url.Error
		if errors.As(err, &ue) && len(d.where[path].env) == 0 {
			detail = ": " + ue.Err.Error()
		}
		d.Fail(d.line(path), path, "%s is not a URL%s (want e.g. https://mirror.example.net/)", d.show(path, v), detail)
		return false
	}
	*dst = withSlash(u)
	return true
}

// withSlash makes the base path end in "/", so "debian" below it stays below it.
func withSlash(u *url.URL) *url.URL {
	if u == nil || strings.HasSuffix(u.Path, "/") || u.Opaque != "" {
		return u
	}
	c := *u
	c.Path += "/"
	if c.RawPath != "" {
		c.RawPath += "/"
	}
	return &c
}

// list returns the items of a list; a single value counts as a one-item list.
func (d *decoder) list(n *yaml.Node, path string) ([]*yaml.Node, bool) {
	switch n.Kind {
	case yaml.SequenceNode:
		d.where[path] = origin{line: n.Line, path: path, leaf: true}
		return d.Items(n, path)
	case yaml.ScalarNode:
		return []*yaml.Node{n}, true
	}
	d.Fail(n.Line, path, "want a list, got %s", describe(n))
	return nil, false
}

func (d *decoder) strings(n *yaml.Node, path string, dst *[]string) bool {
	items, ok := d.list(n, path)
	if !ok {
		return false
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		p := index(path, i)
		if n.Kind == yaml.ScalarNode {
			p = path
		}
		var s string
		if d.str(it, p, &s) {
			out = append(out, s)
		} else {
			ok = false
		}
	}
	*dst = out
	if !ok {
		d.bad[path] = true
	}
	return ok
}

func (d *decoder) ints(n *yaml.Node, path string, dst *[]int) bool {
	items, ok := d.list(n, path)
	if !ok {
		return false
	}
	out := make([]int, 0, len(items))
	for i, it := range items {
		p := index(path, i)
		if n.Kind == yaml.ScalarNode {
			p = path
		}
		var v int
		if d.integer(it, p, &v) {
			out = append(out, v)
		} else {
			ok = false
		}
	}
	*dst = out
	if !ok {
		d.bad[path] = true
	}
	return ok
}
