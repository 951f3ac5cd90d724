package config

import (
	"gopkg.in/yaml.v3"
	"maps"
	"slices"
)

// actions writes the actions: section: its settings always, executors,
// rollback targets, rules and approvals when there are any.
func (w writer) actions(a *Actions) *yaml.Node {
	const p = "actions"
	n := w.m(
		"readonly", w.b(join(p, "readonly"), a.ReadOnly),
		"confirm", w.s(join(p, "confirm"), a.Confirm),
		"timeout", w.d(join(p, "timeout"), a.Timeout),
	)
	w.add(n, p, "executors", len(a.Executors) > 0, items(join(p, "executors"), a.Executors, w.executor))
	w.add(n, p, "failover", a.Failover != "", w.s(join(p, "failover"), a.Failover))
	w.add(n, p, "rollback", len(a.Rollback) > 0, items(join(p, "rollback"), a.Rollback, w.rollbackTarget))
	w.add(n, p, "rules", len(a.Rules) > 0, items(join(p, "rules"), a.Rules, w.rule))
	approvals := w.m()
	for _, action := range slices.Sorted(maps.Keys(a.Approvals)) {
		approvals.Content = append(approvals.Content,
			w.key(action), w.ints(join(join(p, "approvals"), action), a.Approvals[action]))
	}
	w.add(n, p, "approvals", len(a.Approvals) > 0, approvals)
	n.Content = append(n.Content,
		w.key("approval_expiry"), w.d(join(p, "approval_expiry"), a.ApprovalExpiry),
		w.key("pen"), w.b(join(p, "pen"), a.Pen),
		w.key("failback_settle"), w.d(join(p, "failback_settle"), a.FailbackSettle))
	return n
}

// executor writes one executor with its kind's map. A valid executor has
// exactly one kind; every kind that is set is written, so an invalid one
// built in Go reads back as invalid in the same way.
func (w writer) executor(e *Executor, p string) *yaml.Node {
	n := w.m(
		"name", w.s(join(p, "name"), e.Name),
		"timeout", w.d(join(p, "timeout"), e.Timeout),
	)
	if x := e.HAProxy; x != nil {
		hp := join(p, "haproxy")
		h := w.m("address", w.s(join(hp, "address"), x.Address), "backend", w.s(join(hp, "backend"), x.Backend))
		w.add(h, hp, "servers", len(x.Servers) > 0, w.strMap(join(hp, "servers"), x.Servers))
		h.Content = append(h.Content, w.key("mode"), w.s(join(hp, "mode"), x.Mode))
		n.Content = append(n.Content, w.key("haproxy"), h)
	}
	if x := e.DNS; x != nil {
		dp := join(p, "dns")
		d := w.m(
			"server", w.s(join(dp, "server"), x.Server),
			"zone", w.s(join(dp, "zone"), x.Zone),
			"record", w.s(join(dp, "record"), x.Record),
			"type", w.s(join(dp, "type"), x.Type),
			"ttl", w.i(join(dp, "ttl"), x.TTL),
		)
		w.add(d, dp, "values", len(x.Values) > 0, w.strMap(join(dp, "values"), x.Values))
		if t := x.TSIG; t != nil {
			tp := join(dp, "tsig")
			d.Content = append(d.Content, w.key("tsig"), w.m(
				"name", w.s(join(tp, "name"), t.Name),
				"algorithm", w.s(join(tp, "algorithm"), t.Algorithm),
				"secret", w.s(join(tp, "secret"), t.Secret),
			))
		}
		n.Content = append(n.Content, w.key("dns"), d)
	}
	if x := e.Exec; x != nil {
		ep := join(p, "exec")
		ex := w.m("command", w.strs(join(ep, "command"), x.Command, true))
		w.add(ex, ep, "list", len(x.List) > 0, w.strs(join(ep, "list"), x.List, true))
		w.add(ex, ep, "verify", len(x.Verify) > 0, w.strs(join(ep, "verify"), x.Verify, true))
		w.add(ex, ep, "env", len(x.Env) > 0, w.strMap(join(ep, "env"), x.Env))
		w.add(ex, ep, "dir", x.Dir != "", w.s(join(ep, "dir"), x.Dir))
		n.Content = append(n.Content, w.key("exec"), ex)
	}
	if x := e.HTTP; x != nil {
		hp := join(p, "http")
		h := w.m("method", w.s(join(hp, "method"), x.Method), "url", w.s(join(hp, "url"), x.URL))
		w.add(h, hp, "headers", len(x.Headers) > 0, w.strMap(join(hp, "headers"), x.Headers))
		w.add(h, hp, "body", x.Body != "", w.s(join(hp, "body"), x.Body))
		h.Content = append(h.Content, w.key("expect_status"), w.ints(join(hp, "expect_status"), x.ExpectStatus))
		w.add(h, hp, "list", x.List != "", w.s(join(hp, "list"), x.List))
		n.Content = append(n.Content, w.key("http"), h)
	}
	return n
}

func (w writer) rollbackTarget(t *RollbackTarget, p string) *yaml.Node {
	n := w.m(
		"name", w.s(join(p, "name"), t.Name),
		"executor", w.s(join(p, "executor"), t.Executor),
	)
	w.add(n, p, "instances", len(t.Instances) > 0, w.strs(join(p, "instances"), t.Instances, true))
	w.add(n, p, "batches", len(t.Batches) > 0, w.ints(join(p, "batches"), t.Batches))
	w.add(n, p, "mirrors", len(t.Mirrors) > 0, w.strs(join(p, "mirrors"), t.Mirrors, true))
	w.add(n, p, "soak", t.Soak != 0, w.d(join(p, "soak"), t.Soak))
	return n
}

func (w writer) rule(r *Rule, p string) *yaml.Node {
	n := w.m(
		"name", w.s(join(p, "name"), r.Name),
		"when", w.s(join(p, "when"), r.When),
		"for", w.d(join(p, "for"), r.For),
	)
	w.add(n, p, "above", r.Above != 0, w.f(join(p, "above"), r.Above))
	n.Content = append(n.Content, w.key("propose"), w.s(join(p, "propose"), r.Propose))
	w.add(n, p, "target", r.Target != "", w.s(join(p, "target"), r.Target))
	w.add(n, p, "auto", r.Auto, w.b(join(p, "auto"), r.Auto))
	return n
}
