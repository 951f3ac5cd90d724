package drill

import (
	"context"

	"warroom/backends/notify"
)

// WebhookFailure is the text of a post failed by a webhook-fail fault.
const WebhookFailure = "drill: webhook failure injected"

// Channel wraps an announcement channel: while a webhook-fail fault names
// it (or names no channel), Send fails with a retryable error reading
// WebhookFailure, so the outbox retries as it would for a real outage,
// and the composer's preview warns. Wrap every channel before drills start;
// a webhook-fail fault for a channel not wrapped is refused.
func (f *Filter) Channel(ch notify.Channel) notify.Channel {
	f.mu.Lock()
	f.channels[ch.Name()] = true
	f.mu.Unlock()
	return &failingChannel{Channel: ch, f: f}
}

// Channels wraps each of chs (see Channel).
func (f *Filter) Channels(chs []notify.Channel) []notify.Channel {
	out := make([]notify.Channel, len(chs))
	for i, ch := range chs {
		out[i] = f.Channel(ch)
	}
	return out
}

// failing reports whether posts to channel fail now.
func (f *Filter) failing(channel string) bool {
	return len(f.applying(func(a *filtered) bool {
		return a.fault.Kind == KindWebhookFail && (a.fault.Channel == "" || a.fault.Channel == channel)
	})) > 0
}

type failingChannel struct {
	notify.Channel
	f *Filter
}

// Send fails while a webhook fault is applied to the channel.
func (c *failingChannel) Send(ctx context.Context, p notify.Post) error {
	if c.f.failing(c.Name()) {
		return &notify.Error{Channel: c.Name(), Kind: c.Kind(), Text: WebhookFailure, Retryable: true}
	}
	return c.Channel.Send(ctx, p)
}

// Warnings adds the injected failure to the channel's own warnings.
func (c *failingChannel) Warnings(p notify.Post) []string {
	w := c.Channel.Warnings(p)
	if c.f.failing(c.Name()) {
		w = append(w, WebhookFailure+": posts here fail until the fault ends")
	}
	return w
}
