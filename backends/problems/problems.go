// Package problems reports what is wrong in a file a person wrote (the
// config, a drill scenario): every problem at once, in file order, each
// naming its file, line and field and saying what to do.
package problems

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// FieldError is one problem: where it is and what to do about it. A List
// joins several with errors.Join; match one with errors.As.
type FieldError struct {
	File  string // as given to the parser; "" when the value was built in Go
	Line  int    // 1-based; 0 when unknown
	Field string // e.g. mirrors[2].health.interval; "" for whole-file problems
	Msg   string
}

// Error reads "file:line: field: message", leaving out the parts not known.
func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		b.WriteString("line " + strconv.Itoa(e.Line) + ": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// MaxReported caps a report: past a hundred, the rest are usually one
// mistake repeated.
const MaxReported = 100

// maxKept bounds what a List holds: a hostile file can yield millions of
// problems, and only the first MaxReported are shown.
const maxKept = 10 * MaxReported

// List collects the problems of one file so one run reports them all.
type List struct {
	File    string
	errs    []*FieldError
	added   int         // every Add, kept or not
	dropped int         // added past maxKept
	halt    *FieldError // see Halt
}

// Add records a problem at line and field; the message is one line.
func (l *List) Add(line int, field, format string, args ...any) {
	l.added++
	switch {
	case l.halt != nil:
		return // an echo of the problem that halted the reading
	case len(l.errs) >= maxKept:
		l.dropped++
		return
	}
	l.keep(line, field, format, args)
}

// Halt records a problem after which the rest of the file is not read (it
// would cost too much): later problems would only be its echoes, so they
// are not reported, and this one always is.
func (l *List) Halt(line int, field, format string, args ...any) {
	l.added++
	if l.halt == nil {
		l.halt = l.keep(line, field, format, args)
	}
}

func (l *List) keep(line int, field, format string, args []any) *FieldError {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	// One line each: a stray newline would break "one problem per line".
	msg = strings.ReplaceAll(msg, "\n", " ")
	e := &FieldError{File: l.File, Line: line, Field: field, Msg: msg}
	l.errs = append(l.errs, e)
	return e
}

// Len is how many problems were added, reported or not.
func (l *List) Len() int { return l.added }

// Err sorts by line (stable, so one line's problems keep their order),
// drops repeats (a bad default is seen through every mirror that inherits
// it) and joins. nil when there were none.
func (l *List) Err() error {
	if l.added == 0 {
		return nil
	}
	sort.SliceStable(l.errs, func(i, j int) bool { return l.errs[i].Line < l.errs[j].Line })
	seen := make(map[string]bool, len(l.errs))
	out := make([]error, 0, len(l.errs))
	dropped := l.dropped
	for _, e := range l.errs {
		s := e.Error()
		if seen[s] {
			continue
		}
		seen[s] = true
		if len(out) >= MaxReported && e != l.halt {
			dropped++
			continue
		}
		out = append(out, e)
	}
	if dropped > 0 {
		out = append(out, &FieldError{File: l.File, Msg: fmt.Sprintf("and %d more problems; fix the ones above first", dropped)})
	}
	return errors.Join(out...)
}

// Quote shows a value in a message, shortened so one line stays one line.
func Quote(s string) string {
	const max = 60
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return strconv.Quote(s)
}

// Suggest returns ` (did you mean "x"?)` when s is a likely typo of one of
// allowed, else "".
func Suggest(s string, allowed []string) string {
	best, bestD := "", 3
	for _, a := range allowed {
		if d := editDistance(strings.ToLower(s), a); d < bestD {
			best, bestD = a, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance; long inputs are never close.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
