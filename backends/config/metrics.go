package config

import (
	"net"
	"strconv"

	"gopkg.in/yaml.v3"
)

// Metrics configures the Prometheus endpoint: off unless Listen is set.
type Metrics struct {
	Listen string // host:port serving GET /metrics; "" = off
	Line   int    // line of metrics: in the file
}

// Enabled reports whether /metrics is served.
func (x *Metrics) Enabled() bool { return x.Listen != "" }

var metricsKeys = []string{"listen"}

func (d *decoder) metrics(n *yaml.Node, path string, x *Metrics) {
	pairs, _ := d.mapping(n, path, "a map with listen:", metricsKeys)
	for _, p := range pairs {
		if p.Key.Value == "listen" && !isNull(p.Val) {
			d.str(p.Val, p.Path, &x.Listen)
		}
	}
}

// checkMetrics: a listen address with a port when set.
func checkMetrics(k *checker, x *Metrics) {
	if x.Listen != "" {
		checkHostPort(k, "metrics.listen", x.Listen, "127.0.0.1:9464")
	}
}

// checkHostPort fails a listen address that is not host:port with a port
// number; example is a good value for the message.
func checkHostPort(k *checker, path, addr, example string) {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		k.fail(path, "%s is not host:port (%v); e.g. %s", k.show(path, addr), err, example)
		return
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		k.fail(path, "%s: port %q is not a number from 0 to 65535", k.show(path, addr), port)
	}
}

// metrics writes the metrics: section.
func (w writer) metrics(x *Metrics) *yaml.Node {
	return w.m("listen", w.s("metrics.listen", x.Listen))
}
