package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// dingTalkMaxBytes is the largest message DingTalk takes (errcode 460101
// beyond it).
const dingTalkMaxBytes = 20000

// dingTalkRetryable: -1 system busy, 130101 more than 20 posts a minute
// (the dispatcher keeps under it; this is a safety net).
var dingTalkRetryable = map[int64]bool{-1: true, 130101: true}

// dingTalk posts to a custom robot as markdown or text. A mention needs both
// the at object and "@mobile" in the text, or nobody is notified.
type dingTalk struct {
	base
	format string
}

type dtAt struct {
	AtMobiles []string `json:"atMobiles,omitempty"`
	AtUserIDs []string `json:"atUserIds,omitempty"`
	IsAtAll   bool     `json:"isAtAll,omitempty"`
}

type dtMessage struct {
	MsgType string `json:"msgtype"`
	Text    *struct {
		Content string `json:"content"`
	} `json:"text,omitempty"`
	Markdown *struct {
		Title string `json:"title"`
		Text  string `json:"text"`
	} `json:"markdown,omitempty"`
	At *dtAt `json:"at,omitempty"`
}

// atText is the "@…" line the body must carry for each mention.
func (c *dingTalk) atText() string {
	m := c.cfg.Mentions
	var parts []string
	for _, x := range m.Mobiles {
		parts = append(parts, "@"+x)
	}
	for _, x := range m.UserIDs {
		parts = append(parts, "@"+x)
	}
	if m.All {
		parts = append(parts, "@all")
	}
	return strings.Join(parts, " ")
}

func (c *dingTalk) message(p Post) dtMessage {
	title, text := p.shown()
	at := c.atText()
	msg := dtMessage{MsgType: c.format}
	if c.format == "text" {
		body := joinNonEmpty("\n\n", title, plainBody(text), at)
		msg.Text = &struct {
			Content string `json:"content"`
		}{body}
	} else {
		head := ""
		if title != "" {
			head = "#### " + title
		}
		msg.Markdown = &struct {
			Title string `json:"title"`
			Text  string `json:"text"`
		}{Title: title, Text: joinNonEmpty("\n\n", head, markdownBody(text), at)}
	}
	if m := c.cfg.Mentions; m.All || len(m.Mobiles) > 0 || len(m.UserIDs) > 0 {
		msg.At = &dtAt{AtMobiles: m.Mobiles, AtUserIDs: m.UserIDs, IsAtAll: m.All}
	}
	return msg
}

// content is what DingTalk measures and searches for the keyword.
func (m dtMessage) content() string {
	if m.Text != nil {
		return m.Text.Content
	}
	return m.Markdown.Title + "\n" + m.Markdown.Text
}

func (c *dingTalk) Payload(p Post) ([]byte, error) { return json.Marshal(c.message(p)) }

func (c *dingTalk) Warnings(p Post) []string {
	var w []string
	if k := c.keywordMissing(p.shown()); k != "" {
		w = append(w, k)
	}
	if n := len(c.message(p).content()); n > dingTalkMaxBytes {
		w = append(w, fmt.Sprintf("message is %d bytes: DingTalk takes at most %d", n, dingTalkMaxBytes))
	}
	return append(w, emptyWarning(p)...)
}

// Send checks the keyword first (DingTalk would refuse the post with
// errcode 310000), signs when a secret is set, and reads errcode.
func (c *dingTalk) Send(ctx context.Context, p Post) error {
	if k := c.keywordMissing(p.shown()); k != "" {
		return localError(c.cfg.Name, c.kind, "%s", k)
	}
	body, err := c.Payload(p)
	if err != nil {
		return localError(c.cfg.Name, c.kind, "encode message: %v", err)
	}
	target := c.cfg.URL
	if c.cfg.Secret != "" {
		ts, sign := dingTalkSign(c.cfg.Secret, c.clock.Now())
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + "timestamp=" + ts + "&sign=" + url.QueryEscape(sign)
	}
	a, err := postJSON(ctx, c.client, target, body, nil)
	if err != nil {
		return c.netErr(err)
	}
	return c.robotResult(a, dingTalkRetryable)
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

// emptyWarning flags a post with nothing to say, which every platform
// refuses.
func emptyWarning(p Post) []string {
	if strings.TrimSpace(p.Title) == "" && strings.TrimSpace(p.Text) == "" {
		return []string{"the post has no title and no text"}
	}
	return nil
}
