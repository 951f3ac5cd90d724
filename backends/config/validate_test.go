package config

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A config built in Go (the demo's) gets the same defaults as a file.
func TestApplyDefaultsMatchesParse(t *testing.T) {
	c := Config{
		Site:    "s",
		Origin:  Mirror{URL: mustURL(t, "https://o.example.org/")},
		Mirrors: []Mirror{{Name: "a", URL: mustURL(t, "https://a.example.net/x")}, {Name: "b", URL: mustURL(t, "https://b.example.net/")}},
	}
	c.ApplyDefaults()
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	parsed := mustParse(t, base+"  - name: b\n    url: https://b.example.net/\n", nil)
	if c.StateDir != parsed.StateDir || c.Theme != parsed.Theme || c.Keymap != parsed.Keymap ||
		c.Thresholds != parsed.Thresholds || !reflect.DeepEqual(c.Hosts, parsed.Hosts) {
		t.Errorf("top-level defaults differ:\n go  %+v\nfile %+v", c, *parsed)
	}
	for i := range c.Mirrors {
		g, p := c.Mirrors[i], parsed.Mirrors[i]
		if g.Role != p.Role || g.Priority != p.Priority || g.Weight != p.Weight || !reflect.DeepEqual(g.Health, p.Health) {
			t.Errorf("mirror %d defaults differ: %+v vs %+v", i, g, p)
		}
	}
	if c.Mirrors[0].URL.Path != "/x/" {
		t.Errorf("url path = %q, want /x/", c.Mirrors[0].URL.Path)
	}
	if c.Origin.Name != "origin" || c.Origin.Role != "origin" {
		t.Errorf("origin = %q/%q", c.Origin.Name, c.Origin.Role)
	}
}

func TestValidateGoConfig(t *testing.T) {
	c := Default()
	c.Mirrors = []Mirror{{Name: "a", URL: mustURL(t, "https://a.example.net/"), Health: Health{Interval: time.Second, Timeout: 2 * time.Second}}}
	c.Thresholds.CPUPercent = 150
	c.ApplyDefaults()
	err := c.Validate()
	if err == nil {
		t.Fatal("want errors")
	}
	for _, want := range []string{
		"site: missing",
		"origin.url: missing",
		`mirrors[0].health.timeout: "2s" is not shorter than interval "1s"`,
		`thresholds.cpu_percent: "150" must be a percentage`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in:\n%v", want, err)
		}
	}
}

func TestResolve(t *testing.T) {
	m := Mirror{URL: mustURL(t, "https://m.example/arch/?token=T")}
	cases := map[string]string{
		"/lastsync":        "https://m.example/arch/lastsync?token=T",
		"project/trace/x":  "https://m.example/arch/project/trace/x?token=T",
		"/status.json?v=1": "https://m.example/arch/status.json?token=T&v=1",
		"/":                "https://m.example/arch/?token=T",
	}
	for p, want := range cases {
		if got := m.Resolve(p).String(); got != want {
			t.Errorf("Resolve(%q) = %s, want %s", p, got, want)
		}
	}
	if m.URL.String() != "https://m.example/arch/?token=T" {
		t.Errorf("Resolve changed the base: %s", m.URL)
	}
}
