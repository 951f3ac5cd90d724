package config

import (
	"fmt"
	"strings"
	"testing"
)

// badConfig is one malformed file and the problem Parse must report.
type badConfig struct {
	name  string
	text  string
	line  int    // 0: no line (whole-file problems)
	field string // "" for whole-file problems
	want  string // part of the message
}

// badConfigs also seed FuzzParse.
var badConfigs = []badConfig{
	{"unknown top key", base + "sitee: x\n", 7, "sitee", `unknown key (did you mean "site"?); allowed here: site, state_dir, theme`},
	{"unknown mirror key", base + "    helth: {timeout: 2s}\n", 7, "mirrors[0].helth", `did you mean "health"?`},
	{"unknown health key", base + "    health:\n      intervall: 15s\n", 8, "mirrors[0].health.intervall", "allowed here: path, method, expect_status, interval"},
	{"unknown defaults key", base + "defaults:\n  probe: {}\n", 8, "defaults.probe", "allowed here: health, lag, manifest, syncing"},
	{"origin has no priority", "site: s\norigin:\n  url: https://o.example.org/\n  priority: 1\nmirrors:\n  - {name: a, url: https://a.example.net/}\n", 4, "origin.priority", "unknown key"},
	{"duration without unit", base + "    health:\n      interval: \"15\"\n", 8, "mirrors[0].health.interval", `"15" is not a duration (want e.g. 15s, 1m)`},
	{"negative interval", base + "    health: {interval: -5s}\n", 7, "mirrors[0].health.interval", `"-5s" must be positive`},
	{"timeout not below interval", base + "    health: {interval: 5s, timeout: 5s}\n", 7, "mirrors[0].health.timeout", `"5s" is not shorter than interval "5s"`},
	{"fail_after zero", base + "    health: {fail_after: 0}\n", 7, "mirrors[0].health.fail_after", `"0" must be at least 1`},
	{"recover_after negative", base + "    health: {recover_after: -1}\n", 7, "mirrors[0].health.recover_after", "must be at least 1"},
	{"not a number", base + "    health: {fail_after: three}\n", 7, "mirrors[0].health.fail_after", `"three" is not a whole number`},
	{"not a bool", base + "    health: {insecure: maybe}\n", 7, "mirrors[0].health.insecure", "is not true or false"},
	{"method POST", base + "    health: {method: post}\n", 7, "mirrors[0].health.method", `"POST" is not one of GET, HEAD`},
	{"status out of range", base + "    health: {expect_status: [200, 700]}\n", 7, "mirrors[0].health.expect_status[1]", `"700" is not an HTTP status`},
	{"ftp url", base + "  - name: b\n    url: ftp://b.example.net/\n", 8, "mirrors[1].url", "want an absolute http:// or https:// URL"},
	{"relative url", base + "  - name: b\n    url: b.example.net/debian\n", 8, "mirrors[1].url", "want an absolute http:// or https:// URL"},
	{"url without host", base + "  - name: b\n    url: https:///debian/\n", 8, "mirrors[1].url", "has no host"},
	{"url does not parse", base + "  - name: b\n    url: http://b example/\n", 8, "mirrors[1].url", "is not a URL: invalid character"},
	{"url missing", base + "  - name: b\n    region: x\n", 7, "mirrors[1].url", "missing; give the mirror's base URL"},
	{"name missing", base + "  - url: https://b.example.net/\n", 7, "mirrors[1].name", "missing; every mirror needs a name"},
	{"duplicate names", base + "  - name: a\n    url: https://b.example.net/\n", 7, "mirrors[1].name", `"a" is already the name of mirrors[0] (line 5)`},
	{"mirror named like origin", base + "  - name: origin\n    url: https://b.example.net/\n", 7, "mirrors[1].name", `"origin" is the origin's name (line 2)`},
	{"bad role", base + "    role: primary\n", 7, "mirrors[0].role", `"primary" is not one of active, backup`},
	{"origin role", "site: s\norigin:\n  url: https://o.example.org/\n  role: backup\nmirrors:\n  - {name: a, url: https://a.example.net/}\n", 4, "origin.role", `the origin's role is always "origin"`},
	{"priority zero", base + "    priority: 0\n", 7, "mirrors[0].priority", "must be at least 1"},
	{"weight negative", base + "    weight: -3\n", 7, "mirrors[0].weight", "must be at least 1"},
	{"unknown theme", base + "theme: neon\n", 7, "theme", `"neon" is not one of dark, light, high-contrast`},
	{"unknown keymap", base + "keymap: emacs\n", 7, "keymap", `"emacs" is not one of default, vim`},
	{"unknown lag kind", base + "    lag: {kind: rsync, path: /x}\n", 7, "mirrors[0].lag.kind", `"rsync" is not a lag kind`},
	{"lag kind without path", base + "    lag:\n      kind: trace\n", 7, "mirrors[0].lag.path", `missing; lag kind "trace" needs a path`},
	{"lag path without kind", base + "    lag: {path: /lastsync}\n", 7, "mirrors[0].lag.kind", "missing; path is set"},
	{"json field on beacon", base + "    lag: {kind: beacon, path: /x, time_field: t}\n", 7, "mirrors[0].lag.time_field", "only used with kind json"},
	{"manifest is a URL", base + "    manifest: https://x.example/m\n", 7, "mirrors[0].manifest", "is a full URL; want a path"},
	{"no mirrors", "site: s\norigin: {url: https://o.example.org/}\nmirrors: []\n", 3, "mirrors", "no mirrors"},
	{"mirrors left out", "site: s\norigin: {url: https://o.example.org/}\n", 1, "mirrors", "no mirrors"},
	{"site missing", "origin: {url: https://o.example.org/}\nmirrors:\n  - {name: a, url: https://a.example.net/}\n", 1, "site", "missing; name the mirror network"},
	{"origin missing", "site: s\nmirrors:\n  - {name: a, url: https://a.example.net/}\n", 1, "origin.url", "missing; give the origin's base URL"},
	{"cpu percent over 100", base + "thresholds: {cpu_percent: 120}\n", 7, "thresholds.cpu_percent", `"120" must be a percentage above 0 and at most 100`},
	{"error rate as percent", base + "thresholds:\n  error_rate: 5\n", 8, "thresholds.error_rate", "must be a share above 0 and at most 1"},
	{"warning after critical", base + "thresholds:\n  lag_warning: 2h\n", 8, "thresholds.lag_warning", `"2h" is not below lag_critical "1h"`},
	{"latency factor 1", base + "thresholds: {latency_factor: 1}\n", 7, "thresholds.latency_factor", "must be above 1"},
	{"latency floor negative", base + "thresholds: {latency_floor: -5ms}\n", 7, "thresholds.latency_floor", `"-5ms" must not be negative (0s = no floor`},
	{"latency floor not a duration", base + "thresholds:\n  latency_floor: 100\n", 8, "thresholds.latency_floor", `"100" is not a duration`},
	{"retry not below interval", base + "    health: {interval: 5s, timeout: 1s, retry_interval: 5s}\n", 7, "mirrors[0].health.retry_interval", `"5s" is not shorter than interval "5s"; a failed probe is retried`},
	{"retry zero", base + "    health: {retry_interval: 0s}\n", 7, "mirrors[0].health.retry_interval", `"0s" must be positive`},
	{"history zero", base + "hosts: {history: 0}\n", 7, "hosts.history", "must be between 1 and 100000"},
	{"disk path relative", base + "hosts: {disk_path: data}\n", 7, "hosts.disk_path", "is not an absolute path"},
	{"map where list", "site: s\norigin: {url: https://o.example.org/}\nmirrors:\n  a: {url: https://a.example.net/}\n", 4, "mirrors", "want a list of mirrors"},
	{"value where map", base + "    health: fast\n", 7, "mirrors[0].health", `want a map of probe settings (path:, interval:, …), got the value "fast"`},
	{"list where value", base + "    region: [eu, us]\n", 7, "mirrors[0].region", "want a single value, got a list"},
	{"map where value", base + "    region: {name: eu}\n", 7, "mirrors[0].region", "want a single value, got a map"},
	{"key set twice", base + "site: t\n", 7, "site", "set twice (lines 1 and 7)"},
	{"unset variable", base + "    region: ${NOPE}\n", 7, "mirrors[0].region", "environment variable ${NOPE} is not set"},
	{"unclosed variable", base + "    region: eu-${REGION\n", 7, "mirrors[0].region", "has no closing }"},
	{"bad variable name", base + "    region: ${1X}\n", 7, "mirrors[0].region", "is not a variable name"},
	{"keys value is a map", base + "keys:\n  quit: {a: b}\n", 8, "keys.quit", "want a list, got a map"},
	{"empty key", base + "keys:\n  quit: [q, \"\"]\n", 8, "keys.quit[1]", "empty key"},
	{"state dir of another user", base + "state_dir: ~bob/state\n", 7, "state_dir", "~user is not supported"},
	{"yaml syntax", base + "theme: dark: light\n", 7, "", "YAML syntax: mapping values are not allowed in this context"},
	{"tab indent", "site: s\norigin:\n\turl: https://o.example.org/\n", 3, "", "a tab indents this line"},
	{"second document", base + "---\nsite: t\n", 7, "", "a second YAML document starts here"},
	{"top level is a list", "- site: s\n", 1, "", "want a map of settings"},
	{"empty file", "", 0, "", "the file is empty"},
	{"only comments", "# nothing yet\n", 0, "", "only comments"},
	{"inherited bad default", "site: s\ndefaults:\n  health:\n    timeout: 20s\norigin: {url: https://o.example.org/}\nmirrors:\n  - {name: a, url: https://a.example.net/}\n  - {name: b, url: https://b.example.net/}\n", 4, "defaults.health.timeout", `"20s" is not shorter than interval "15s"`},
}

func TestMalformedConfigs(t *testing.T) {
	if len(badConfigs) < 25 {
		t.Fatalf("only %d malformed configs; keep at least 25", len(badConfigs))
	}
	for _, tc := range badConfigs {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("warroom.yaml", []byte(tc.text), env(nil))
			errs := fieldErrors(t, err)
			prefix := "warroom.yaml: "
			if tc.line > 0 {
				prefix = fmt.Sprintf("warroom.yaml:%d: ", tc.line)
			}
			if tc.field != "" {
				prefix += tc.field + ": "
			}
			for _, e := range errs {
				if e.File == "warroom.yaml" && e.Line == tc.line && e.Field == tc.field &&
					strings.HasPrefix(e.Error(), prefix) && strings.Contains(e.Msg, tc.want) {
					return
				}
			}
			t.Errorf("want a line starting %q containing %q; got:\n%v", prefix, tc.want, err)
		})
	}
}

// A default that breaks a rule is reported once, at the default, not once
// per mirror that inherits it.
func TestInheritedProblemReportedOnce(t *testing.T) {
	tc := badConfigs[len(badConfigs)-1]
	errs := fieldErrors(t, mustFail(t, tc.text))
	if len(errs) != 1 {
		t.Fatalf("want 1 error, got %d: %v", len(errs), errs)
	}
}

func mustFail(t *testing.T, text string) error {
	t.Helper()
	_, err := Parse("warroom.yaml", []byte(text), env(nil))
	if err == nil {
		t.Fatal("want an error")
	}
	return err
}

// Every problem is reported, in file order, not just the first.
func TestAllErrorsCollectedInFileOrder(t *testing.T) {
	text := `theme: neon
origin:
  url: ftp://o.example.org/
mirrors:
  - name: a
    url: https://a.example.net/
    health: {interval: 15, fail_after: 0}
  - name: a
    url: https://b.example.net/
thresholds: {disk_percent: 101}
`
	errs := fieldErrors(t, mustFail(t, text))
	want := []struct {
		line  int
		field string
	}{
		{1, "site"}, // missing: reported at the top of the file
		{1, "theme"},
		{3, "origin.url"},
		{7, "mirrors[0].health.interval"},
		{7, "mirrors[0].health.fail_after"},
		{8, "mirrors[1].name"},
		{10, "thresholds.disk_percent"},
	}
	if len(errs) != len(want) {
		t.Fatalf("want %d errors, got %d:\n%v", len(want), len(errs), mustFail(t, text))
	}
	for i, w := range want {
		if errs[i].Line != w.line || errs[i].Field != w.field {
			t.Errorf("error %d: want line %d %s, got %d %s (%s)", i, w.line, w.field, errs[i].Line, errs[i].Field, errs[i].Msg)
		}
	}
}

// A field that failed to decode is not reported again by the rules that
// would see its stand-in value.
func TestNoKnockOnErrors(t *testing.T) {
	errs := fieldErrors(t, mustFail(t, base+"  - name: b\n    url: ftp://[::1\n"))
	if len(errs) != 1 || errs[0].Field != "mirrors[1].url" {
		t.Fatalf("want one error on mirrors[1].url, got %v", errs)
	}
}

// A mirror that takes a whole section from defaults: is not blamed for it.
func TestMissingFieldInInheritedSection(t *testing.T) {
	errs := fieldErrors(t, mustFail(t, `site: s
defaults:
  lag: {kind: trace}
origin: {url: https://o.example.org/}
mirrors:
  - {name: a, url: https://a.example.net/}
  - {name: b, url: https://b.example.net/}
`))
	if len(errs) != 1 || errs[0].Field != "defaults.lag.path" || errs[0].Line != 3 {
		t.Fatalf("want one error on defaults.lag.path line 3, got %v", errs)
	}
}

func TestErrorsCapped(t *testing.T) {
	text := base + strings.Repeat("  - {name: x, url: ftp://x/}\n", 300)
	errs := fieldErrors(t, mustFail(t, text))
	if len(errs) != maxErrors+1 || !strings.Contains(errs[maxErrors].Msg, "more problems") {
		t.Fatalf("want %d errors and a count of the rest, got %d (last %v)", maxErrors, len(errs), errs[len(errs)-1])
	}
}
