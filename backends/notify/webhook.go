package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"text/template"

	"warroom/backends/tmplbound"
)

// webhookDefault is the body when the channel gives no template.
const webhookDefault = `{"id":{{json .ID}},"ids":{{json .IDs}},"title":{{json .Title}},"text":{{json .Text}},"drill":{{json .Drill}}}`

// webhook posts a JSON body made by the channel's template to any URL.
type webhook struct {
	base
	body *template.Template
}

// WebhookData is what a webhook body template sees: the post with the
// drill prefix applied, and the body as plain text. Use {{json .Title}} to
// put a value in the JSON correctly quoted.
type WebhookData struct {
	ID    string
	IDs   []string // every id the post carries (one unless merged)
	Title string
	Text  string // the Markdown subset
	Plain string // the text without markup
	Drill bool
}

func newWebhook(b base, where string) (Channel, error) {
	src := b.cfg.Body
	if src == "" {
		src = webhookDefault
	}
	t, err := template.New(b.cfg.Name).Option("missingkey=error").Funcs(tmplbound.Funcs(tmplbound.Default)).Funcs(template.FuncMap{
		"json": func(v any) (string, error) {
			out, err := json.Marshal(v)
			return string(out), err
		},
	}).Parse(src)
	if err != nil {
		return nil, fmt.Errorf("%s: body: %v", where, err)
	}
	tmplbound.Guard(t)
	c := &webhook{base: b, body: t}
	// A template that cannot make JSON is found now, not at the first
	// incident.
	if _, err := c.Payload(Post{ID: "check", Title: `a "title"`, Text: "a\ntext"}); err != nil {
		return nil, fmt.Errorf("%s: %v", where, err)
	}
	return c, nil
}

func (c *webhook) Payload(p Post) ([]byte, error) {
	title, text := p.shown()
	d := WebhookData{ID: p.ID, IDs: p.ids(), Title: title, Text: text, Plain: plainBody(text), Drill: p.Drill}
	out, err := tmplbound.Execute(c.body, d, tmplbound.Default)
	if err != nil {
		return nil, fmt.Errorf("body template: %v", err)
	}
	if !json.Valid([]byte(out)) {
		return nil, fmt.Errorf("body template does not produce JSON (got %.80q); quote values with {{json .Field}}", out)
	}
	return []byte(out), nil
}

func (c *webhook) Warnings(p Post) []string {
	if _, err := c.Payload(p); err != nil {
		return []string{err.Error()}
	}
	return emptyWarning(p)
}

func (c *webhook) Send(ctx context.Context, p Post) error {
	body, err := c.Payload(p)
	if err != nil {
		return localError(c.cfg.Name, c.kind, "%v", err)
	}
	a, err := postJSON(ctx, c.client, c.cfg.URL, body, c.cfg.Headers)
	if err != nil {
		return c.netErr(err)
	}
	if a.status < 200 || a.status > 299 {
		return httpFailure(c.cfg.Name, c.kind, a, c.clock)
	}
	return nil
}
