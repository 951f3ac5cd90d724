package config

import (
	"net"
	"strconv"

	"gopkg.in/yaml.v3"
)

// Intake configures the HTTP listener that takes Alertmanager's webhook:
// off unless Listen is set, and then only with a bearer token.
type Intake struct {
	Listen string // host:port; "" = off
	Token  string // the bearer token Alertmanager sends; a secret, best from ${ENV}
	Line   int    // line of intake: in the file
}

// Enabled reports whether the intake listens.
func (x *Intake) Enabled() bool { return x.Listen != "" }

// MinIntakeToken is the shortest token accepted: a guessable token on a
// listener that raises alerts would let anyone page the on-call.
const MinIntakeToken = 16

var intakeKeys = []string{"listen", "token"}

func (d *decoder) intake(n *yaml.Node, path string, x *Intake) {
	pairs, _ := d.mapping(n, path, "a map with listen:, token:", intakeKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "listen":
			d.str(p.Val, p.Path, &x.Listen)
		case "token":
			d.str(p.Val, p.Path, &x.Token)
		}
	}
}

// checkIntake: a listen address with a port, and a long enough token
// whenever it listens; a token without a listener is a forgotten listen:.
func checkIntake(k *checker, x *Intake) {
	const p = "intake"
	lp, tp := join(p, "listen"), join(p, "token")
	if x.Listen == "" {
		if x.Token != "" {
			k.fail(tp, "set, but listen: is empty, so nothing takes alerts; add listen: 127.0.0.1:9465 or remove token:")
		}
		return
	}
	if _, port, err := net.SplitHostPort(x.Listen); err != nil {
		k.fail(lp, "%s is not host:port (%v); e.g. listen: 127.0.0.1:9465", k.show(lp, x.Listen), err)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		k.fail(lp, "%s: port %q is not a number from 0 to 65535", k.show(lp, x.Listen), port)
	}
	switch {
	case x.Token == "":
		k.fail(tp, "missing; intake.listen takes alerts only with a bearer token, best from the environment: token: ${WARROOM_INTAKE_TOKEN}")
	case len(x.Token) < MinIntakeToken:
		from := ""
		if names := k.secret(tp); len(names) > 0 {
			from = " (" + fromEnv(names) + ")"
		}
		// Never the value: even a short token is a secret.
		k.fail(tp, "the token%s is %d characters; use at least %d (e.g. openssl rand -hex 24)", from, len(x.Token), MinIntakeToken)
	}
}

// intake writes the intake: section; the token as ${NAME} when it came
// from the environment.
func (w writer) intake(x *Intake) *yaml.Node {
	const p = "intake"
	n := w.m("listen", w.s(join(p, "listen"), x.Listen))
	w.add(n, p, "token", x.Token != "", w.s(join(p, "token"), x.Token))
	return n
}

// ExternalKind is the alert kind of alerts taken from Alertmanager: routes
// and silences match it as kind: external.
const ExternalKind = "external"
