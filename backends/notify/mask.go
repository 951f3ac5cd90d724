package notify

import (
	"net/url"
	"strings"

	"warroom/backends/config"
)

// keptPath is how many leading path segments of each kind's webhook URL are
// not secret; the rest (Slack's /services/T/B/token, Feishu's /hook/token)
// is replaced. Query values are always replaced (DingTalk's access_token,
// WeCom's key).
var keptPath = map[string]int{
	config.ChannelSlack:    1, // /services/…
	config.ChannelDingTalk: 2, // /robot/send?access_token=…
	config.ChannelWeCom:    3, // /cgi-bin/webhook/send?key=…
	config.ChannelFeishu:   4, // /open-apis/bot/v2/hook/…
	config.ChannelWebhook:  1,
	config.ChannelPager:    2, // /v2/enqueue: the key is in the body
}

// maskURL is u for screens: host and the non-secret start of the path.
func maskURL(u *url.URL, kind string) string {
	c := *u
	segs := strings.Split(strings.TrimPrefix(c.Path, "/"), "/")
	keep := keptPath[kind]
	if len(segs) > keep && !(len(segs) == keep+1 && segs[keep] == "") {
		c.Path = "/" + strings.Join(append(segs[:keep:keep], config.Redacted), "/")
		c.RawPath = ""
	}
	return config.Redact(&c)
}
