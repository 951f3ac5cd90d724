package main

import (
	"context"
	"io"
	"testing"
	"time"

	"warroom/backends/config"
	"warroom/backends/room"
	"warroom/backends/sim"
)

// demoSetup is the demo's config over n simulated mirrors, its router and
// chat stand-ins (closed at cleanup); tune runs before the router starts.
func demoSetup(t *testing.T, n int, tune func(*config.Config)) *config.Config {
	t.Helper()
	fleet, err := sim.Start(sim.Options{Mirrors: n})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fleet.Close() })
	chat, err := sim.StartChat()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(chat.Close)
	cfg := demoConfig(fleet, t.TempDir())
	if tune != nil {
		tune(cfg)
	}
	router, err := demoRouter(fleet, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(router.Close)
	demoActions(cfg, router, chat)
	return cfg
}

// The demo's router answers show stat: every mirror shows its users'
// traffic, and the seventh, probing fine, serves 12 % 5xx and raises
// mirror-5xx (the sustain time cut to a millisecond here; the demo's is 10s).
func TestDemoShowsUsersTrafficAndA5xxAlert(t *testing.T) {
	cfg := demoSetup(t, 8, func(c *config.Config) { c.Thresholds.Sustain = time.Millisecond })
	l, err := startLive(context.Background(), cfg, liveOptions{demo: true}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	bad := cfg.Mirrors[6].Name
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := l.room.Snapshot()
		var counted int
		for _, m := range s.Mirrors {
			if m.Traffic != nil && m.Traffic.Err == "" && m.Traffic.ReqRate > 0 {
				counted++
			}
		}
		a := alertByID(s, "mirror-5xx/"+bad)
		if a != nil && counted == len(s.Mirrors) {
			if tv := mirrorByName(s, bad).Traffic; tv.Share5xx < 0.08 || tv.Share5xx > 0.16 {
				t.Errorf("%s serves %.0f %% 5xx, want about 12 %%", bad, tv.Share5xx*100)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30s: %d of %d mirrors with traffic, alert %v; alerts %+v", counted, len(s.Mirrors), a, s.Alerts)
		}
		time.Sleep(100 * time.Millisecond) // polling interval: the router's model counts with real time
	}
}

func alertByID(s *room.Snapshot, id string) *room.Alert {
	for i := range s.Alerts {
		if s.Alerts[i].ID == id {
			return &s.Alerts[i]
		}
	}
	return nil
}

func mirrorByName(s *room.Snapshot, name string) *room.MirrorView {
	for _, m := range s.Mirrors {
		if m.Name == name {
			return m
		}
	}
	return nil
}
