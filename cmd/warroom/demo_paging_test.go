package main

import (
	"slices"
	"testing"
	"time"
)

// The demo routes critical alerts to Slack and its pager with a short
// group_wait, escalating to DingTalk, and the config passes the checks.
func TestDemoRoutesCriticalAlertsToItsPager(t *testing.T) {
	cfg := demoSetup(t, 3, nil)
	if err := cfg.Validate(); err != nil {
		t.Fatalf("demo config: %v", err)
	}
	rs := cfg.Alerting.Routes
	if len(rs) != 1 || !slices.Equal(rs[0].Receivers, []string{"ops-slack", "demo-pager"}) ||
		!slices.Equal(rs[0].Escalate, []string{"ops-dingtalk"}) || rs[0].GroupWait > 10*time.Second {
		t.Errorf("demo routes = %+v", rs)
	}
}
