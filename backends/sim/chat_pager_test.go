package sim

import (
	"context"
	"strings"
	"testing"
	"time"

	"warroom/backends/config"
	"warroom/backends/notify"
)

// The demo's chat stand-in takes the pagerduty channel's events, counted
// like the other platforms' posts.
func TestChatTakesPagerDutyEvents(t *testing.T) {
	c, err := StartChat()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ch, err := notify.New(config.Channel{Name: "pd", Kind: config.ChannelPager, URL: c.URL("pagerduty"),
		Pager: config.Pager{RoutingKey: strings.Repeat("d", 32)}}, notify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, action := range []string{notify.PageTrigger, notify.PageResolve} {
		p := notify.Post{ID: "p1", Title: "[FIRING 1] demo: tokyo down",
			Page: &notify.Page{Action: action, DedupKey: "k-1", Severity: "critical", Source: "demo"}}
		if err := ch.Send(ctx, p); err != nil {
			t.Fatalf("%s: %v", action, err)
		}
	}
	if n := c.Received("pagerduty"); n != 2 {
		t.Errorf("received %d events, want 2", n)
	}
}
