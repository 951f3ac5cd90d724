package notify

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jonboulle/clockwork"
)

// maxAnswer bounds how much of a platform's answer is read: error texts are
// short, and a misconfigured URL can point at a big HTML page.
const maxAnswer = 64 << 10

// answer is one HTTP response, read whole (up to maxAnswer).
type answer struct {
	status int
	header http.Header
	body   []byte
}

// postJSON sends body and reads the answer. A nil answer comes with a
// network error (or the context's).
func postJSON(ctx context.Context, c *http.Client, rawURL string, body []byte, headers map[string]string) (*answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer)) // let the connection be reused
	return &answer{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// httpFailure classifies a non-2xx answer: 5xx and 429 may pass later,
// other 4xx will not.
func httpFailure(channel, kind string, a *answer, clock clockwork.Clock) *Error {
	return &Error{
		Channel:    channel,
		Kind:       kind,
		Status:     a.status,
		Text:       answerText(a),
		Retryable:  a.status >= 500 || a.status == http.StatusTooManyRequests,
		RetryAfter: retryAfter(a.header.Get("Retry-After"), clock),
	}
}

// answerText is the platform's own words, on one line and short.
func answerText(a *answer) string {
	s := strings.Join(strings.Fields(string(a.body)), " ")
	if s == "" {
		s = http.StatusText(a.status)
	}
	const max = 300
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}

// MaxRetryAfter caps a platform's Retry-After: it is advice, and a post
// parked for days (or, overflowing, years) helps nobody in an incident.
const MaxRetryAfter = 10 * time.Minute

// retryAfter reads Retry-After in either of its forms: seconds or an HTTP
// date, at most MaxRetryAfter. Unreadable or past values mean "not given".
func retryAfter(v string, clock clockwork.Clock) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if digits(v) {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n > int64(MaxRetryAfter/time.Second) { // too large for int64 is large too
			return MaxRetryAfter
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(clock.Now()); d > 0 { // Sub saturates rather than overflowing
			return min(d, MaxRetryAfter)
		}
	}
	return 0
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
