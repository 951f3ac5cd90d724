package config

import (
	"strings"
	"testing"
	"time"
)

func TestFleetDefaultsWithoutExporters(t *testing.T) {
	c := mustParse(t, base, nil)
	if h := c.Hosts; len(h.Exporters) != 0 || h.ScrapeInterval != 15*time.Second {
		t.Errorf("hosts = %+v, want no exporters and a 15s scrape interval", h)
	}
	if c.Thresholds.DiskLatency != 50*time.Millisecond {
		t.Errorf("disk_latency = %s, want the playbook's 50ms", c.Thresholds.DiskLatency)
	}
	out, err := c.Marshal()
	if err != nil || strings.Contains(string(out), "exporters:") {
		t.Errorf("Marshal wrote exporters: for a file without them (err %v):\n%s", err, out)
	}
}

const fleetText = `site: s
origin:
  url: https://o.example.org/
mirrors:
  - name: a
    url: https://a.example.net/
    host: web1
  - name: b
    url: https://b.example.net/
    host: local
thresholds:
  disk_latency: 80ms
hosts:
  scrape_interval: 10s
  exporters:
    - {name: web1, url: "${WEB1_URL}", disk: sda}
    - name: web2
      url: http://10.0.0.12:9100/metrics
      mount: /srv
      timeout: 2s
`

func TestFleetRoundTrip(t *testing.T) {
	vars := map[string]string{"WEB1_URL": "http://user:s3cret-pass@10.0.0.11:9100/metrics"}
	c := mustParse(t, fleetText, vars)
	h := c.Hosts
	if h.ScrapeInterval != 10*time.Second || len(h.Exporters) != 2 {
		t.Fatalf("hosts = %+v", h)
	}
	want := []Exporter{
		{Name: "web1", URL: vars["WEB1_URL"], Disk: "sda", Mount: "/", Timeout: 5 * time.Second, Line: 16},
		{Name: "web2", URL: "http://10.0.0.12:9100/metrics", Mount: "/srv", Timeout: 2 * time.Second, Line: 17},
	}
	for i, e := range h.Exporters {
		if e != want[i] {
			t.Errorf("exporters[%d] = %+v, want %+v", i, e, want[i])
		}
	}
	if c.Mirrors[0].Host != "web1" || c.Mirrors[1].Host != "local" || c.Thresholds.DiskLatency != 80*time.Millisecond {
		t.Errorf("mirror hosts %q %q, disk_latency %s", c.Mirrors[0].Host, c.Mirrors[1].Host, c.Thresholds.DiskLatency)
	}
	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "s3cret") || !strings.Contains(string(out), "${WEB1_URL}") {
		t.Errorf("Marshal must write the URL as ${WEB1_URL}, never its value:\n%s", out)
	}
	again, err := Parse("warroom.yaml", out, env(vars))
	if err != nil {
		t.Fatalf("re-parse: %v\n%s", err, out)
	}
	sameConfig(t, again, c, false)
	if out2, _ := again.Marshal(); string(out2) != string(out) {
		t.Errorf("Marshal(Parse(Marshal(c))) differs:\n%s\n---\n%s", out, out2)
	}
}

func TestFleetErrorsNameFileLineAndField(t *testing.T) {
	for _, tc := range []struct{ name, text, field, want string }{
		{"no name", "hosts:\n  exporters:\n    - {url: http://h:9100/metrics}\n", "hosts.exporters[0].name",
			"warroom.yaml:9: hosts.exporters[0].name: missing; name the host"},
		{"local taken", "hosts:\n  exporters:\n    - {name: local, url: http://h:9100/metrics}\n", "hosts.exporters[0].name",
			`"local" names the machine warroom runs on`},
		{"twice", "hosts:\n  exporters:\n    - {name: w, url: http://h:9100/metrics}\n    - {name: w, url: http://i:9100/metrics}\n",
			"hosts.exporters[1].name", `warroom.yaml:10: hosts.exporters[1].name: "w" is already hosts.exporters[0] (line 9)`},
		{"no url", "hosts:\n  exporters:\n    - {name: w}\n", "hosts.exporters[0].url", "missing; give the node_exporter's page"},
		{"not http", "hosts:\n  exporters:\n    - {name: w, url: \"10.0.0.1:9100\"}\n", "hosts.exporters[0].url",
			`"10.0.0.1:9100" is not an http(s) URL`},
		{"relative mount", "hosts:\n  exporters:\n    - {name: w, url: http://h/metrics, mount: srv}\n", "hosts.exporters[0].mount",
			`"srv" is not an absolute path`},
		{"timeout too long", "hosts:\n  scrape_interval: 5s\n  exporters:\n    - {name: w, url: http://h/metrics, timeout: 5s}\n",
			"hosts.exporters[0].timeout", `warroom.yaml:10: hosts.exporters[0].timeout: "5s" is not below hosts.scrape_interval "5s"`},
		{"bad timeout", "hosts:\n  exporters:\n    - {name: w, url: http://h/metrics, timeout: soon}\n", "hosts.exporters[0].timeout",
			"warroom.yaml:9: hosts.exporters[0].timeout:"},
		{"unknown key", "hosts:\n  exporters:\n    - {name: w, url: http://h/metrics, port: 9100}\n", "hosts.exporters[0].port",
			"warroom.yaml:9: hosts.exporters[0].port:"},
		{"not a list", "hosts:\n  exporters: web1\n", "hosts.exporters", "warroom.yaml:8: hosts.exporters: want a list of exporters"},
		{"scrape interval", "hosts: {scrape_interval: 0s}\n", "hosts.scrape_interval", "must be positive"},
		{"disk latency", "thresholds: {disk_latency: -1ms}\n", "thresholds.disk_latency", "warroom.yaml:7: thresholds.disk_latency:"},
		{"unknown host", "    host: web9\n", "mirrors[0].host",
			`warroom.yaml:7: mirrors[0].host: "web9" is not a host in hosts.exporters; name one of them, or "local" for this machine`},
	} {
		t.Run(tc.name, func(t *testing.T) { wantFieldError(t, base+tc.text, tc.field, tc.want) })
	}
}

// wantFieldError parses text and wants field's error to contain want.
func wantFieldError(t *testing.T, text, field, want string) {
	t.Helper()
	_, err := Parse("warroom.yaml", []byte(text), nil)
	got := map[string]string{}
	for _, e := range fieldErrors(t, err) {
		got[e.Field] = e.Error()
	}
	if !strings.Contains(got[field], want) {
		t.Errorf("%s: got %q, want it to contain %q\nall: %v", field, got[field], want, err)
	}
}
