package config

import (
	"net/url"
	"time"

	"gopkg.in/yaml.v3"
)

// Exporter is one of the fleet's hosts, read from its node_exporter.
type Exporter struct {
	Name    string        // the host's row and alert subject; not "local"
	URL     string        // the exporter's page, e.g. http://10.0.0.11:9100/metrics
	Disk    string        // block device whose I/O latency is shown; "" = all disks
	Mount   string        // mount point whose usage is shown; default "/"
	Timeout time.Duration // per scrape; default 5s, below scrape_interval
	Line    int           // of this list item in the file
}

// LocalHost is what a mirror's host: says to name the machine warroom
// runs on; no exporter may take the name.
const LocalHost = "local"

// Fleet defaults: node_exporter's usual scrape cadence, and the playbook's
// disk I/O latency limit.
const (
	DefaultScrapeInterval  = 15 * time.Second
	DefaultExporterTimeout = 5 * time.Second
	DefaultDiskLatency     = 50 * time.Millisecond
)

var exporterKeys = []string{"name", "url", "disk", "mount", "timeout"}

func (d *decoder) exporter(n *yaml.Node, path string) Exporter {
	x := Exporter{Line: n.Line}
	for _, p := range d.item(n, path, "a map with name:, url:, disk:, mount:, timeout:", exporterKeys) {
		switch p.Key.Value {
		case "name":
			d.str(p.Val, p.Path, &x.Name)
		case "url":
			d.str(p.Val, p.Path, &x.URL)
		case "disk":
			d.str(p.Val, p.Path, &x.Disk)
		case "mount":
			d.str(p.Val, p.Path, &x.Mount)
		case "timeout":
			d.duration(p.Val, p.Path, &x.Timeout)
		}
	}
	return x
}

// applyFleetDefaults fills each exporter; a zero scrape_interval written
// in the file stays, for check to refuse.
func (h *Hosts) applyFleetDefaults() {
	for i := range h.Exporters {
		e := &h.Exporters[i]
		e.Mount = or(e.Mount, "/")
		orDur(&e.Timeout, DefaultExporterTimeout)
	}
}

// checkFleet checks the exporters and the mirrors' host: names.
func checkFleet(k *checker, c *Config) {
	h := &c.Hosts
	positive(k, "hosts.scrape_interval", h.ScrapeInterval)
	positive(k, "thresholds.disk_latency", c.Thresholds.DiskLatency)
	names := map[string]int{}
	for i := range h.Exporters {
		e := &h.Exporters[i]
		at := index("hosts.exporters", i)
		switch {
		case e.Name == "":
			k.fail(join(at, "name"), "missing; name the host, e.g. name: web1")
		case !nameLike(e.Name):
			k.fail(join(at, "name"), "%s is not a usable host name; use up to 64 letters, digits, '-', '_' or '.'", k.show(join(at, "name"), e.Name))
		case e.Name == LocalHost:
			k.fail(join(at, "name"), "%q names the machine warroom runs on; give the exporter's host its own name", LocalHost)
		default:
			if j, dup := names[e.Name]; dup {
				k.fail(join(at, "name"), "%s is already hosts.exporters[%d]%s; list each host once", k.show(join(at, "name"), e.Name), j, onLine(h.Exporters[j].Line))
			}
			names[e.Name] = i
		}
		checkExporterURL(k, join(at, "url"), e.URL)
		if e.Mount != "" && e.Mount[0] != '/' {
			k.fail(join(at, "mount"), "%s is not an absolute path; want a mount point such as /", k.show(join(at, "mount"), e.Mount))
		}
		positive(k, join(at, "timeout"), e.Timeout)
		if e.Timeout > 0 && h.ScrapeInterval > 0 && e.Timeout >= h.ScrapeInterval {
			k.fail(join(at, "timeout"), "%s is not below hosts.scrape_interval %s; a scrape must end before the next one",
				k.dur(join(at, "timeout"), e.Timeout), k.dur("hosts.scrape_interval", h.ScrapeInterval))
		}
	}
	checkMirrorHosts(k, c, names)
}

func checkExporterURL(k *checker, path, raw string) {
	if raw == "" {
		k.fail(path, "missing; give the node_exporter's page, e.g. url: http://10.0.0.11:9100/metrics")
		return
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		k.fail(path, "%s is not an http(s) URL; want e.g. http://10.0.0.11:9100/metrics", k.show(path, raw))
	}
}

// checkMirrorHosts: a mirror's host: names an exporter or "local".
func checkMirrorHosts(k *checker, c *Config, exporters map[string]int) {
	for i := range c.Mirrors {
		m := &c.Mirrors[i]
		if m.Host == "" || m.Host == LocalHost {
			continue
		}
		if _, ok := exporters[m.Host]; !ok {
			at := join(index("mirrors", i), "host")
			k.fail(at, "%s is not a host in hosts.exporters; name one of them, or %q for this machine", k.show(at, m.Host), LocalHost)
		}
	}
}

// fleet writes the exporters and the scrape interval into hosts:.
func (w writer) fleet(n *yaml.Node, h *Hosts) {
	const p = "hosts"
	n.Content = append(n.Content, w.key("scrape_interval"), w.d(join(p, "scrape_interval"), h.ScrapeInterval))
	exporter := func(e *Exporter, at string) *yaml.Node {
		x := w.m("name", w.s(join(at, "name"), e.Name), "url", w.s(join(at, "url"), e.URL))
		w.add(x, at, "disk", e.Disk != "", w.s(join(at, "disk"), e.Disk))
		x.Content = append(x.Content,
			w.key("mount"), w.s(join(at, "mount"), e.Mount),
			w.key("timeout"), w.d(join(at, "timeout"), e.Timeout))
		return x
	}
	w.add(n, p, "exporters", len(h.Exporters) > 0, items(join(p, "exporters"), h.Exporters, exporter))
}
