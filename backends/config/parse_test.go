package config

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDefaultsFillEverythingLeftOut(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	c := mustParse(t, base+"  - name: b\n    url: https://b.example.net/debian\n", nil)

	if c.Theme != "dark" || c.Keymap != "default" {
		t.Errorf("theme/keymap = %q/%q, want dark/default", c.Theme, c.Keymap)
	}
	if want := filepath.Join(home, ".local/state/warroom"); c.StateDir != want {
		t.Errorf("state_dir = %q, want %q", c.StateDir, want)
	}
	if c.Origin.Name != "origin" || c.Origin.Role != "origin" || c.Origin.Line != 2 {
		t.Errorf("origin = %q role %q line %d, want origin/origin/2", c.Origin.Name, c.Origin.Role, c.Origin.Line)
	}
	if !reflect.DeepEqual(c.Origin.Health, DefaultHealth()) {
		t.Errorf("origin health = %+v, want defaults", c.Origin.Health)
	}
	for i, m := range c.Mirrors {
		if m.Role != "backup" || m.Priority != i+1 || m.Weight != 100 {
			t.Errorf("mirror %d: role %q priority %d weight %d, want backup %d 100", i, m.Role, m.Priority, m.Weight, i+1)
		}
		if !reflect.DeepEqual(m.Health, DefaultHealth()) {
			t.Errorf("mirror %d health = %+v, want defaults", i, m.Health)
		}
		if m.Lag != (Lag{}) || m.Manifest != "" || m.Syncing != "" {
			t.Errorf("mirror %d: lag %+v manifest %q syncing %q, want all off", i, m.Lag, m.Manifest, m.Syncing)
		}
	}
	if c.Mirrors[0].Line != 5 || c.Mirrors[1].Line != 7 {
		t.Errorf("mirror lines = %d, %d, want 5, 7", c.Mirrors[0].Line, c.Mirrors[1].Line)
	}
	if got := c.Mirrors[1].URL.String(); got != "https://b.example.net/debian/" {
		t.Errorf("url = %q, want a trailing slash added", got)
	}
	th := DefaultThresholds()
	th.LagClear = 8 * time.Minute // 80 % of lag_warning
	if c.Thresholds != th {
		t.Errorf("thresholds = %+v, want defaults", c.Thresholds)
	}
	if !reflect.DeepEqual(c.Hosts, DefaultHosts()) {
		t.Errorf("hosts = %+v, want defaults", c.Hosts)
	}
	if c.Path != "warroom.yaml" {
		t.Errorf("path = %q", c.Path)
	}
}

func TestDefaultsSectionInheritedFieldByField(t *testing.T) {
	c := mustParse(t, `site: s
defaults:
  health: {interval: 30s, timeout: 10s, expect_status: [200, 204], method: head}
  lag: {kind: beacon, path: /lastsync}
  manifest: /core.db
  syncing: /Archive-Update-in-Progress
origin: {url: https://o.example.org/}
mirrors:
  - name: keeps
    url: https://a.example.net/
  - name: faster
    url: https://b.example.net/
    health: {timeout: 2s}
    manifest: ""
  - name: traced
    url: https://c.example.net/
    lag: {kind: trace, path: /project/trace/o}
  - name: jsonlag
    url: https://d.example.net/
    lag: {kind: json, path: /status.json, serial_field: seq}
  - name: nolag
    url: https://e.example.net/
    lag: {kind: none}
  - name: otherpath
    url: https://f.example.net/
    lag: {path: /other}
`, nil)
	keeps, faster, traced, jsonlag, nolag, otherpath := c.Mirrors[0], c.Mirrors[1], c.Mirrors[2], c.Mirrors[3], c.Mirrors[4], c.Mirrors[5]

	wantH := DefaultHealth()
	wantH.Interval, wantH.Timeout, wantH.ExpectStatus, wantH.Method = 30*time.Second, 10*time.Second, []int{200, 204}, "HEAD"
	if !reflect.DeepEqual(keeps.Health, wantH) || !reflect.DeepEqual(c.Origin.Health, wantH) {
		t.Errorf("inherited health = %+v (origin %+v), want %+v", keeps.Health, c.Origin.Health, wantH)
	}
	if faster.Health.Timeout != 2*time.Second || faster.Health.Interval != 30*time.Second {
		t.Errorf("override: timeout %v interval %v, want 2s and the inherited 30s", faster.Health.Timeout, faster.Health.Interval)
	}
	if keeps.Manifest != "/core.db" || faster.Manifest != "" || faster.Syncing != "/Archive-Update-in-Progress" {
		t.Errorf("manifest %q / %q, syncing %q", keeps.Manifest, faster.Manifest, faster.Syncing)
	}
	if keeps.Lag != (Lag{Kind: LagBeacon, Path: "/lastsync"}) {
		t.Errorf("inherited lag = %+v", keeps.Lag)
	}
	if traced.Lag != (Lag{Kind: LagTrace, Path: "/project/trace/o"}) {
		t.Errorf("trace lag = %+v", traced.Lag)
	}
	if jsonlag.Lag != (Lag{Kind: LagJSON, Path: "/status.json", TimeField: "time", SerialField: "seq", VersionField: "version"}) {
		t.Errorf("json lag = %+v", jsonlag.Lag)
	}
	if nolag.Lag != (Lag{}) {
		t.Errorf("kind none: lag = %+v, want off", nolag.Lag)
	}
	if otherpath.Lag != (Lag{Kind: LagBeacon, Path: "/other"}) {
		t.Errorf("path only: lag = %+v, want beacon at /other", otherpath.Lag)
	}
	// Mirrors must not share the defaults' slice.
	keeps.Health.ExpectStatus[0] = 999
	if faster.Health.ExpectStatus[0] != 200 {
		t.Error("mirrors share one expect_status slice")
	}
}

// A mirror that changes lag kind does not inherit the default's path.
func TestLagKindChangeDoesNotInheritPath(t *testing.T) {
	errs := fieldErrors(t, mustFail(t, `site: s
defaults:
  lag: {kind: beacon, path: /lastsync}
origin: {url: https://o.example.org/}
mirrors:
  - name: a
    url: https://a.example.net/
    lag: {kind: trace}
`))
	if len(errs) != 1 || errs[0].Field != "mirrors[0].lag.path" || errs[0].Line != 8 {
		t.Fatalf("want mirrors[0].lag.path missing on line 8, got %v", errs)
	}
}

func TestStateDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	cases := []struct{ file, dir, want string }{
		{"/etc/warroom/warroom.yaml", "./state", "/etc/warroom/state"},
		{"/etc/warroom/warroom.yaml", "../var", "/etc/var"},
		{"/etc/warroom/warroom.yaml", "/var/lib/warroom", "/var/lib/warroom"},
		{"/etc/warroom/warroom.yaml", "~/wr", filepath.Join(home, "wr")},
	}
	for _, tc := range cases {
		c, err := Parse(tc.file, []byte(base+"state_dir: "+tc.dir+"\n"), nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.dir, err)
		}
		if c.StateDir != tc.want {
			t.Errorf("state_dir %q in %s = %q, want %q", tc.dir, tc.file, c.StateDir, tc.want)
		}
	}
}

func TestEnvExpansion(t *testing.T) {
	c := mustParse(t, `site: "${SITE}-mirrors"
origin: {url: "https://${HOST}/"}
mirrors:
  - name: a
    url: https://a.example.net/
    region: '$${literal} and $$ and ${REGION}'
    health: {interval: "${IVAL}"}
keys:
  "${quit}": q
`, map[string]string{"SITE": "example", "HOST": "o.example.org", "REGION": "eu", "IVAL": "20s"})
	if c.Site != "example-mirrors" || c.Origin.URL.Host != "o.example.org" {
		t.Errorf("site %q host %q", c.Site, c.Origin.URL.Host)
	}
	if got := c.Mirrors[0].Region; got != "${literal} and $$ and eu" {
		t.Errorf("region = %q", got)
	}
	if c.Mirrors[0].Health.Interval != 20*time.Second {
		t.Errorf("interval = %v", c.Mirrors[0].Health.Interval)
	}
	if _, ok := c.Keys["${quit}"]; !ok {
		t.Errorf("keys are not expanded, want the key ${quit} kept; got %v", c.Keys)
	}
	want := []string{"mirrors[0].health.interval", "mirrors[0].region", "origin.url", "site"}
	if got := c.SecretFields(); !slices.Equal(got, want) {
		t.Errorf("secret fields = %v, want %v", got, want)
	}
	if src, _ := c.SecretSource("origin.url"); src != "https://${HOST}/" {
		t.Errorf("secret source = %q", src)
	}
}

func TestKeysSingleOrList(t *testing.T) {
	c := mustParse(t, base+"keys:\n  quit: [q, ctrl+c]\n  zoom: z\n", nil)
	want := map[string][]string{"quit": {"q", "ctrl+c"}, "zoom": {"z"}}
	if !reflect.DeepEqual(c.Keys, want) {
		t.Errorf("keys = %v, want %v", c.Keys, want)
	}
}

func TestAnchorsAndMergeKeys(t *testing.T) {
	c := mustParse(t, `site: s
origin: {url: https://o.example.org/}
mirrors:
  - name: a
    url: https://a.example.net/
    health: &slow {interval: 1m, timeout: 20s}
  - name: b
    url: https://b.example.net/
    health:
      <<: *slow
      timeout: 30s
  - name: c
    url: https://c.example.net/
    health: *slow
`, nil)
	if h := c.Mirrors[1].Health; h.Interval != time.Minute || h.Timeout != 30*time.Second {
		t.Errorf("merged health = %v/%v, want 1m/30s", h.Interval, h.Timeout)
	}
	if h := c.Mirrors[2].Health; h.Interval != time.Minute || h.Timeout != 20*time.Second {
		t.Errorf("aliased health = %v/%v, want 1m/20s", h.Interval, h.Timeout)
	}
}

func TestFullConfigRoundTrip(t *testing.T) {
	text := `site: full
state_dir: /var/lib/warroom
theme: high-contrast
keymap: vim
keys: {quit: [q, ctrl+c], zoom: z}
origin:
  name: master
  url: https://user:pw@o.example.org/pub/
  region: eu-central
  health: {path: /ping, method: HEAD, expect_status: [200, 204], interval: 10s, timeout: 3s, retry_interval: 1500ms, fail_after: 4, recover_after: 3, insecure: true}
  lag: {kind: beacon, path: /lastsync}
  manifest: /manifest
  syncing: /Archive-Update-in-Progress
mirrors:
  - name: tokyo
    url: https://tokyo.example.net/?token=${TOKEN}
    region: ap-northeast
    role: active
    priority: 7
    weight: 250
    health: {timeout: 1s}
    lag: {kind: json, path: /s.json, time_field: t, serial_field: s, version_field: v}
    manifest: /m
    syncing: ""
  - name: lit
    url: https://lit.example.net/
    region: 'costs $${5}'
thresholds: {lag_warning: 5m, lag_critical: 2h, latency_factor: 3.5, latency_floor: 20ms, error_rate: 0.1, tls_expiry_warning: 7d, cpu_percent: 70, memory_percent: 85, disk_percent: 95, sustain: 1m, ack_within: 10m}
hosts: {interval: 2s, history: 300, disk_path: /srv}
`
	vars := map[string]string{"TOKEN": "tok-Ω-123"}
	c := mustParse(t, text, vars)

	want := Config{
		Path: "warroom.yaml", Site: "full", StateDir: "/var/lib/warroom", Theme: "high-contrast", Keymap: "vim",
		Keys: map[string][]string{"quit": {"q", "ctrl+c"}, "zoom": {"z"}},
		Origin: Mirror{Name: "master", Region: "eu-central", Role: "origin", Line: 6,
			Health:   Health{Path: "/ping", Method: "HEAD", ExpectStatus: []int{200, 204}, Interval: 10 * time.Second, Timeout: 3 * time.Second, RetryInterval: 1500 * time.Millisecond, FailAfter: 4, RecoverAfter: 3, Insecure: true},
			Lag:      Lag{Kind: LagBeacon, Path: "/lastsync"},
			Manifest: "/manifest", Syncing: "/Archive-Update-in-Progress"},
		Mirrors: []Mirror{
			{Name: "tokyo", Region: "ap-northeast", Role: "active", Priority: 7, Weight: 250, Line: 15,
				Health: Health{Path: "/", Method: "GET", ExpectStatus: []int{200}, Interval: 15 * time.Second, Timeout: time.Second, RetryInterval: 2 * time.Second, FailAfter: 3, RecoverAfter: 2},
				Lag:    Lag{Kind: LagJSON, Path: "/s.json", TimeField: "t", SerialField: "s", VersionField: "v"}, Manifest: "/m"},
			{Name: "lit", Region: "costs ${5}", Role: "backup", Priority: 2, Weight: 100, Line: 25, Health: DefaultHealth()},
		},
		Thresholds: Thresholds{LagWarning: 5 * time.Minute, LagCritical: 2 * time.Hour, LatencyFactor: 3.5, LatencyFloor: 20 * time.Millisecond, ErrorRate: 0.1, TLSExpiryWarning: 7 * 24 * time.Hour,
			CPUPercent: 70, MemoryPercent: 85, DiskPercent: 95, Sustain: time.Minute, AckWithin: 10 * time.Minute, LagClear: 4 * time.Minute, DiskLatency: DefaultDiskLatency,
			Error5xx: DefaultError5xx, ResponseFactor: DefaultResponseFactor},
		Hosts:    Hosts{Interval: 2 * time.Second, History: 300, DiskPath: "/srv", ScrapeInterval: DefaultScrapeInterval},
		Alerting: Alerting{Kinds: DefaultAlertKinds(), Flapping: Flapping{Changes: DefaultFlapChanges, Window: DefaultFlapWindow}},
		Actions:  Actions{Confirm: ConfirmTypeName, Timeout: DefaultActionTimeout, ApprovalExpiry: DefaultApprovalTTL, FailbackSettle: DefaultFailbackSettle},
		Notify:   Notify{Cadence: DefaultCadence},
		Incident: DefaultIncident(),
		Serve:    DefaultServe(),
	}
	urls := []string{"https://user:pw@o.example.org/pub/", "https://tokyo.example.net/?token=tok-Ω-123", "https://lit.example.net/"}
	assertSame(t, c, &want, urls)

	// Marshal and parse again: the same config, and no secret in the text.
	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "tok-Ω-123") {
		t.Fatalf("Marshal wrote the secret:\n%s", out)
	}
	again, err := Parse("warroom.yaml", out, env(vars))
	if err != nil {
		t.Fatalf("re-parse of Marshal output: %v\n%s", err, out)
	}
	for i := range want.Mirrors {
		want.Mirrors[i].Line = again.Mirrors[i].Line // lines move; the rest must not
	}
	want.Origin.Line = again.Origin.Line
	want.Incident.Line, want.Serve.Line = again.Incident.Line, again.Serve.Line // Marshal writes both sections
	want.Alerting.Line = again.Alerting.Line                                    // and the hysteresis
	assertSame(t, again, &want, urls)
	if !again.Secret("mirrors[0].url") {
		t.Error("re-parsed config lost the secret mark on mirrors[0].url")
	}
}

// assertSame compares configs field by field, URLs by their text.
func assertSame(t *testing.T, got, want *Config, urls []string) {
	t.Helper()
	if got.Origin.URL.String() != urls[0] {
		t.Errorf("origin url = %s, want %s", got.Origin.URL, urls[0])
	}
	for i, m := range got.Mirrors {
		if m.URL.String() != urls[i+1] {
			t.Errorf("mirror %d url = %s, want %s", i, m.URL, urls[i+1])
		}
	}
	g := *got
	g.secrets, g.secretValues, g.lines = nil, nil, nil
	g.Origin.URL = nil
	g.Mirrors = slices.Clone(got.Mirrors)
	for i := range g.Mirrors {
		g.Mirrors[i].URL = nil
	}
	if !reflect.DeepEqual(&g, want) {
		t.Errorf("config differs:\n got %+v\nwant %+v", g, *want)
	}
}

func TestExampleConfigLoads(t *testing.T) {
	data, err := os.ReadFile("../../examples/warroom.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// Every variable the example reads: URLs for the webhooks, base64 (a
	// valid TSIG secret, and a fine token) for the rest.
	getenv := func(name string) (string, bool) {
		if strings.HasSuffix(name, "_WEBHOOK") || strings.HasSuffix(name, "_URL") {
			return "https://hooks.example.org/" + name, true
		}
		return "c2VjcmV0LXRzaWcta2V5LTEyMzQ1Njc4", true
	}
	c, err := Parse("examples/warroom.yaml", data, getenv)
	if err != nil {
		t.Fatalf("examples/warroom.yaml: %v", err)
	}
	kinds := map[string]bool{}
	for _, m := range c.Mirrors {
		kinds[m.Lag.Kind] = true
	}
	for _, k := range []string{LagBeacon, LagTrace, LagLastModified, LagJSON} {
		if !kinds[k] {
			t.Errorf("example has no mirror with lag kind %q", k)
		}
	}
	if len(c.Mirrors) < 5 || len(c.SecretFields()) == 0 {
		t.Errorf("example: %d mirrors, secrets %v; want several mirrors and a ${ENV} secret", len(c.Mirrors), c.SecretFields())
	}
	// Without the variable, the error names it and where it is used.
	_, err = Parse("examples/warroom.yaml", data, env(nil))
	if err == nil || !strings.Contains(err.Error(), "${PARTNER_MIRROR_TOKEN} is not set") {
		t.Errorf("want the unset variable named, got %v", err)
	}
}

// Line finds where a field, or its closest written parent, is in the file.
func TestLineOfAField(t *testing.T) {
	c := mustParse(t, base+"keys:\n  zoom: x\n  quit: [q, ctrl+c]\n", nil)
	for field, want := range map[string]int{"keys.zoom": 8, "keys.quit": 9, "keys.quit[1]": 9, "keys": 7, "site": 1, "nothing.here": 0} {
		if got := c.Line(field); got != want {
			t.Errorf("Line(%q) = %d, want %d", field, got, want)
		}
	}
}
