package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// Slack's limits on an incoming webhook message.
const (
	slackMaxBlocks  = 50
	slackMaxSection = 3000
	slackMaxHeader  = 150
	slackMaxText    = 40000
)

// slackChannel posts through an incoming webhook: a header block, one
// section per paragraph, dividers between merged posts, and the whole post
// as the fallback text notifications show.
type slackChannel struct{ base }

func (c *slackChannel) message(p Post) *slack.WebhookMessage {
	title, text := p.shown()
	var blocks []slack.Block
	if title != "" {
		blocks = append(blocks, slack.NewHeaderBlock(
			slack.NewTextBlockObject(slack.PlainTextType, truncRunes(title, slackMaxHeader), true, false)))
	}
	first := true
	for _, para := range paragraphs(text) {
		if para == "---" {
			blocks = append(blocks, slack.NewDividerBlock())
			continue
		}
		md := slackMrkdwn(para)
		if first {
			md = c.mentions() + md
			first = false
		}
		for _, chunk := range chunkRunes(md, slackMaxSection) {
			blocks = append(blocks, slack.NewSectionBlock(
				slack.NewTextBlockObject(slack.MarkdownType, chunk, false, false), nil, nil))
		}
	}
	fallback := slackEscape(title)
	if body := slackMrkdwn(markdownBody(text)); body != "" {
		fallback += "\n" + body
	}
	msg := &slack.WebhookMessage{Text: truncRunes(fallback, slackMaxText)}
	if len(blocks) > 0 {
		msg.Blocks = &slack.Blocks{BlockSet: blocks}
	}
	return msg
}

// mentions is Slack's notation for the configured mentions.
func (c *slackChannel) mentions() string {
	var b strings.Builder
	if c.cfg.Mentions.All {
		b.WriteString("<!channel> ")
	}
	for _, u := range c.cfg.Mentions.UserIDs {
		b.WriteString("<@" + u + "> ")
	}
	return b.String()
}

func (c *slackChannel) Payload(p Post) ([]byte, error) { return json.Marshal(c.message(p)) }

func (c *slackChannel) Warnings(p Post) []string {
	title, text := p.shown()
	var w []string
	if n := utf8.RuneCountInString(title); n > slackMaxHeader {
		w = append(w, fmt.Sprintf("title is %d characters: Slack headers hold %d, the rest is cut", n, slackMaxHeader))
	}
	for i, para := range paragraphs(text) {
		if n := utf8.RuneCountInString(slackMrkdwn(para)); n > slackMaxSection {
			w = append(w, fmt.Sprintf("paragraph %d is %d characters: Slack sections hold %d, so it is split into several", i+1, n, slackMaxSection))
		}
	}
	msg := c.message(p)
	if msg.Blocks != nil && len(msg.Blocks.BlockSet) > slackMaxBlocks {
		w = append(w, fmt.Sprintf("%d blocks: Slack rejects more than %d (invalid_blocks); shorten the post or use fewer paragraphs", len(msg.Blocks.BlockSet), slackMaxBlocks))
	}
	if len(c.cfg.Mentions.Mobiles) > 0 {
		w = append(w, "Slack cannot mention by mobile number; the mobiles are ignored")
	}
	return w
}

// Send posts through slack-go with our client. slack-go drops the body of
// an error answer, so the transport keeps a copy for the error text.
func (c *slackChannel) Send(ctx context.Context, p Post) error {
	tap := &tapTransport{base: c.client.Transport}
	client := *c.client
	client.Transport = tap
	err := slack.PostWebhookCustomHTTPContext(ctx, c.cfg.URL, &client, c.message(p))
	if err == nil {
		return nil
	}
	if tap.got == nil {
		return c.netErr(unwrapSlack(err))
	}
	a := &answer{status: tap.got.StatusCode, header: tap.got.Header, body: tap.body.Bytes()}
	if a.status == http.StatusOK {
		// An answer slack-go refused for another reason (an unreadable
		// Retry-After on a 200 cannot happen; keep its words anyway).
		return &Error{Channel: c.cfg.Name, Kind: c.kind, Status: a.status, Text: err.Error()}
	}
	return httpFailure(c.cfg.Name, c.kind, a, c.clock)
}

// unwrapSlack removes slack-go's "failed to post webhook:" wrapper so the
// network error (and its URL) can be handled like the others.
func unwrapSlack(err error) error {
	if u := errors.Unwrap(err); u != nil {
		return u
	}
	return err
}

// tapTransport records the response and tees its body as the caller reads.
type tapTransport struct {
	base http.RoundTripper
	got  *http.Response
	body bytes.Buffer
}

func (t *tapTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt := t.base
	if rt == nil {
		rt = http.DefaultTransport
	}
	resp, err := rt.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	t.got = resp
	resp.Body = &teeBody{rc: resp.Body, w: &limitedBuffer{b: &t.body, n: maxAnswer}}
	return resp, nil
}

type teeBody struct {
	rc io.ReadCloser
	w  io.Writer
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.rc.Read(p)
	_, _ = t.w.Write(p[:n])
	return n, err
}

func (t *teeBody) Close() error { return t.rc.Close() }

// limitedBuffer keeps the first n bytes written and drops the rest.
type limitedBuffer struct {
	b *bytes.Buffer
	n int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.n - l.b.Len(); room > 0 {
		l.b.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// truncRunes cuts s to at most n characters, marking the cut.
func truncRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// chunkRunes splits s into pieces of at most n characters, preferring to
// break after a newline or a space.
func chunkRunes(s string, n int) []string {
	r := []rune(s)
	var out []string
	for len(r) > n {
		cut := n
		for i := n; i > n/2; i-- {
			if r[i-1] == '\n' || r[i-1] == ' ' {
				cut = i
				break
			}
		}
		out = append(out, string(r[:cut]))
		r = r[cut:]
	}
	return append(out, string(r))
}
