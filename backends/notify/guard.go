package notify

import (
	"context"
	"errors"
	"net/url"
	"sort"
	"strings"

	"warroom/backends/config"
	"warroom/backends/textsafe"
)

// guarded is a channel whose errors never quote its own secrets or carry
// terminal controls: a platform's answer may echo the URL it was sent to.
type guarded struct {
	Channel
	secrets []string // longest first
}

func (g *guarded) Send(ctx context.Context, p Post) error {
	err := g.Channel.Send(ctx, p)
	var e *Error
	if err == nil || !errors.As(err, &e) {
		return err
	}
	c := *e
	c.Text = g.hide(textsafe.Line(c.Text))
	c.Code = g.hide(textsafe.Line(c.Code))
	return &c
}

func (g *guarded) hide(s string) string {
	for _, v := range g.secrets {
		s = strings.ReplaceAll(s, v, config.Redacted)
	}
	return s
}

// minSecret keeps short path words ("v2", "hook") from being masked.
const minSecret = 4

// secretsOf lists what an answer must not show of channel c: the URL's
// secret parts (what maskURL hides: user info, query values, the path after
// the kind's public prefix), whole and escaped, the signing secret and the
// header values.
func secretsOf(c config.Channel, u *url.URL) []string {
	var out []string
	add := func(vs ...string) {
		for _, v := range vs {
			for _, s := range []string{v, url.QueryEscape(v), url.PathEscape(v)} {
				if len(s) >= minSecret && !contains(out, s) {
					out = append(out, s)
				}
			}
		}
	}
	add(c.URL, u.String(), c.Secret, c.Pager.RoutingKey, c.Mail.Password)
	if p, ok := u.User.Password(); ok {
		add(p)
	}
	add(u.User.Username())
	for _, vs := range u.Query() {
		add(vs...)
	}
	segs := strings.Split(strings.TrimPrefix(u.Path, "/"), "/")
	if keep := keptPath[c.Kind]; len(segs) > keep {
		add(segs[keep:]...)
		add(strings.Join(segs[keep:], "/"))
	}
	for _, v := range c.Headers {
		add(v)
		add(strings.Fields(v)...) // the token of "Bearer <token>"
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}
