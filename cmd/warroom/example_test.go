package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"warroom/keymaps"
)

// exampleEnv holds a plausible value for each variable the shipped example
// reads; a variable added to the example must be added here.
var exampleEnv = map[string]string{
	"PARTNER_MIRROR_TOKEN": "partner-token-123",
	"WARROOM_TSIG":         "c2VjcmV0LXRzaWcta2V5LTEyMzQ1Njc4",
	"DEPLOY_API_TOKEN":     "deploy-token-123",
	"OPS_SLACK_WEBHOOK":    "https://hooks.slack.com/services/T0/B0/abc",
	"DING_URL":             "https://oapi.dingtalk.com/robot/send?access_token=abc123",
	"DING_SECRET":          "SECabc123456",
	"DRILL_SLACK_WEBHOOK":  "https://hooks.slack.com/services/T0/B1/def",
	"PD_ROUTING_KEY":       "0123456789abcdef0123456789abcdef",
	"SMTP_PASSWORD":        "smtp-password-123",
	"SMS_GATEWAY_URL":      "https://sms.example.com/api/send",
	"SMS_GATEWAY_TOKEN":    "sms-token-123",
}

// The shipped example documents every section and passes check's own
// validation (the file, keys, theme and templates; the executors' live
// probes aside) with its variables set.
func TestShippedExamplePassesCheck(t *testing.T) {
	path := filepath.Join("..", "..", "examples", "warroom.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ref := regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue // the comments explain ${NAME}
		}
		for _, m := range ref.FindAllStringSubmatch(line, -1) {
			v, ok := exampleEnv[m[1]]
			if !ok {
				t.Fatalf("the example reads ${%s}: give it a value in exampleEnv", m[1])
			}
			t.Setenv(m[1], v)
		}
	}
	t.Setenv("HOME", t.TempDir())

	var top map[string]yaml.Node
	if err := yaml.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	for _, section := range []string{"site", "state_dir", "theme", "keymap", "keys", "defaults", "origin", "mirrors",
		"thresholds", "hosts", "actions", "notify", "incident", "serve"} {
		if _, ok := top[section]; !ok {
			t.Errorf("the example leaves out %s:", section)
		}
	}
	if strings.Contains(string(data), " -config") {
		t.Error("the example says -config; the flag is --config")
	}

	s, err := load(roomFlags{config: path})
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	if _, err := buildTemplates(s.cfg); err != nil {
		t.Fatalf("check: templates: %v", err)
	}
	c := s.cfg
	if len(c.Actions.Executors) != 4 || c.Actions.Failover == "" || len(c.Notify.Channels) == 0 || len(c.Serve.Users) == 0 {
		t.Errorf("the example does not show executors of every kind, a failover, channels and users: %+v", c.Actions)
	}
}

// The example's comment above keys: lists every action a key can be bound
// to, so a newcomer never has to guess a name: it must match the keymap.
func TestShippedExampleListsEveryKeyAction(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "warroom.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start := strings.Index(text, "# Override single bindings")
	end := strings.Index(text, "\nkeys:")
	if start < 0 || end < start {
		t.Fatal("the example has no comment above keys:")
	}
	listed := map[string]bool{}
	for _, w := range strings.FieldsFunc(text[start:end], func(r rune) bool { return r == ' ' || r == '\n' || r == '#' || r == ',' || r == '.' }) {
		listed[w] = true
	}
	km, err := keymaps.ByName("")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range km.Actions() {
		if strings.HasPrefix(a.Name, "pane_") {
			continue // listed as pane_1…pane_9
		}
		if !listed[a.Name] {
			t.Errorf("the example's keys comment does not list %q", a.Name)
		}
	}
}
