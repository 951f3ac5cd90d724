package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"warroom/backends/config"
	"warroom/backends/notify/notifytest"
)

// TestAnnounceCommandReachesFourPlatforms sends one template through the
// real binary's code path to receivers that check each platform's payload
// and, for DingTalk and Feishu, the signature the way the platform does.
func TestAnnounceCommandReachesFourPlatforms(t *testing.T) {
	f := startFleet(t, 2)
	f.Mirrors()[0].SetDown(true)
	slack := notifytest.StartSlack(t)
	ding := notifytest.StartDingTalk(t, "SECding-secret-1234", "recovery")
	wecom := notifytest.StartWeCom(t)
	feishu := notifytest.StartFeishu(t, "feishu-secret-5678")
	cfg := fleetConfig(t, f)
	appendFile(t, cfg, fmt.Sprintf(`notify:
  contact: "#bridge"
  channels:
    - {name: ops, kind: slack, url: %q, public: true}
    - {name: ding, kind: dingtalk, url: %q, secret: "${DING_SECRET}", keyword: recovery}
    - {name: wecom, kind: wecom, url: %q}
    - {name: feishu, kind: feishu, url: %q, secret: "${FEISHU_SECRET}"}
`, slack.URL(), ding.URL(), wecom.URL(), feishu.URL()))
	t.Setenv("DING_SECRET", "SECding-secret-1234")
	t.Setenv("FEISHU_SECRET", "feishu-secret-5678")

	code, out, errOut := runCmd(t, "", "announce", "--config", cfg, "--template", "investigating", "--dry-run")
	if code != 0 || !strings.Contains(out, "--- ding (dingtalk)") || !strings.Contains(out, "dry run: nothing was sent") {
		t.Fatalf("dry run: %d\n%s%s", code, out, errOut)
	}
	for _, secret := range []string{"SECding-secret-1234", "feishu-secret-5678", ding.Token()} {
		if strings.Contains(out+errOut, secret) {
			t.Fatalf("dry run printed a secret %q:\n%s", secret, out)
		}
	}
	if n := len(slack.Posts()) + len(ding.Posts()); n != 0 {
		t.Fatalf("dry run sent %d posts", n)
	}

	code, out, errOut = runCmd(t, "", "announce", "--config", cfg, "--template", "investigating",
		"--set", "ExpectedRecovery=04:30 UTC", "--yes")
	if code != 0 {
		t.Fatalf("announce: %d\n%s%s", code, out, errOut)
	}
	for _, ch := range []string{"ops: sent", "ding: sent", "wecom: sent", "feishu: sent"} {
		if !strings.Contains(out, ch) {
			t.Fatalf("output lacks %q:\n%s", ch, out)
		}
	}
	down := f.Mirrors()[0].Name
	for name, r := range map[string]*notifytest.Receiver{"slack": slack, "dingtalk": ding, "wecom": wecom, "feishu": feishu} {
		posts := r.Posts()
		if len(posts) != 1 {
			t.Fatalf("%s received %d posts", name, len(posts))
		}
		if text := posts[0].Text(); !strings.Contains(text, down) || !strings.Contains(text, "04:30 UTC") {
			t.Fatalf("%s post lacks the down mirror %s or the --set field:\n%s", name, down, text)
		}
	}
	// Nothing secret reached the journal either.
	c, err := config.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	journalText, err := os.ReadFile(journalPath(c))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"SECding-secret-1234", "feishu-secret-5678", ding.Token(), wecom.Token()} {
		if strings.Contains(string(journalText), secret) {
			t.Fatalf("the journal holds the secret %q", secret)
		}
	}
	if !strings.Contains(string(journalText), `"kind":"post.sent"`) {
		t.Fatal("the journal has no post.sent record")
	}
	// The same announcement again is refused: it was already sent.
	code, _, errOut = runCmd(t, "", "announce", "--config", cfg, "--template", "investigating",
		"--set", "ExpectedRecovery=04:30 UTC", "--yes")
	if code != 2 || !strings.Contains(errOut, "already posted") || len(slack.Posts()) != 1 {
		t.Fatalf("second identical announce: code %d, %s, slack has %d", code, errOut, len(slack.Posts()))
	}
}
