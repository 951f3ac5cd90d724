package sim

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestChatAnswersLikeEachPlatform(t *testing.T) {
	c, err := StartChat()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for kind, want := range map[string]string{"slack": "ok", "dingtalk": `"errcode":0`, "wecom": `"errcode":0`, "feishu": `"code":0`} {
		resp, err := http.Post(c.URL(kind), "application/json", strings.NewReader(`{"text":"hi"}`))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("%s: %d %s", kind, resp.StatusCode, b)
		}
		if c.Received(kind) != 1 {
			t.Errorf("%s: received %d", kind, c.Received(kind))
		}
	}
	resp, err := http.Post(c.URL("slack"), "application/json", strings.NewReader(`not json`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 || c.Received("slack") != 1 {
		t.Errorf("bad payload: status %d, received %d", resp.StatusCode, c.Received("slack"))
	}
}

func TestScheduledOutageResetsConnectionsThenEnds(t *testing.T) {
	f, clock := startFake(t, Options{Mirrors: 1})
	n := f.Mirrors()[0]
	get := func() error {
		resp, err := http.Get(n.URL + "health")
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	n.ScheduleOutage(20*time.Second, time.Minute)
	if err := get(); err != nil {
		t.Fatalf("before the outage: %v", err)
	}
	clock.Advance(21 * time.Second)
	if err := get(); err == nil {
		t.Fatal("during the outage the node answered")
	}
	clock.Advance(time.Minute)
	if err := get(); err != nil {
		t.Fatalf("after the outage: %v", err)
	}
}
