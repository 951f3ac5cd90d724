package notify

import (
	"context"
	"encoding/json"
	"fmt"
)

// WeCom's byte limits per message type (errcode 40058 beyond them).
const (
	weComMaxMarkdown = 4096
	weComMaxText     = 2048
)

// weComRetryable: -1 system busy, 45009 more than 20 posts a minute.
var weComRetryable = map[int64]bool{-1: true, 45009: true}

// weCom posts to a group robot. Its key in the URL is the only credential.
type weCom struct {
	base
	format string
}

type wcText struct {
	Content             string   `json:"content"`
	MentionedList       []string `json:"mentioned_list,omitempty"`
	MentionedMobileList []string `json:"mentioned_mobile_list,omitempty"`
}

type wcMessage struct {
	MsgType  string  `json:"msgtype"`
	Text     *wcText `json:"text,omitempty"`
	Markdown *struct {
		Content string `json:"content"`
	} `json:"markdown,omitempty"`
}

func (c *weCom) message(p Post) wcMessage {
	title, text := p.shown()
	m := c.cfg.Mentions
	if c.format == "text" {
		t := &wcText{Content: joinNonEmpty("\n\n", title, plainBody(text))}
		t.MentionedList = append(t.MentionedList, m.UserIDs...)
		t.MentionedMobileList = append(t.MentionedMobileList, m.Mobiles...)
		if m.All {
			t.MentionedList = append(t.MentionedList, "@all")
		}
		return wcMessage{MsgType: "text", Text: t}
	}
	head := ""
	if title != "" {
		head = "## " + title
	}
	at := ""
	for _, u := range m.UserIDs {
		at += "<@" + u + ">"
	}
	return wcMessage{MsgType: "markdown", Markdown: &struct {
		Content string `json:"content"`
	}{joinNonEmpty("\n\n", head, markdownBody(text), at)}}
}

func (c *weCom) Payload(p Post) ([]byte, error) { return json.Marshal(c.message(p)) }

func (c *weCom) Warnings(p Post) []string {
	var w []string
	msg := c.message(p)
	if msg.Text != nil {
		if n := len(msg.Text.Content); n > weComMaxText {
			w = append(w, fmt.Sprintf("text is %d bytes: WeCom text messages hold %d; use format markdown (%d) or shorten it", n, weComMaxText, weComMaxMarkdown))
		}
	} else {
		if n := len(msg.Markdown.Content); n > weComMaxMarkdown {
			w = append(w, fmt.Sprintf("markdown is %d bytes: WeCom takes at most %d", n, weComMaxMarkdown))
		}
		if m := c.cfg.Mentions; m.All || len(m.Mobiles) > 0 {
			w = append(w, "WeCom markdown cannot mention everyone or by mobile; use format text for those mentions")
		}
	}
	if k := c.keywordMissing(p.shown()); k != "" {
		w = append(w, k)
	}
	return append(w, emptyWarning(p)...)
}

func (c *weCom) Send(ctx context.Context, p Post) error {
	body, err := c.Payload(p)
	if err != nil {
		return localError(c.cfg.Name, c.kind, "encode message: %v", err)
	}
	a, err := postJSON(ctx, c.client, c.cfg.URL, body, nil)
	if err != nil {
		return c.netErr(err)
	}
	return c.robotResult(a, weComRetryable)
}
