package drill

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// FieldError is one problem in a scenario file: where it is and what to do.
// Parse and Check join several with errors.Join, so one run lists them all;
// match one with errors.As.
type FieldError struct {
	File  string // as given to Parse; "" when unknown
	Line  int    // 1-based; 0 when unknown
	Field string // e.g. faults[1].delay; "" for whole-file problems
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

// maxErrors caps a report: past fifty, the rest are one mistake repeated.
const maxErrors = 50

// errList collects problems so one run reports them all, in file order.
type errList struct {
	file string
	errs []*FieldError
}

func (l *errList) add(line int, field, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	msg = strings.ReplaceAll(msg, "\n", " ") // one problem per line
	l.errs = append(l.errs, &FieldError{File: l.file, Line: line, Field: field, Msg: msg})
}

// err sorts by line (stable), drops repeats and joins; nil when none.
func (l *errList) err() error {
	if len(l.errs) == 0 {
		return nil
	}
	sort.SliceStable(l.errs, func(i, j int) bool { return l.errs[i].Line < l.errs[j].Line })
	seen := map[string]bool{}
	var out []error
	dropped := 0
	for _, e := range l.errs {
		s := e.Error()
		if seen[s] {
			continue
		}
		seen[s] = true
		if len(out) == maxErrors {
			dropped++
			continue
		}
		out = append(out, e)
	}
	if dropped > 0 {
		out = append(out, &FieldError{File: l.file, Msg: fmt.Sprintf("and %d more problems; fix the ones above first", dropped)})
	}
	return errors.Join(out...)
}

// quote shows a value in a message, shortened so one line stays one line.
func quote(s string) string {
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return strconv.Quote(s)
}

// suggest returns ` (did you mean "x"?)` when s is a likely typo of one of
// allowed, else "".
func suggest(s string, allowed []string) string {
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

// oneOf lists choices for a message: "a, b or c".
func oneOf(choices []string) string {
	if len(choices) == 1 {
		return choices[0]
	}
	return strings.Join(choices[:len(choices)-1], ", ") + " or " + choices[len(choices)-1]
}
