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
	rollbackKeys = []string{"name", "executor", "instances", "batches", "mirrors"}
	ruleKeys     = []string{"name", "when", "for", "above", "propose", "target", "auto"}
)

func (d *decoder) actions(n *yaml.Node, path string, a *Actions) {
	pairs, _ := d.mapping(n, path, "a map with executors:, failover:, rollback:, rules:", actionsKeys)
	for _, p := range pairs {
		if isNull(p.val) {
			continue
		}
		switch p.key.Value {
		case "readonly":
			d.boolean(p.val, p.path, &a.ReadOnly)
		case "confirm":
			d.str(p.val, p.path, &a.Confirm)
		case "timeout":
			d.duration(p.val, p.path, &a.Timeout)
		case "executors":
			d.each(p.val, p.path, "executors", func(it *yaml.Node, at string) {
				a.Executors = append(a.Executors, d.executor(it, at))
			})
		case "failover":
			d.str(p.val, p.path, &a.Failover)
		case "rollback":
			d.each(p.val, p.path, "rollback targets", func(it *yaml.Node, at string) {
				a.Rollback = append(a.Rollback, d.rollbackTarget(it, at))
			})
		case "rules":
			d.each(p.val, p.path, "rules", func(it *yaml.Node, at string) {
				a.Rules = append(a.Rules, d.rule(it, at))
			})
		case "approvals":
			a.Approvals = d.approvals(p.val, p.path)
		case "approval_expiry":
			d.duration(p.val, p.path, &a.ApprovalExpiry)
		case "pen":
			d.boolean(p.val, p.path, &a.Pen)
		case "failback_settle":
			d.duration(p.val, p.path, &a.FailbackSettle)
		}
	}
}

// each decodes a list of maps, one call per item with its path.
func (d *decoder) each(n *yaml.Node, path, what string, fn func(it *yaml.Node, at string)) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n.Line, path, "want a list of %s (each starting with \"- name:\"), got %s", what, describe(n))
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
		switch p.key.Value {
		case "name":
			d.str(p.val, p.path, &e.Name)
		case "timeout":
			d.duration(p.val, p.path, &e.Timeout)
		case "haproxy":
			e.HAProxy = &HAProxyExecutor{}
			d.haproxy(p.val, p.path, e.HAProxy)
		case "dns":
			e.DNS = &DNSExecutor{}
			d.dns(p.val, p.path, e.DNS)
		case "exec":
			e.Exec = &ExecExecutor{}
			d.execExecutor(p.val, p.path, e.Exec)
		case "http":
			e.HTTP = &HTTPExecutor{}
			d.httpExecutor(p.val, p.path, e.HTTP)
		}
	}
	return e
}

func (d *decoder) haproxy(n *yaml.Node, path string, h *HAProxyExecutor) {
	pairs, _ := d.mapping(n, path, "a map with address:, backend:, servers:, mode:", haproxyKeys)
	for _, p := range pairs {
		if isNull(p.val) {
			continue
		}
		switch p.key.Value {
		case "address":
			d.str(p.val, p.path, &h.Address)
		case "backend":
			d.str(p.val, p.path, &h.Backend)
		case "servers":
			h.Servers = d.stringMap(p.val, p.path)
		case "mode":
			d.str(p.val, p.path, &h.Mode)
		}
	}
}

func (d *decoder) dns(n *yaml.Node, path string, x *DNSExecutor) {
	pairs, _ := d.mapping(n, path, "a map with server:, zone:, record:, …", dnsKeys)
	for _, p := range pairs {
		if isNull(p.val) {
			continue
		}
		switch p.key.Value {
		case "server":
			d.str(p.val, p.path, &x.Server)
		case "zone":
			d.str(p.val, p.path, &x.Zone)
		case "record":
			d.str(p.val, p.path, &x.Record)
		case "type":
			if d.str(p.val, p.path, &x.Type) {
				x.Type = strings.ToUpper(strings.TrimSpace(x.Type))
			}
		case "ttl":
			d.integer(p.val, p.path, &x.TTL)
		case "values":
			x.Values = d.stringMap(p.val, p.path)
		case "tsig":
			x.TSIG = &TSIG{}
			tp, _ := d.mapping(p.val, p.path, "a map with name:, algorithm:, secret:", tsigKeys)
			for _, q := range tp {
				if isNull(q.val) {
					continue
				}
				switch q.key.Value {
				case "name":
					d.str(q.val, q.path, &x.TSIG.Name)
				case "algorithm":
					d.str(q.val, q.path, &x.TSIG.Algorithm)
				case "secret":
					d.str(q.val, q.path, &x.TSIG.Secret)
				}
			}
		}
	}
}

func (d *decoder) execExecutor(n *yaml.Node, path string, x *ExecExecutor) {
	pairs, _ := d.mapping(n, path, "a map with command: [argv…], list:, verify:, env:, dir:", execKeys)
	for _, p := range pairs {
		if isNull(p.val) {
			continue
		}
		switch p.key.Value {
		case "command":
			d.strings(p.val, p.path, &x.Command)
		case "list":
			d.strings(p.val, p.path, &x.List)
		case "verify":
			d.strings(p.val, p.path, &x.Verify)
		case "env":
			x.Env = d.stringMap(p.val, p.path)
		case "dir":
			d.str(p.val, p.path, &x.Dir)
		}
	}
}

func (d *decoder) httpExecutor(n *yaml.Node, path string, x *HTTPExecutor) {
	pairs, _ := d.mapping(n, path, "a map with method:, url:, headers:, body:, …", httpKeys)
	for _, p := range pairs {
		if isNull(p.val) {
			continue
		}
		switch p.key.Value {
		case "method":
			if d.str(p.val, p.path, &x.Method) {
				x.Method = strings.ToUpper(strings.TrimSpace(x.Method))
			}
		case "url":
			d.str(p.val, p.path, &x.URL)
		case "headers":
			x.Headers = d.stringMap(p.val, p.path)
		case "body":
			d.str(p.val, p.path, &x.Body)
		case "expect_status":
			d.ints(p.val, p.path, &x.ExpectStatus)
		case "list":
			d.str(p.val, p.path, &x.List)
		}
	}
}

func (d *decoder) rollbackTarget(n *yaml.Node, path string) RollbackTarget {
	t := RollbackTarget{Line: n.Line}
	for _, p := range d.item(n, path, "a map with name:, executor:, instances:, batches:, mirrors:", rollbackKeys) {
		switch p.key.Value {
		case "name":
			d.str(p.val, p.path, &t.Name)
		case "executor":
			d.str(p.val, p.path, &t.Executor)
		case "instances":
			d.strings(p.val, p.path, &t.Instances)
		case "batches":
			d.ints(p.val, p.path, &t.Batches)
		case "mirrors":
			d.strings(p.val, p.path, &t.Mirrors)
		}
	}
	return t
}

func (d *decoder) rule(n *yaml.Node, path string) Rule {
	r := Rule{Line: n.Line}
	for _, p := range d.item(n, path, "a map with name:, when:, for:, propose:, …", ruleKeys) {
		switch p.key.Value {
		case "name":
			d.str(p.val, p.path, &r.Name)
		case "when":
			d.str(p.val, p.path, &r.When)
		case "for":
			d.duration(p.val, p.path, &r.For)
		case "above":
			d.float(p.val, p.path, &r.Above)
		case "propose":
			d.str(p.val, p.path, &r.Propose)
		case "target":
			d.str(p.val, p.path, &r.Target)
		case "auto":
			d.boolean(p.val, p.path, &r.Auto)
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
		if !isNull(p.val) && d.str(p.val, p.path, &v) {
			out[p.key.Value] = v
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
		if !isNull(p.val) && d.ints(p.val, p.path, &levels) {
			out[p.key.Value] = levels
		}
	}
	return out
}
