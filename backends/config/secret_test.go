package config

import (
	"net/url"
	"strings"
	"testing"
)

const token = "hunter2-Ω-s3cret"

// Every problem in a value that came from ${TOKEN} is reported without the
// value, naming the variable instead.
func TestSecretsNeverPrinted(t *testing.T) {
	cases := []struct{ name, extra, field string }{
		{"bad scheme", "  - name: b\n    url: ftp://b.example.net/?t=${TOKEN}\n", "mirrors[1].url"},
		{"url does not parse", "  - name: b\n    url: \"http://b example/${TOKEN}\"\n", "mirrors[1].url"},
		{"no host", "  - name: b\n    url: https://${TOKEN}@/x\n", "mirrors[1].url"},
		{"duration", "    health: {interval: \"${TOKEN}\"}\n", "mirrors[0].health.interval"},
		{"integer", "    health: {fail_after: \"${TOKEN}\"}\n", "mirrors[0].health.fail_after"},
		{"status given as one value", "    health: {expect_status: \"${TOKEN}\"}\n", "mirrors[0].health.expect_status"},
		{"theme", "theme: ${TOKEN}\n", "theme"},
		{"duplicate name", "  - name: \"${TOKEN}\"\n    url: https://b.example.net/\n  - name: \"${TOKEN}\"\n    url: https://c.example.net/\n", "mirrors[2].name"},
		{"lag kind", "    lag: {kind: \"${TOKEN}\", path: /x}\n", "mirrors[0].lag.kind"},
		{"path", "    manifest: \"https://x/${TOKEN}\"\n", "mirrors[0].manifest"},
		{"percent", "thresholds: {cpu_percent: \"${TOKEN}\"}\n", "thresholds.cpu_percent"},
		{"state dir", "state_dir: \"~${TOKEN}\"\n", "state_dir"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vars := map[string]string{"TOKEN": token}
			if tc.name == "duration" || tc.name == "integer" || tc.name == "status given as one value" || tc.name == "percent" {
				vars["TOKEN"] = "9" + token // still not a number or a duration
			}
			_, err := Parse("warroom.yaml", []byte(base+tc.extra), env(vars))
			errs := fieldErrors(t, err)
			if strings.Contains(err.Error(), token) {
				t.Fatalf("secret printed:\n%v", err)
			}
			for _, e := range errs {
				if e.Field == tc.field && strings.Contains(e.Msg, "value from ${TOKEN}") {
					return
				}
			}
			t.Errorf("want %s reported as \"value from ${TOKEN}\", got:\n%v", tc.field, err)
		})
	}
}

func TestSecretsRecorded(t *testing.T) {
	c := mustParse(t, `site: s
defaults:
  health: {path: "/health?key=${KEY}"}
origin: {url: https://o.example.org/}
mirrors:
  - name: a
    url: https://a.example.net/?token=${TOKEN}
`, map[string]string{"TOKEN": token, "KEY": "k"})
	for _, f := range []string{"mirrors[0].url", "mirrors[0].health.path", "origin.health.path"} {
		if !c.Secret(f) {
			t.Errorf("Secret(%q) = false, want true", f)
		}
	}
	if c.Secret("mirrors[0].name") || c.Secret("site") {
		t.Error("plain values marked secret")
	}
	if got := Redact(c.Mirrors[0].URL); strings.Contains(got, token) || got != "https://a.example.net/?token=REDACTED" {
		t.Errorf("Redact = %q", got)
	}
	// Validate on a parsed config hides secrets too.
	c.Mirrors[0].URL.Scheme = "ftp"
	err := c.Validate()
	if err == nil || strings.Contains(err.Error(), token) || !strings.Contains(err.Error(), "value from ${TOKEN}") {
		t.Errorf("Validate: %v", err)
	}
}

func TestRedact(t *testing.T) {
	cases := map[string]string{
		"https://m.example/":                              "https://m.example/",
		"https://user:pw@m.example/x":                     "https://REDACTED@m.example/x",
		"https://tok@m.example/":                          "https://REDACTED@m.example/",
		"https://m.example/send?access_token=T&sign=S&ok": "https://m.example/send?access_token=REDACTED&sign=REDACTED&REDACTED",
		"https://m.example/cb#access_token=T":             "https://m.example/cb#REDACTED",
	}
	for in, want := range cases {
		u, err := url.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := Redact(u); got != want {
			t.Errorf("Redact(%s) = %s, want %s", in, got, want)
		}
		if u.String() != in {
			t.Errorf("Redact changed its argument: %s", u)
		}
	}
	if Redact(nil) != "" {
		t.Error("Redact(nil) != \"\"")
	}
}

func TestMaskHidesEverySecretValue(t *testing.T) {
	text := base + "notify:\n  channels:\n    - {name: ops, kind: slack, url: \"https://hooks.slack.com/services/${HOOK}\"}\n"
	c := mustParse(t, text, map[string]string{"HOOK": "T000/B000/XXXXsecret"})
	got := c.Mask("POST https://hooks.slack.com/services/T000/B000/XXXXsecret failed")
	if strings.Contains(got, "XXXXsecret") || !strings.Contains(got, Redacted) {
		t.Fatalf("Mask = %q", got)
	}
}
