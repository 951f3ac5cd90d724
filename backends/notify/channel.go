package notify

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
)

// DefaultTimeout bounds one request when the channel sets none.
const DefaultTimeout = 10 * time.Second

// New builds the channel c describes. It checks what can be checked
// without sending: the kind, the URL, the format, a webhook's body template.
func New(c config.Channel, opts Options) (Channel, error) {
	where := channelWhere(c)
	if c.Name == "" {
		return nil, fmt.Errorf("%s: no name; give every channel a name", where)
	}
	if c.Kind == config.ChannelEmail {
		ch, err := newEmail(c, opts, where)
		if err != nil {
			return nil, err
		}
		return &guarded{Channel: ch, secrets: secretsOf(c, &url.URL{})}, nil
	}
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%s: url is not an http(s) URL; set the webhook URL the platform gave you", where)
	}
	b := base{cfg: c, kind: c.Kind, clock: opts.Clock, client: opts.Client}
	if b.clock == nil {
		b.clock = clockwork.NewRealClock()
	}
	if b.client == nil {
		t := c.Timeout
		if t <= 0 {
			t = DefaultTimeout
		}
		b.client = &http.Client{Timeout: t}
	}
	b.target = maskURL(u, c.Kind)
	format := ""
	if c.Kind != config.ChannelPager { // one payload, no formats
		if format, err = pickFormat(c.Kind, c.Format); err != nil {
			return nil, fmt.Errorf("%s: %v", where, err)
		}
	}
	var ch Channel
	switch c.Kind {
	case config.ChannelSlack:
		ch = &slackChannel{base: b}
	case config.ChannelDingTalk:
		ch = &dingTalk{base: b, format: format}
	case config.ChannelWeCom:
		ch = &weCom{base: b, format: format}
	case config.ChannelFeishu:
		ch = &feishu{base: b, format: format}
	case config.ChannelWebhook:
		if ch, err = newWebhook(b, where); err != nil {
			return nil, err
		}
	case config.ChannelPager:
		if c.Pager.RoutingKey == "" {
			return nil, fmt.Errorf("%s: no routing_key; give the service's Events API v2 integration key", where)
		}
		ch = &pagerDuty{base: b}
	default:
		return nil, fmt.Errorf("%s: kind %q is not one of %s", where, c.Kind, kindList)
	}
	return &guarded{Channel: ch, secrets: secretsOf(c, u)}, nil
}

// channelWhere names a channel in errors: `channel "ops" (line 12)`.
func channelWhere(c config.Channel) string {
	s := fmt.Sprintf("channel %q", c.Name)
	if c.Line > 0 {
		s += fmt.Sprintf(" (line %d)", c.Line)
	}
	return s
}

// kindList names every channel kind, for errors.
const kindList = "slack, dingtalk, wecom, feishu, webhook, pagerduty, email"

// formats lists each kind's formats, the default first.
var formats = map[string][]string{
	config.ChannelSlack:    {"blocks"},
	config.ChannelDingTalk: {"markdown", "text"},
	config.ChannelWeCom:    {"markdown", "text"},
	config.ChannelFeishu:   {"card", "post", "text"},
	config.ChannelWebhook:  {"json"},
}

func pickFormat(kind, format string) (string, error) {
	fs, ok := formats[kind]
	if !ok {
		return "", fmt.Errorf("kind %q is not one of %s", kind, kindList)
	}
	if format == "" {
		return fs[0], nil
	}
	for _, f := range fs {
		if f == format {
			return f, nil
		}
	}
	return "", fmt.Errorf("format %q is not one %s supports; use one of %s", format, kind, strings.Join(fs, ", "))
}

// base is what every channel shares.
type base struct {
	cfg    config.Channel
	kind   string
	target string
	client *http.Client
	clock  clockwork.Clock
}

func (b *base) Name() string   { return b.cfg.Name }
func (b *base) Kind() string   { return b.kind }
func (b *base) Target() string { return b.target }

// netErr is a network failure on this channel, named by its masked target.
func (b *base) netErr(err error) *Error { return networkError(b.cfg.Name, b.kind, b.target, err) }

// keywordMissing is the warning and the refusal when a robot's security
// keyword is absent: the platform would reject the post anyway.
func (b *base) keywordMissing(title, text string) string {
	k := b.cfg.Keyword
	if k == "" || strings.Contains(title, k) || strings.Contains(text, k) {
		return ""
	}
	return fmt.Sprintf("keyword %q is missing: the robot rejects posts without it; put it in the title or text", k)
}
