package notify

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Error is a failed send: what the platform (or the network) said, and
// whether trying again later may succeed.
type Error struct {
	Channel    string
	Kind       string        // the channel's kind, which prefixes the message
	Status     int           // HTTP status, 0 for network errors and local checks
	Code       string        // platform code (DingTalk errcode, Feishu code, WeCom errcode), "" if none
	Text       string        // the platform's own error text, or what went wrong locally
	Retryable  bool          // network errors, 5xx, 429, platform rate-limit codes
	RetryAfter time.Duration // from Retry-After, else 0
}

// Error reads like `dingtalk: errcode 310000: keywords not in content` or
// `slack: HTTP 400: invalid_blocks`.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Kind != "" {
		b.WriteString(e.Kind + ": ")
	}
	if e.Code != "" {
		b.WriteString(codeLabel(e.Kind) + " " + e.Code + ": ")
	} else if e.Status != 0 && (e.Status < 200 || e.Status > 299) {
		fmt.Fprintf(&b, "HTTP %d: ", e.Status)
	}
	b.WriteString(e.Text)
	return b.String()
}

// codeLabel is what each platform calls its error code field.
func codeLabel(kind string) string {
	switch kind {
	case "feishu":
		return "code"
	case "dingtalk", "wecom":
		return "errcode"
	case "email":
		return "SMTP"
	}
	return "code"
}

// asError turns anything Send returned into an *Error; foreign errors are
// treated as final, since nothing says a retry would help.
func asError(channel, kind string, err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Channel: channel, Kind: kind, Text: err.Error()}
}

// networkError describes a request that got no HTTP answer. The URL inside
// *url.Error may carry a token, so only the masked target is named.
func networkError(channel, kind, target string, err error) *Error {
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		cause = ue.Err
	}
	return &Error{
		Channel:   channel,
		Kind:      kind,
		Text:      fmt.Sprintf("post to %s: %v", target, cause),
		Retryable: true,
	}
}

// localError is a post refused before sending (a missing keyword, a
// template that does not produce JSON): final, since a retry sends the same.
func localError(channel, kind, format string, args ...any) *Error {
	return &Error{Channel: channel, Kind: kind, Text: fmt.Sprintf(format, args...)}
}
