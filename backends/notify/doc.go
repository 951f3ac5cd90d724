// Package notify delivers announcements to chat platforms (Slack, DingTalk,
// WeCom, Feishu, a generic webhook): each platform's payload, signing,
// error answers and rate limits, plus the templates announcements start from.
//
// The room keeps the durable outbox; this package is the worker side. A
// Channel renders and sends one Post; a Dispatcher runs one worker per
// channel that keeps to the platform's rate limit, merges posts that would
// exceed it, retries what may succeed later and reports every step.
package notify
