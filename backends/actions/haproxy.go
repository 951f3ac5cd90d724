package actions

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"warroom/backends/config"
)

// Switching modes of the haproxy executor.
const (
	modeState  = "state"
	modeDrain  = "drain"
	modeWeight = "weight"
)

// haproxyExec moves traffic between the servers of one HAProxy backend.
type haproxyExec struct {
	name    string
	api     runtimeAPI
	backend string
	mode    string
	servers map[string]string // mirror → server, explicit
	known   map[string]bool   // mirror names from the config; nil = any name
	mask    func(string) string
}

func newHAProxy(name string, c config.HAProxyExecutor, mirrors map[string]config.Mirror, mask func(string) string) (*haproxyExec, error) {
	h := &haproxyExec{name: name, api: runtimeAPI{c.Address}, backend: c.Backend, mode: c.Mode, servers: c.Servers, mask: mask}
	if h.mode == "" {
		h.mode = modeState
	}
	switch {
	case c.Address == "":
		return nil, h.errorf("address is empty: want a unix socket path or host:port of `stats socket ... level admin`")
	case c.Backend == "":
		return nil, h.errorf("backend is empty: want the backend whose servers are the mirrors")
	case h.mode != modeState && h.mode != modeDrain && h.mode != modeWeight:
		return nil, h.errorf("mode %q: want state, drain or weight", c.Mode)
	}
	if mirrors != nil {
		h.known = map[string]bool{}
		for m := range mirrors {
			h.known[m] = true
		}
	}
	for m, s := range c.Servers {
		if s == "" || strings.ContainsAny(s, " /;") {
			return nil, h.errorf("servers[%q] = %q: want a server name without spaces, '/' or ';'", m, s)
		}
	}
	return h, nil
}

func (h *haproxyExec) Name() string { return h.name }
func (h *haproxyExec) Kind() string { return "haproxy" }

func (h *haproxyExec) errorf(format string, args ...any) error {
	return errorf("haproxy", h.name, h.mask, format, args...)
}

// server maps a mirror name to its server name in the backend.
func (h *haproxyExec) server(mirror string) (string, error) {
	if s, ok := h.servers[mirror]; ok {
		return s, nil
	}
	if h.known != nil && !h.known[mirror] {
		return "", h.errorf("mirror %q is not in the config: add it to mirrors or to servers", mirror)
	}
	if strings.ContainsAny(mirror, " /;") {
		return "", h.errorf("mirror %q is no valid server name: map it in servers", mirror)
	}
	return mirror, nil
}

// mirror maps a server name back to its mirror; unknown servers keep their name.
func (h *haproxyExec) mirror(server string) string {
	for m, s := range h.servers {
		if s == server {
			return m
		}
	}
	return server
}

type haproxySteps struct{ to, from, set []string }

func (h *haproxyExec) steps(op Op) (st haproxySteps, err error) {
	if err := checkOp(op, false); err != nil {
		return st, h.errorf("%v", err)
	}
	to, err := h.server(op.To)
	if err != nil {
		return st, err
	}
	from, err := h.server(op.From)
	if err != nil {
		return st, err
	}
	st.to, st.from = []string{op.To, to}, []string{op.From, from}
	up, down := "state ready", "state maint"
	switch h.mode {
	case modeDrain:
		down = "state drain"
	case modeWeight:
		up, down = "weight 100", "weight 0"
	}
	st.set = []string{
		fmt.Sprintf("set server %s/%s %s", h.backend, to, up),
		fmt.Sprintf("set server %s/%s %s", h.backend, from, down),
	}
	return st, nil
}

func (h *haproxyExec) want() (up, down string) {
	switch h.mode {
	case modeDrain:
		return "READY", "DRAIN"
	case modeWeight:
		return "weight 100", "weight 0"
	}
	return "READY", "MAINT"
}

func (h *haproxyExec) Plan(op Op) ([]string, error) {
	st, err := h.steps(op)
	if err != nil {
		return nil, err
	}
	up, down := h.want()
	p := "haproxy " + h.api.address + ": "
	return []string{
		h.mask(fmt.Sprintf("%sshow servers state %s (want %s, else change nothing)", p, h.backend, h.premise(st))),
		h.mask(p + st.set[0]),
		h.mask(p + st.set[1]),
		h.mask(fmt.Sprintf("%sshow servers state %s (confirm %s %s, %s %s)", p, h.backend, st.to[1], up, st.from[1], down)),
	}, nil
}

func (h *haproxyExec) Run(ctx context.Context, op Op, out func(string)) (string, error) {
	st, err := h.steps(op)
	if err != nil {
		return "", err
	}
	p := "haproxy " + h.api.address + ": "
	out(h.mask(fmt.Sprintf("%sshow servers state %s (want %s)", p, h.backend, h.premise(st))))
	if err := h.precheck(ctx, st); err != nil {
		return "", err
	}
	for i, cmd := range st.set {
		out(h.mask(p + cmd))
		if err := h.api.set(ctx, cmd); err != nil {
			if i == 1 {
				return "", h.errorf("%v (%s was already switched on: both may take traffic now)", err, st.to[1])
			}
			return "", h.errorf("%v", err)
		}
	}
	out(h.mask(p + "show servers state " + h.backend))
	var last []srvState
	err = poll(ctx, func() (bool, error) {
		s, err := h.api.servers(ctx, h.backend)
		if err != nil {
			return false, err
		}
		last = s
		return h.switched(s, st.to[1], st.from[1])
	})
	evidence := h.evidence(last)
	if err != nil {
		if errors.Is(err, errNotConfirmed) || ctx.Err() != nil {
			u, d := h.want()
			return evidence, h.errorf("read back: want %s %s and %s %s, have %s: %w", st.to[1], u, st.from[1], d, evidence, ctxErr(ctx, err))
		}
		return evidence, h.errorf("read back: %v", ctxErr(ctx, err))
	}
	out(h.mask(evidence))
	return evidence, nil
}

// switched says whether the backend shows the wanted states; a server
// missing from it is an error, not something to wait for.
func (h *haproxyExec) switched(s []srvState, to, from string) (bool, error) {
	var t, f *srvState
	for i := range s {
		switch s[i].Name {
		case to:
			t = &s[i]
		case from:
			f = &s[i]
		}
	}
	if t == nil || f == nil {
		missing := to
		if t != nil {
			missing = from
		}
		return false, fmt.Errorf("server %q is not in backend %q", missing, h.backend)
	}
	switch h.mode {
	case modeWeight:
		return t.UWeight == 100 && t.Op == opRunning && f.UWeight == 0, nil
	case modeDrain:
		return t.ready() && t.Op == opRunning && f.Admin&admFDrain != 0 && !f.maint(), nil
	}
	return t.ready() && t.Op == opRunning && f.Admin&admFMaint != 0, nil
}

// evidence describes every server of the backend, e.g.
// "backend mirrors: osaka READY, tokyo MAINT".
func (h *haproxyExec) evidence(s []srvState) string {
	if s == nil {
		return ""
	}
	parts := make([]string, len(s))
	for i, x := range s {
		parts[i] = x.Name + " " + x.label(h.mode == modeWeight)
	}
	return "backend " + h.backend + ": " + strings.Join(parts, ", ")
}

// Active lists the mirrors whose servers are ready with a weight above 0.
func (h *haproxyExec) Active(ctx context.Context) ([]string, error) {
	s, err := h.api.servers(ctx, h.backend)
	if err != nil {
		return nil, h.errorf("%v", err)
	}
	var out []string
	for _, x := range s {
		if x.ready() && x.UWeight > 0 {
			out = append(out, h.mirror(x.Name))
		}
	}
	return out, nil
}

// Check asks for the session's level (set server needs admin) and reads the
// backend: it must exist and hold every mapped server.
func (h *haproxyExec) Check(ctx context.Context) error {
	lvl, err := h.api.do(ctx, "show cli level")
	if err != nil {
		return h.errorf("address %s: %v", h.api.address, err)
	}
	if l := strings.TrimSpace(lvl); l != "admin" {
		first, _, _ := strings.Cut(l, "\n")
		return h.errorf("address %s: the socket's level is %q: want `level admin` on the stats socket line", h.api.address, first)
	}
	s, err := h.api.servers(ctx, h.backend)
	if err != nil {
		return h.errorf("backend %q: %v", h.backend, err)
	}
	return h.match(s)
}

// match pairs the backend's servers with the mirrors: a mirror without a
// server cannot be failed over to (a renamed mirror), and a server without
// a mirror takes traffic nobody watches. Each is named.
func (h *haproxyExec) match(s []srvState) error {
	have := map[string]bool{}
	var names []string
	for _, x := range s {
		have[x.Name] = true
		names = append(names, x.Name)
	}
	it := fmt.Sprintf("(it has %s)", strings.Join(names, ", "))
	var errs []error
	for _, m := range slices.Sorted(maps.Keys(h.servers)) {
		if !have[h.servers[m]] {
			errs = append(errs, h.errorf("servers[%q] = %q: no such server in backend %q %s", m, h.servers[m], h.backend, it))
		}
	}
	claimed := map[string]bool{}
	for _, srv := range h.servers {
		claimed[srv] = true
	}
	for _, m := range slices.Sorted(maps.Keys(h.known)) {
		if _, mapped := h.servers[m]; mapped {
			continue
		}
		claimed[m] = true
		if !have[m] {
			errs = append(errs, h.errorf("mirror %q has no server in backend %q %s: name the server like the mirror, or map it in servers", m, h.backend, it))
		}
	}
	if h.known != nil {
		for _, n := range names {
			if !claimed[n] {
				errs = append(errs, h.errorf("server %q of backend %q is no mirror: add it to mirrors (or map a mirror to it in servers) so its traffic is watched", n, h.backend))
			}
		}
	}
	return errors.Join(errs...)
}
