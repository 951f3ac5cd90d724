package config

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Matcher selects alerts for a silence: "mirror=tokyo|osaka,kind=mirror-lag"
// is every term ANDed, each value one of its |-alternatives.
type Matcher struct {
	Match  AlertMatch
	Alerts []string // alert=<full id> alternatives; empty matches any id
}

// matcherLabels are the labels a matcher may name, in its canonical order.
var matcherLabels = []string{"severity", "kind", "mirror", "region", "level", "alert"}

// maxMatcher bounds a matcher's text: it is typed by a person or read from
// a file, and a longer one is a mistake.
const maxMatcher = 1000

// ParseMatcher reads a silence matcher. It must name at least one label (a
// silence of everything is never what a person means), each label once.
func ParseMatcher(s string) (Matcher, error) {
	var m Matcher
	bad := func(format string, args ...any) (Matcher, error) {
		return Matcher{}, fmt.Errorf("matcher %q: %s", clip(s), fmt.Sprintf(format, args...))
	}
	if len(s) > maxMatcher {
		return bad("longer than %d characters", maxMatcher)
	}
	if strings.TrimSpace(s) == "" {
		return bad("empty; name what to silence, e.g. mirror=tokyo or mirror=tokyo,kind=mirror-lag")
	}
	seen := map[string]bool{}
	for term := range strings.SplitSeq(s, ",") {
		term = strings.TrimSpace(term)
		label, value, ok := strings.Cut(term, "=")
		label, value = strings.TrimSpace(label), strings.TrimSpace(value)
		switch {
		case term == "":
			return bad("an empty term (two commas, or one at the end)")
		case !ok:
			return bad("term %q is not label=value", term)
		case !slices.Contains(matcherLabels, label):
			return bad("unknown label %q; use severity, kind, mirror, region, level or alert", label)
		case seen[label]:
			return bad("label %q given twice; list alternatives with |, e.g. %s=a|b", label, label)
		}
		seen[label] = true
		var vals []string
		for v := range strings.SplitSeq(value, "|") {
			v = strings.TrimSpace(v)
			if v == "" {
				return bad("term %q has an empty value", term)
			}
			if strings.IndexFunc(v, unicode.IsControl) >= 0 || strings.ContainsAny(v, "= ") {
				return bad("value %q in term %q has a space, = or control character", v, term)
			}
			if label == "severity" && v != "critical" && v != "warning" {
				return bad("severity %q is not critical or warning", v)
			}
			if !slices.Contains(vals, v) {
				vals = append(vals, v)
			}
		}
		slices.Sort(vals)
		*m.list(label) = vals
	}
	return m, nil
}

// list is the value list of one label.
func (m *Matcher) list(label string) *[]string {
	switch label {
	case "severity":
		return &m.Match.Severity
	case "kind":
		return &m.Match.Kind
	case "mirror":
		return &m.Match.Mirror
	case "region":
		return &m.Match.Region
	case "level":
		return &m.Match.Level
	}
	return &m.Alerts
}

// String is the canonical text: labels in a fixed order, values sorted,
// so two spellings of one matcher read the same in the journal and lists.
func (m Matcher) String() string {
	var terms []string
	for _, label := range matcherLabels {
		if vals := *m.list(label); len(vals) > 0 {
			terms = append(terms, label+"="+strings.Join(vals, "|"))
		}
	}
	return strings.Join(terms, ",")
}

// Matches reports whether the alert id with labels l is selected.
func (m Matcher) Matches(l AlertLabels, alertID string) bool {
	return m.Match.Matches(l) && (len(m.Alerts) == 0 || slices.Contains(m.Alerts, alertID))
}

// clip shortens text quoted in an error.
func clip(s string) string {
	const n = 80
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
