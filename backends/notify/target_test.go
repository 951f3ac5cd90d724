package notify

import (
	"strings"
	"testing"

	"warroom/backends/config"
)

func TestTargetMasksTokens(t *testing.T) {
	cases := map[string][2]string{
		"slack":    {"https://hooks.slack.com/services/T000/B000/XXXXsecret", "https://hooks.slack.com/services/REDACTED"},
		"dingtalk": {"https://oapi.dingtalk.com/robot/send?access_token=abc123", "https://oapi.dingtalk.com/robot/send?access_token=REDACTED"},
		"wecom":    {"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-123", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=REDACTED"},
		"feishu":   {"https://open.feishu.cn/open-apis/bot/v2/hook/0000-token", "https://open.feishu.cn/open-apis/bot/v2/hook/REDACTED"},
		"webhook":  {"https://user:pw@alerts.example.org/hooks/abc/def?x=1", "https://REDACTED@alerts.example.org/hooks/REDACTED?x=REDACTED"},
	}
	for kind, c := range cases {
		ch, err := New(config.Channel{Name: kind, Kind: kind, URL: c[0]}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if ch.Target() != c[1] {
			t.Errorf("%s: target %q, want %q", kind, ch.Target(), c[1])
		}
	}
}

func TestNewRefusesBadChannels(t *testing.T) {
	for _, c := range []struct {
		ch   config.Channel
		want string
	}{
		{config.Channel{Name: "a", Kind: "teams", URL: "https://x.example/"}, `kind "teams"`},
		{config.Channel{Name: "b", Kind: "slack", URL: "hooks.slack.com/x"}, `channel "b": url is not an http(s) URL`},
		{config.Channel{Name: "c", Kind: "feishu", URL: "https://x.example/", Format: "markdown", Line: 9}, `channel "c" (line 9): format "markdown" is not one feishu supports; use one of card, post, text`},
		{config.Channel{Kind: "slack", URL: "https://x.example/"}, "no name"},
	} {
		_, err := New(c.ch, Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.ch, err, c.want)
		}
	}
}
