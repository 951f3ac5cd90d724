package actions_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"warroom/backends/actions"
	"warroom/backends/config"
)

// A template that would exhaust memory fails Check (which `warroom check`
// runs) and Plan quickly, naming the field.
func TestRunawayTemplatesAreBounded(t *testing.T) {
	boom := "{{range 100000000}}xxxxxxxx{{end}}"
	cases := []config.Executor{
		{Name: "deploy", Exec: &config.ExecExecutor{Command: []string{"sh", "-c", "true", "sh", boom}}},
		{Name: "api", HTTP: &config.HTTPExecutor{URL: "http://127.0.0.1:1/switch", Body: boom}},
	}
	for _, c := range cases {
		start := time.Now()
		x := mustNew(t, c, nil, nil)
		err := x.Check(context.Background())
		if err == nil || !strings.Contains(err.Error(), "output is over 64 KiB") || !strings.Contains(err.Error(), c.Name) {
			t.Errorf("%s: check: %v", c.Name, err)
		}
		if _, err := x.Plan(actions.Op{Action: actions.ActionFailover, From: "a", To: "b"}); err == nil || !strings.Contains(err.Error(), "output is over") {
			t.Errorf("%s: plan: %v", c.Name, err)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("%s: took %s", c.Name, took)
		}
	}
}
