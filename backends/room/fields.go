package room

import (
	"strconv"
	"strings"
	"time"

	"warroom/backends/textsafe"
)

// The keys of Event.Fields, the journal's payload. Only the *Facts types
// (facts_*.go) read and write them, so a misspelt key is a compile error
// instead of a silent zero after the next restart; journals on disk keep
// these names forever.
const (
	keyID          = "id"
	keyAction      = "action"
	keyFrom        = "from"
	keyTo          = "to"
	keyTarget      = "target"
	keyVersion     = "version"
	keyRule        = "rule"
	keyExecutor    = "executor"
	keyPlan        = "plan"
	keyBatches     = "batches"
	keyRPO         = "rpo"
	keyRTO         = "rto"
	keyDryRun      = "dry_run"
	keyExpires     = "expires"
	keyReason      = "reason"
	keyWhy         = "why"
	keyLine        = "line"
	keyBatch       = "batch"
	keyError       = "error"
	keyDecision    = "decision"
	keyConfirmed   = "confirmed"
	keyState       = "state"
	keyChannel     = "channel"
	keyKind        = "kind"
	keyTemplate    = "template"
	keyPhase       = "phase"
	keyTitle       = "title"
	keyText        = "text"
	keyKey         = "key"
	keyDrill       = "drill"
	keyAttempt     = "attempt"
	keyRetryAt     = "retry_at"
	keyMerged      = "merged"
	keyLevel       = "level"
	keyCommander   = "commander"
	keyDetected    = "detected"
	keyServing     = "serving"
	keyStep        = "step"
	keyNote        = "note"
	keyAuto        = "auto"
	keyByEvent     = "by_event"
	keyDoneAt      = "done_at"
	keyPinned      = "pinned"
	keyNoteSeq     = "note_seq"
	keyJump        = "jump"
	keyRole        = "role"
	keyVia         = "via"
	keyRemote      = "remote"
	keyPresence    = "presence"
	keySince       = "since"
	keyMirrors     = "mirrors"
	keyAlert       = "alert"
	keyFile        = "file"
	keyLive        = "live"
	keyIncident    = "incident"
	keyDuration    = "duration"
	keyDescription = "description"
	keyScorecard   = "scorecard"
	keyNode        = "node"
	keyTerm        = "term"
)

// slot ties one journal key to one field of a facts value: each *Facts
// type lists its slots once, and writing and reading both walk that list.
type slot interface {
	put(f map[string]string) // writes the field; an empty value is left out
	get(f map[string]string) // reads it; a missing or malformed value is zero
}

// encode is the payload of slots; nil when every field is empty, as
// events without a payload always were.
func encode(slots []slot) map[string]string {
	f := map[string]string{}
	for _, s := range slots {
		s.put(f)
	}
	if len(f) == 0 {
		return nil
	}
	return f
}

// read is an event's payload as facts of type T.
func read[T any, P interface {
	*T
	slots() []slot
}](ev Event) T {
	var v T
	for _, s := range P(&v).slots() {
		s.get(ev.Fields)
	}
	return v
}

func putStr(f map[string]string, k, v string) {
	if v != "" {
		f[k] = v
	}
}

// text is a string field, or one of a string type (State, Role).
type text[T ~string] struct {
	k string
	v *T
}

func (s text[T]) put(f map[string]string) { putStr(f, s.k, string(*s.v)) }
func (s text[T]) get(f map[string]string) { *s.v = T(f[s.k]) }

type num struct {
	k string
	v *int
}

func (s num) put(f map[string]string) {
	if *s.v != 0 {
		f[s.k] = strconv.Itoa(*s.v)
	}
}
func (s num) get(f map[string]string) { *s.v, _ = strconv.Atoi(f[s.k]) }

type seq struct {
	k string
	v *uint64
}

func (s seq) put(f map[string]string) {
	if *s.v != 0 {
		f[s.k] = strconv.FormatUint(*s.v, 10)
	}
}
func (s seq) get(f map[string]string) { *s.v, _ = strconv.ParseUint(f[s.k], 10, 64) }

type flag struct {
	k string
	v *bool
}

func (s flag) put(f map[string]string) {
	if *s.v {
		f[s.k] = "true"
	}
}
func (s flag) get(f map[string]string) { *s.v = f[s.k] == "true" }

// stamp is a time, written in UTC with nanoseconds; read with or without
// fractions (older journals wrote seconds only).
type stamp struct {
	k string
	v *time.Time
}

func (s stamp) put(f map[string]string) {
	if !s.v.IsZero() {
		f[s.k] = s.v.UTC().Format(time.RFC3339Nano)
	}
}
func (s stamp) get(f map[string]string) { *s.v, _ = time.Parse(time.RFC3339Nano, f[s.k]) }

// dur is a Go duration ("15m"); read also as whole seconds ("900"), as
// some older journals wrote targets.
type dur struct {
	k string
	v *time.Duration
}

func (s dur) put(f map[string]string) {
	if *s.v != 0 {
		f[s.k] = s.v.String()
	}
}

func (s dur) get(f map[string]string) {
	*s.v = 0
	if d, err := time.ParseDuration(f[s.k]); err == nil {
		*s.v = d
	} else if n, err := strconv.ParseFloat(f[s.k], 64); err == nil {
		*s.v = time.Duration(n * float64(time.Second))
	}
}

// list is a list joined by sep.
type list struct {
	k, sep string
	v      *[]string
}

func (s list) put(f map[string]string) { putStr(f, s.k, strings.Join(*s.v, s.sep)) }

func (s list) get(f map[string]string) {
	*s.v = nil
	if f[s.k] != "" {
		*s.v = strings.Split(f[s.k], s.sep)
	}
}

// cleanFields cleans every value of the payload with c.
func (e *Event) cleanFields(c textsafe.Cleaner) { e.Fields = c.Fields(e.Fields) }
