package main

import (
	"slices"
	"testing"
	"time"

	"warroom/backends/sim"
)

// The demo routes critical alerts to Slack and its pager with a short
// group_wait, escalating to DingTalk, and the config passes the checks.
func TestDemoRoutesCriticalAlertsToItsPager(t *testing.T) {
	fleet, err := sim.Start(sim.Options{Mirrors: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer fleet.Close()
	chat, err := sim.StartChat()
	if err != nil {
		t.Fatal(err)
	}
	defer chat.Close()
	cfg := demoConfig(fleet, t.TempDir())
	router, err := demoRouter(fleet, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer router.Close()
	demoActions(cfg, router, chat)
	if err := cfg.Validate(); err != nil {
		t.Fatalf("demo config: %v", err)
	}
	rs := cfg.Alerting.Routes
	if len(rs) != 1 || !slices.Equal(rs[0].Receivers, []string{"ops-slack", "demo-pager"}) ||
		!slices.Equal(rs[0].Escalate, []string{"ops-dingtalk"}) || rs[0].GroupWait > 10*time.Second {
		t.Errorf("demo routes = %+v", rs)
	}
}
