package notifytest

import "time"

// Answer scripts the receiver's reply to one request, instead of checking
// it. An Answer with only Delay set delays the normal handling.
type Answer struct {
	Status     int           // HTTP status; 0 = 200 (or 400 for Slack and webhook errors)
	RetryAfter string        // Retry-After header, e.g. "30"
	Body       string        // raw body
	Code       int           // a platform error code, answered in the platform's JSON
	Msg        string        // the platform's message with Code
	Delay      time.Duration // wait (real time) before answering
	Hang       bool          // never answer: hold until the client gives up or the receiver closes
	Reset      bool          // drop the connection without an answer (TCP RST)
}

// RateLimited is HTTP 429 with Retry-After (seconds, or "" for none).
func RateLimited(retryAfter string) Answer {
	return Answer{Status: 429, RetryAfter: retryAfter, Body: "rate_limited"}
}

// ServerError is an HTTP 5xx with a short body.
func ServerError(status int) Answer {
	return Answer{Status: status, Body: "upstream unavailable"}
}

// PlatformError is the platform refusing a post: HTTP 200 with a non-zero
// code for the robots, HTTP 400 with msg as the body for Slack and webhooks.
func PlatformError(code int, msg string) Answer { return Answer{Code: code, Msg: msg} }

// Slow delays the normal answer by d.
func Slow(d time.Duration) Answer { return Answer{Delay: d} }

// Hang never answers.
func Hang() Answer { return Answer{Hang: true} }

// Reset drops the connection.
func Reset() Answer { return Answer{Reset: true} }

// passThrough reports whether a is only a delay before normal handling.
func (a Answer) passThrough() bool {
	return a.Status == 0 && a.Body == "" && a.Code == 0 && !a.Hang && !a.Reset
}
