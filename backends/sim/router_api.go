package sim

import (
	"bufio"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// The runtime API, as HAProxy 2.6 answers it: every reply is a message
// followed by "\n" (so success is a lone "\n"); one command line per
// connection (commands may be joined with ';'), then the connection closes.

const helpLines = "" +
	"  set server <bk>/<srv> [opts]            : change a server's state, weight, address or ssl\n" +
	"  show cli level                          : display the level of the current CLI session\n" +
	"  show servers state [<backend>]          : dump volatile server information (all or for a single backend)\n" +
	"  show stat [desc|json|no-maint|typed|up]*: report counters for each proxy and server\n" +
	"  help [<command>]                        : list matching or all commands\n" +
	"  prompt                                  : toggle interactive mode with prompt\n" +
	"  quit                                    : disconnect\n"

const serversStateHeader = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n"

func (r *Router) serveAPI(c net.Conn) {
	defer r.wg.Done()
	defer func() {
		r.mu.Lock()
		delete(r.conns, c)
		r.mu.Unlock()
		_ = c.Close()
	}()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReaderSize(c, 16<<10).ReadString('\n')
	if err != nil && line == "" {
		return
	}
	var out strings.Builder
	for _, cmd := range strings.Split(strings.TrimRight(line, "\r\n"), ";") {
		out.WriteString(r.command(strings.Fields(cmd)))
		out.WriteString("\n")
	}
	_, _ = c.Write([]byte(out.String()))
}

// command answers one command without the final "\n".
func (r *Router) command(a []string) string {
	arg := func(i int) string {
		if i < len(a) {
			return a[i]
		}
		return ""
	}
	switch {
	case arg(0) == "help":
		return "The following commands are valid at this level:\n" + helpLines
	case arg(0) == "show" && arg(1) == "cli" && arg(2) == "level":
		return "admin\n"
	case arg(0) == "show" && arg(1) == "servers" && arg(2) == "state":
		return r.showServersState(arg(3))
	case arg(0) == "show" && arg(1) == "stat":
		return r.showStat(arg(2))
	case arg(0) == "set" && arg(1) == "server":
		return r.setServer(arg(2), arg(3), arg(4))
	}
	return "Unknown command. Please enter one of the following commands only:\n" + helpLines
}

func (r *Router) showServersState(backend string) string {
	if backend != "" && backend != r.backend {
		return "Can't find backend.\n"
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	b.WriteString(serversStateHeader)
	for i, s := range r.servers {
		since := int(time.Since(s.changed).Seconds())
		fmt.Fprintf(&b, "2 %s %d %s %s %d %d %d %d %d 1 0 0 0 0 0 0 - %s - 0 0 - - 0\n",
			r.backend, i+1, s.name, s.host, s.opState(), s.admin, s.uweight, s.iweight, since, s.port)
	}
	return b.String()
}

// setServer handles `set server <bk>/<srv> state|weight <value>`.
func (r *Router) setServer(target, what, value string) string {
	if target == "" {
		return "Require 'backend/server'.\n"
	}
	bk, name, ok := strings.Cut(target, "/")
	if !ok {
		return "Require 'backend/server'.\n"
	}
	if bk != r.backend {
		return "No such backend.\n"
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var s *routerServer
	for _, x := range r.servers {
		if x.name == name {
			s = x
		}
	}
	if s == nil {
		return "No such server.\n"
	}
	switch what {
	case "state":
		switch value {
		case "ready":
			s.admin &^= rtFMaint | rtFDrain
		case "drain":
			s.admin = s.admin&^rtFMaint | rtFDrain
		case "maint":
			s.admin = s.admin&^rtFDrain | rtFMaint
		default:
			return "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n"
		}
	case "weight":
		w, msg := parseWeight(value, s.iweight)
		if msg != "" {
			return msg
		}
		s.uweight = w
	default:
		return "usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | agent-send | check-addr | check-port | fqdn | health | ssl | state | weight\n"
	}
	s.changed = time.Now()
	return ""
}

// parseWeight follows HAProxy's server_parse_weight_change_request: an
// absolute 0–256 or a percentage of the initial weight.
func parseWeight(v string, iweight int) (int, string) {
	if v == "" {
		return 0, "Require <weight> or <weight%>.\n"
	}
	digits := len(v) - len(strings.TrimLeft(v, "+-0123456789"))
	w, err := strconv.Atoi(v[:digits])
	if err != nil {
		return 0, "Empty weight string empty or preceded by garbage"
	}
	rest := v[digits:]
	switch {
	case rest == "%":
		if w < 0 {
			return 0, "Relative weight must be positive.\n"
		}
		return min(iweight*w/100, 256), ""
	case w < 0 || w > 256:
		return 0, "Absolute weight can only be between 0 and 256 inclusive.\n"
	case rest != "":
		return 0, "Trailing garbage in weight string"
	}
	return w, ""
}
