package actions

import (
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
)

// HAProxy admin state bits (include/haproxy/server-t.h). CMAINT (0x04,
// "disabled" in the config) and HMAINT (0x40) stay set on a server that is
// up, so they are not part of "in maintenance".
const (
	admFMaint = 0x01
	admMaint  = 0x23 // FMAINT | IMAINT | RMAINT
	admFDrain = 0x08
	admDrain  = 0x18 // FDRAIN | IDRAIN
	opRunning = 2
)

// runtimeAPI talks to one HAProxy runtime API socket: one command per
// connection, as HAProxy closes a non-interactive session after one reply.
type runtimeAPI struct{ address string }

// network is unix for a path (anything with a '/' or without a port), else tcp.
func (a runtimeAPI) network() string {
	if _, _, err := net.SplitHostPort(a.address); err != nil || strings.Contains(a.address, "/") {
		return "unix"
	}
	return "tcp"
}

// do sends one command and returns HAProxy's whole reply.
func (a runtimeAPI) do(ctx context.Context, cmd string) (string, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, a.network(), a.address)
	if err != nil {
		return "", ctxErr(ctx, fmt.Errorf("connect: %w (is HAProxy running with `stats socket %s level admin`?)", err, a.address))
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = c.Close() })
	defer stop()
	if _, err := io.WriteString(c, cmd+"\n"); err != nil {
		return "", ctxErr(ctx, fmt.Errorf("send %q: %w", cmd, err))
	}
	b, err := io.ReadAll(io.LimitReader(c, 4<<20))
	if err != nil {
		return "", ctxErr(ctx, fmt.Errorf("read reply to %q: %w", cmd, err))
	}
	return string(b), nil
}

// set runs a command that answers nothing on success; any text is HAProxy's
// error, returned verbatim (its first line: "Unknown command" lists help).
func (a runtimeAPI) set(ctx context.Context, cmd string) error {
	r, err := a.do(ctx, cmd)
	if err != nil {
		return err
	}
	if r = strings.TrimSpace(r); r != "" {
		first, _, _ := strings.Cut(r, "\n")
		return fmt.Errorf("%s: HAProxy answered %q", cmd, first)
	}
	return nil
}

// srvState is one line of `show servers state`.
type srvState struct {
	Backend, Name, Addr string
	Op, Admin           int
	UWeight, IWeight    int
}

func (s srvState) maint() bool { return s.Admin&admMaint != 0 }
func (s srvState) drain() bool { return s.Admin&admDrain != 0 }
func (s srvState) ready() bool { return !s.maint() && !s.drain() }

// label is how read-back evidence names the state.
func (s srvState) label(weights bool) string {
	l := "READY"
	switch {
	case s.maint():
		l = "MAINT"
	case s.drain():
		l = "DRAIN"
	case s.Op != opRunning:
		l = "READY (down)"
	}
	if weights {
		l += " weight " + strconv.Itoa(s.UWeight)
	}
	return l
}

// servers reads `show servers state <backend>`.
func (a runtimeAPI) servers(ctx context.Context, backend string) ([]srvState, error) {
	cmd := "show servers state " + backend
	r, err := a.do(ctx, cmd)
	if err != nil {
		return nil, err
	}
	s, err := parseServersState(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cmd, err)
	}
	return s, nil
}

// parseServersState parses format version 1: a version line, a "# " header
// naming the columns, then one line per server.
func parseServersState(reply string) ([]srvState, error) {
	lines := strings.Split(strings.TrimRight(reply, "\n"), "\n")
	if strings.TrimSpace(lines[0]) != "1" {
		first := strings.TrimSpace(lines[0])
		if first == "" {
			return nil, fmt.Errorf("HAProxy answered nothing")
		}
		return nil, fmt.Errorf("HAProxy answered %q", first)
	}
	if len(lines) < 2 || !strings.HasPrefix(lines[1], "# ") {
		return nil, fmt.Errorf("no header line after the version: not HAProxy's servers state format")
	}
	col := map[string]int{}
	for i, name := range strings.Fields(lines[1][2:]) {
		col[name] = i
	}
	need := []string{"be_name", "srv_name", "srv_addr", "srv_op_state", "srv_admin_state", "srv_uweight", "srv_iweight"}
	for _, n := range need {
		if _, ok := col[n]; !ok {
			return nil, fmt.Errorf("header lacks column %s", n)
		}
	}
	var out []srvState
	for i, l := range lines[2:] {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Fields(l)
		num := func(name string) (int, error) {
			j := col[name]
			if j >= len(f) {
				return 0, fmt.Errorf("line %d: no %s column", i+3, name)
			}
			n, err := strconv.Atoi(f[j])
			if err != nil {
				return 0, fmt.Errorf("line %d: %s %q is not a number", i+3, name, f[j])
			}
			return n, nil
		}
		var s srvState
		var err error
		if col["srv_iweight"] >= len(f) || col["srv_name"] >= len(f) {
			return nil, fmt.Errorf("line %d: %d columns, header has %d", i+3, len(f), len(col))
		}
		s.Backend, s.Name, s.Addr = f[col["be_name"]], f[col["srv_name"]], f[col["srv_addr"]]
		for _, p := range []struct {
			name string
			dst  *int
		}{{"srv_op_state", &s.Op}, {"srv_admin_state", &s.Admin}, {"srv_uweight", &s.UWeight}, {"srv_iweight", &s.IWeight}} {
			if *p.dst, err = num(p.name); err != nil {
				return nil, err
			}
		}
		out = append(out, s)
	}
	return out, nil
}
