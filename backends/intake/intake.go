// Package intake takes Alertmanager's webhook (version 4) over HTTP and
// hands its alerts to the room. It has no UI: the room shows them.
package intake

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"

	"warroom/backends/room"
	"warroom/backends/textsafe"
)

// Path is where Alertmanager posts.
const Path = "/alertmanager"

// MaxBody is the largest payload taken: Alertmanager's groups are far
// smaller, and a bound keeps a bad sender from filling memory.
const MaxBody = 1 << 20

// Room is what the intake needs of the room.
type Room interface {
	ObserveExternal(ctx context.Context, alerts []room.ExternalAlert) (room.ExternalResult, error)
}

// Options configure the handler.
type Options struct {
	Token string // the bearer token every request must carry
	Room  Room
	// Timeout bounds the wait for the room to journal a delivery
	// (default 10s, under Alertmanager's own webhook timeout).
	Timeout time.Duration
}

// Handler answers POST /alertmanager. Every answer is one line of text
// saying what happened, for Alertmanager's log.
func Handler(o Options) http.Handler {
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	want := sha256.Sum256([]byte(o.Token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path != Path:
			answer(w, http.StatusNotFound, "no such path %q: Alertmanager's webhook posts to %s", textsafe.Line(r.URL.Path), Path)
		case r.Method != http.MethodPost:
			w.Header().Set("Allow", http.MethodPost)
			answer(w, http.StatusMethodNotAllowed, "%s: POST Alertmanager's webhook to %s", r.Method, Path)
		case !authorized(r, want):
			// Before the body is read: a stranger's bytes cost nothing.
			w.Header().Set("WWW-Authenticate", `Bearer realm="warroom intake"`)
			answer(w, http.StatusUnauthorized, "missing or wrong bearer token (Authorization: Bearer …, as intake.token)")
		default:
			deliver(w, r, o)
		}
	})
}

// authorized compares the bearer token in constant time; hashing first
// keeps the length of the token out of the timing too.
func authorized(r *http.Request, want [32]byte) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

func deliver(w http.ResponseWriter, r *http.Request, o Options) {
	if r.ContentLength > MaxBody {
		answer(w, http.StatusRequestEntityTooLarge, "payload of %d bytes is over the %d-byte limit", r.ContentLength, MaxBody)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		answer(w, http.StatusRequestEntityTooLarge, "payload over the %d-byte limit", MaxBody)
		return
	case err != nil:
		answer(w, http.StatusBadRequest, "reading the payload: %v", err)
		return
	}
	var p webhook
	if err := json.Unmarshal(body, &p); err != nil {
		answer(w, http.StatusBadRequest, "not Alertmanager's webhook JSON: %s", jsonError(err))
		return
	}
	alerts, err := p.alerts()
	if err != nil {
		answer(w, http.StatusBadRequest, "%s", err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), o.Timeout)
	defer cancel()
	res, err := o.Room.ObserveExternal(ctx, alerts)
	var notLeader *room.NotLeaderError
	var noQuorum *room.NoQuorumError
	switch {
	case errors.As(err, &notLeader), errors.As(err, &noQuorum), errors.Is(err, context.DeadlineExceeded):
		// Alertmanager retries a 5xx: the delivery is not lost.
		answer(w, http.StatusServiceUnavailable, "not recorded, deliver again: %v", err)
	case err != nil:
		answer(w, http.StatusInternalServerError, "not recorded: %v", err)
	default:
		answer(w, http.StatusOK, "%d raised, %d cleared, %d already known, %d refused", res.Raised, res.Cleared, res.Repeated, res.Refused)
	}
}

// jsonError says where the JSON went wrong, cleaned: it may quote the
// sender's bytes.
func jsonError(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("%s at byte %d", textsafe.Line(syn.Error()), syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("%s is %s, want %s", textsafe.Line(typ.Field), typ.Value, jsonKind(typ.Type.Kind()))
	}
	return textsafe.Line(err.Error())
}

func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Slice:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Int:
		return "a number"
	}
	return "a string"
}

func answer(w http.ResponseWriter, code int, format string, args ...any) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	fmt.Fprintf(w, format+"\n", args...)
}
