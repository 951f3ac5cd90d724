package config

import (
	"strings"

	"gopkg.in/yaml.v3"
)

var (
	actionsKeys  = []string{"readonly", "confirm", "timeout", "executors", "failover", "rollback", "rules", "approvals", "approval_expiry", "pen", "failback_settle"}
	executorKeys = []string{"name", "timeout", "haproxy", "dns", "exec", "http"}
	haproxyKeys  = []string{"address", "backend", "servers", "mode"}
	dnsKeys      = []string{"server", "zone", "record", "type", "ttl", "values", "tsig"}
	tsigKeys     = []string{"name", "algorithm", "secret"}
	execKeys     = []string{"command", "list", "verify", "env", "dir"}
	httpKeys     = []string{"method", "url", "headers", "body", "expect_status", "list"}
	rollbackKeys = []string{"name", "executor", "instances", "batches", "mirrors", "soak"}
	ruleKeys     = []string{"name", "when", "for", "above", "propose", "target", "auto"}
)

func (d *decoder) actions(n *yaml.Node, path string, a *Actions) {
	pairs, _ := d.mapping(n, path, "a map with executors:, failover:, rollback:, rules:", actionsKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "readonly":
			d.boolean(p.Val, p.Path, &a.ReadOnly)
		case "confirm":
			d.str(p.Val, p.Path, &a.Confirm)
		case "timeout":
			d.duration(p.Val, p.Path, &a.Timeout)
		case "executors":
			d.each(p.Val, p.Path, "executors", func(it *yaml.Node, at string) {
				a.Executors = append(a.Executors, d.executor(it, at))
			})
		case "failover":
			d.str(p.Val, p.Path, &a.Failover)
		case "rollback":
			d.each(p.Val, p.Path, "rollback targets", func(it *yaml.Node, at string) {
				a.Rollback = append(a.Rollback, d.rollbackTarget(it, at))
			})
		case "rules":
			d.each(p.Val, p.Path, "rules", func(it *yaml.Node, at string) {
				a.Rules = append(a.Rules, d.rule(it, at))
			})
		case "approvals":
			a.Approvals = d.approvals(p.Val, p.Path)
		case "approval_expiry":
			d.duration(p.Val, p.Path, &a.ApprovalExpiry)
		case "pen":
			d.boolean(p.Val, p.Path, &a.Pen)
		case "failback_settle":
			d.duration(p.Val, p.Path, &a.FailbackSettle)
		}
	}
}

// each decodes a list of maps, one call per item with its path.
func (d *decoder) each(n *yaml.Node, path, what string, fn func(it *yaml.Node, at string)) {
	if n.Kind != yaml.SequenceNode {
		d.Fail(n.Line, path, "want a list of %s (each starting with \"- name:\"), got %s", what, describe(n))
		return
	}
	keyLine := d.where[path]
	items, ok := d.list(n, path)
	d.where[path] = keyLine
	if !ok {
		return
	}
	for i, it := range items {
		fn(it, index(path, i))
	}
}

func (d *decoder) executor(n *yaml.Node, path string) Executor {
	e := Executor{Line: n.Line}
	for _, p := range d.item(n, path, "a map with name: and one of haproxy:, dns:, exec:, http:", executorKeys) {
		switch p.Key.Value {
		case "name":
			d.str(p.Val, p.Path, &e.Name)
		case "timeout":
			d.duration(p.Val, p.Path, &e.Timeout)
		case "haproxy":
			e.HAProxy = &HAProxyExecutor{}
			d.haproxy(p.Val, p.Path, e.HAProxy)
		case "dns":
			e.DNS = &DNSExecutor{}
			d.dns(p.Val, p.Path, e.DNS)
		case "exec":
			e.Exec = &ExecExecutor{}
			d.execExecutor(p.Val, p.Path, e.Exec)
		case "http":
			e.HTTP = &HTTPExecutor{}
			d.httpExecutor(p.Val, p.Path, e.HTTP)
		}
	}
	return e
}

func (d *decoder) haproxy(n *yaml.Node, path string, h *HAProxyExecutor) {
	pairs, _ := d.mapping(n, path, "a map with address:, backend:, servers:, mode:", haproxyKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "address":
			d.str(p.Val, p.Path, &h.Address)
		case "backend":
			d.str(p.Val, p.Path, &h.Backend)
		case "servers":
			h.Servers = d.stringMap(p.Val, p.Path)
		case "mode":
			d.str(p.Val, p.Path, &h.Mode)
		}
	}
}

func (d *decoder) dns(n *yaml.Node, path string, x *DNSExecutor) {
	pairs, _ := d.mapping(n, path, "a map with server:, zone:, record:, …", dnsKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "server":
			d.str(p.Val, p.Path, &x.Server)
		case "zone":
			d.str(p.Val, p.Path, &x.Zone)
		case "record":
			d.str(p.Val, p.Path, &x.Record)
		case "type":
			if d.str(p.Val, p.Path, &x.Type) {
				x.Type = strings.ToUpper(strings.TrimSpace(x.Type))
			}
		case "ttl":
			d.integer(p.Val, p.Path, &x.TTL)
		case "values":
			x.Values = d.stringMap(p.Val, p.Path)
		case "tsig":
			x.TSIG = &TSIG{}
			tp, _ := d.mapping(p.Val, p.Path, "a map with name:, algorithm:, secret:", tsigKeys)
			for _, q := range tp {
				if isNull(q.Val) {
					continue
				}
				switch q.Key.Value {
				case "name":
					d.str(q.Val, q.Path, &x.TSIG.Name)
				case "algorithm":
					d.str(q.Val, q.Path, &x.TSIG.Algorithm)
				case "secret":
					d.str(q.Val, q.Path, &x.TSIG.Secret)
				}
			}
		}
	}
}

func (d *decoder) execExecutor(n *yaml.Node, path string, x *ExecExecutor) {
	pairs, _ := d.mapping(n, path, "a map with command: [argv…], list:, verify:, env:, dir:", execKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "command":
			d.strings(p.Val, p.Path, &x.Command)
		case "list":
			d.strings(p.Val, p.Path, &x.List)
		case "verify":
			d.strings(p.Val, p.Path, &x.Verify)
		case "env":
			x.Env = d.stringMap(p.Val, p.Path)
		case "dir":
			d.str(p.Val, p.Path, &x.Dir)
		}
	}
}

func (d *decoder) httpExecutor(n *yaml.Node, path string, x *HTTPExecutor) {
	pairs, _ := d.mapping(n, path, "a map with method:, url:, headers:, body:, …", httpKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "method":
			if d.str(p.Val, p.Path, &x.Method) {
				x.Method = strings.ToUpper(strings.TrimSpace(x.Method))
			}
		case "url":
			d.str(p.Val, p.Path, &x.URL)
		case "headers":
			x.Headers = d.stringMap(p.Val, p.Path)
		case "body":
			d.str(p.Val, p.Path, &x.Body)
		case "expect_status":
			d.ints(p.Val, p.Path, &x.ExpectStatus)
		case "list":
			d.str(p.Val, p.Path, &x.List)
		}
	}
}

func (d *decoder) rollbackTarget(n *yaml.Node, path string) RollbackTarget {
	t := RollbackTarget{Line: n.Line}
	for _, p := range d.item(n, path, "a map with name:, executor:, instances:, batches:, mirrors:, soak:", rollbackKeys) {
		switch p.Key.Value {
		case "name":
			d.str(p.Val, p.Path, &t.Name)
		case "executor":
			d.str(p.Val, p.Path, &t.Executor)
		case "instances":
			d.strings(p.Val, p.Path, &t.Instances)
		case "batches":
			d.ints(p.Val, p.Path, &t.Batches)
		case "mirrors":
			d.strings(p.Val, p.Path, &t.Mirrors)
		case "soak":
			d.duration(p.Val, p.Path, &t.Soak)
		}
	}
	return t
}

func (d *decoder) rule(n *yaml.Node, path string) Rule {
	r := Rule{Line: n.Line}
	for _, p := range d.item(n, path, "a map with name:, when:, for:, propose:, …", ruleKeys) {
		switch p.Key.Value {
		case "name":
			d.str(p.Val, p.Path, &r.Name)
		case "when":
			d.str(p.Val, p.Path, &r.When)
		case "for":
			d.duration(p.Val, p.Path, &r.For)
		case "above":
			d.float(p.Val, p.Path, &r.Above)
		case "propose":
			d.str(p.Val, p.Path, &r.Propose)
		case "target":
			d.str(p.Val, p.Path, &r.Target)
		case "auto":
			d.boolean(p.Val, p.Path, &r.Auto)
		}
	}
	return r
}

// stringMap reads a map of names to single values.
func (d *decoder) stringMap(n *yaml.Node, path string) map[string]string {
	pairs, ok := d.mapping(n, path, "a map of name: value", nil)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(pairs))
	for _, p := range pairs {
		var v string
		if !isNull(p.Val) && d.str(p.Val, p.Path, &v) {
			out[p.Key.Value] = v
		}
	}
	return out
}

// approvals reads "action: [levels]" pairs.
func (d *decoder) approvals(n *yaml.Node, path string) map[string][]int {
	pairs, _ := d.mapping(n, path, "a map of action to incident levels, e.g. failover: [2, 3]", []string{"failover", "failback", "rollback"})
	out := map[string][]int{}
	for _, p := range pairs {
		var levels []int
		if !isNull(p.Val) && d.ints(p.Val, p.Path, &levels) {
			out[p.Key.Value] = levels
		}
	}
	return out
}
