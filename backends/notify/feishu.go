package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// feishuMaxBody is the largest request a Feishu custom bot takes.
const feishuMaxBody = 20 << 10

// feishuRetryable: 9499 too many requests, 11232/11233 frequency limited.
var feishuRetryable = map[int64]bool{9499: true, 11232: true, 11233: true}

// feishu posts to a Feishu/Lark custom bot as an interactive card, a rich
// text post or plain text. Its signature goes in the JSON body.
type feishu struct {
	base
	format string
}

type fsMessage struct {
	Timestamp string `json:"timestamp,omitempty"`
	Sign      string `json:"sign,omitempty"`
	MsgType   string `json:"msg_type"`
	Content   any    `json:"content,omitempty"`
	Card      any    `json:"card,omitempty"`
}

type fsElem = map[string]any

func (c *feishu) message(p Post) fsMessage {
	title, text := p.shown()
	switch c.format {
	case "text":
		body := joinNonEmpty("\n\n", title, plainBody(text), c.atText())
		return fsMessage{MsgType: "text", Content: map[string]string{"text": body}}
	case "post":
		return fsMessage{MsgType: "post", Content: map[string]any{
			"post": map[string]any{"zh_cn": map[string]any{"title": title, "content": c.postRows(text)}},
		}}
	}
	var elems []fsElem
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			elems = append(elems, fsElem{"tag": "markdown", "content": strings.Join(cur, "\n\n")})
			cur = nil
		}
	}
	for _, para := range paragraphs(text) {
		if para == "---" {
			flush()
			elems = append(elems, fsElem{"tag": "hr"})
			continue
		}
		cur = append(cur, para)
	}
	if at := c.cardAt(); at != "" {
		cur = append(cur, at)
	}
	flush()
	colour := "red"
	if p.Drill {
		colour = "grey"
	}
	card := map[string]any{
		"config":   map[string]any{"wide_screen_mode": true},
		"header":   map[string]any{"title": map[string]string{"tag": "plain_text", "content": title}, "template": colour},
		"elements": elems,
	}
	return fsMessage{MsgType: "interactive", Card: card}
}

// postRows is the body as Feishu "post" rows: one per line, spans as text,
// bold text and links.
func (c *feishu) postRows(text string) [][]fsElem {
	var rows [][]fsElem
	for i, para := range paragraphs(text) {
		if i > 0 {
			rows = append(rows, []fsElem{{"tag": "text", "text": ""}})
		}
		if para == "---" {
			rows = append(rows, []fsElem{{"tag": "text", "text": plainRule}})
			continue
		}
		for _, line := range strings.Split(para, "\n") {
			var row []fsElem
			if item, ok := listItem(line); ok {
				row = append(row, fsElem{"tag": "text", "text": "• "})
				line = item
			}
			for _, s := range inline(line) {
				switch s.kind {
				case "bold":
					row = append(row, fsElem{"tag": "text", "text": s.text, "style": []string{"bold"}})
				case "link":
					row = append(row, fsElem{"tag": "a", "text": s.text, "href": s.url})
				default:
					row = append(row, fsElem{"tag": "text", "text": s.text})
				}
			}
			rows = append(rows, row)
		}
	}
	var at []fsElem
	if c.cfg.Mentions.All {
		at = append(at, fsElem{"tag": "at", "user_id": "all"})
	}
	for _, u := range c.cfg.Mentions.UserIDs {
		at = append(at, fsElem{"tag": "at", "user_id": u})
	}
	if len(at) > 0 {
		rows = append(rows, at)
	}
	return rows
}

// atText is Feishu's mention markup in text messages.
func (c *feishu) atText() string {
	var parts []string
	if c.cfg.Mentions.All {
		parts = append(parts, `<at user_id="all">所有人</at>`)
	}
	for _, u := range c.cfg.Mentions.UserIDs {
		parts = append(parts, `<at user_id="`+u+`"></at>`)
	}
	return strings.Join(parts, " ")
}

// cardAt is Feishu's mention markup in card markdown.
func (c *feishu) cardAt() string {
	var parts []string
	if c.cfg.Mentions.All {
		parts = append(parts, "<at id=all></at>")
	}
	for _, u := range c.cfg.Mentions.UserIDs {
		parts = append(parts, "<at id="+u+"></at>")
	}
	return strings.Join(parts, " ")
}

// body encodes the message; with sign set, it carries the timestamp and
// signature a send now would use, else the signature is masked.
func (c *feishu) body(p Post, sign bool) ([]byte, error) {
	msg := c.message(p)
	if c.cfg.Secret != "" {
		ts, s := feishuSign(c.cfg.Secret, c.clock.Now())
		if !sign {
			s = "REDACTED"
		}
		msg.Timestamp, msg.Sign = ts, s
	}
	return json.Marshal(msg)
}

func (c *feishu) Payload(p Post) ([]byte, error) { return c.body(p, false) }

func (c *feishu) Warnings(p Post) []string {
	var w []string
	if k := c.keywordMissing(p.shown()); k != "" {
		w = append(w, k)
	}
	if b, err := c.body(p, true); err == nil && len(b) > feishuMaxBody {
		w = append(w, fmt.Sprintf("request is %d bytes: Feishu takes at most %d", len(b), feishuMaxBody))
	}
	if len(c.cfg.Mentions.Mobiles) > 0 {
		w = append(w, "Feishu bots cannot mention by mobile number; use user ids")
	}
	return append(w, emptyWarning(p)...)
}

// Send checks the keyword first (Feishu would refuse with code 19024),
// signs when a secret is set, and reads code.
func (c *feishu) Send(ctx context.Context, p Post) error {
	if k := c.keywordMissing(p.shown()); k != "" {
		return localError(c.cfg.Name, c.kind, "%s", k)
	}
	body, err := c.body(p, true)
	if err != nil {
		return localError(c.cfg.Name, c.kind, "encode message: %v", err)
	}
	a, err := postJSON(ctx, c.client, c.cfg.URL, body, nil)
	if err != nil {
		return c.netErr(err)
	}
	return c.robotResult(a, feishuRetryable)
}
