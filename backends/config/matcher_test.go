package config

import (
	"strings"
	"testing"
)

func TestParseMatcher(t *testing.T) {
	good := []struct {
		in, canon string
		labels    AlertLabels
		id        string
		want      bool
	}{
		{"mirror=tokyo", "mirror=tokyo", AlertLabels{Mirror: "tokyo", Kind: "mirror-down"}, "mirror-down/tokyo", true},
		{"mirror=tokyo", "mirror=tokyo", AlertLabels{Mirror: "osaka"}, "mirror-down/osaka", false},
		{" mirror = osaka|tokyo , kind=mirror-lag ", "kind=mirror-lag,mirror=osaka|tokyo",
			AlertLabels{Mirror: "osaka", Kind: "mirror-lag"}, "mirror-lag/osaka", true},
		{"kind=mirror-lag,mirror=tokyo|osaka", "kind=mirror-lag,mirror=osaka|tokyo",
			AlertLabels{Mirror: "osaka", Kind: "mirror-down"}, "mirror-down/osaka", false},
		{"severity=warning,region=eu,level=none", "severity=warning,region=eu,level=none",
			AlertLabels{Severity: "warning", Region: "eu", Level: "none"}, "x/y", true},
		{"severity=warning,region=eu,level=none", "severity=warning,region=eu,level=none",
			AlertLabels{Severity: "warning", Region: "eu", Level: "P1"}, "x/y", false},
		{"alert=mirror-down/tokyo", "alert=mirror-down/tokyo", AlertLabels{}, "mirror-down/tokyo", true},
		{"alert=mirror-down/tokyo", "alert=mirror-down/tokyo", AlertLabels{}, "mirror-lag/tokyo", false},
		{"mirror=a|a|b", "mirror=a|b", AlertLabels{Mirror: "b"}, "k/b", true},
	}
	for _, c := range good {
		m, err := ParseMatcher(c.in)
		if err != nil {
			t.Errorf("ParseMatcher(%q): %v", c.in, err)
			continue
		}
		if got := m.String(); got != c.canon {
			t.Errorf("ParseMatcher(%q).String() = %q, want %q", c.in, got, c.canon)
		}
		if again, err := ParseMatcher(m.String()); err != nil || again.String() != c.canon {
			t.Errorf("the canonical %q does not read back: %v %q", c.canon, err, again.String())
		}
		if got := m.Matches(c.labels, c.id); got != c.want {
			t.Errorf("%q.Matches(%+v, %q) = %v, want %v", c.in, c.labels, c.id, got, c.want)
		}
	}

	bad := []struct{ in, want string }{
		{"", "empty; name what to silence"},
		{"   ", "empty; name what to silence"},
		{"mirro=tokyo", `matcher "mirro=tokyo": unknown label "mirro"; use severity, kind, mirror, region, level or alert`},
		{"tokyo", `term "tokyo" is not label=value`},
		{"mirror=tokyo,", "an empty term"},
		{"mirror=", `term "mirror=" has an empty value`},
		{"mirror=a||b", `has an empty value`},
		{"mirror=a,mirror=b", `label "mirror" given twice; list alternatives with |`},
		{"severity=high", `severity "high" is not critical or warning`},
		{"mirror=to kyo", "has a space, = or control character"},
		{"mirror=a=b", "has a space, = or control character"},
		{"mirror=a\x1b[2J", "control character"},
		{"mirror=" + strings.Repeat("x", 1001), "longer than 1000 characters"},
	}
	for _, c := range bad {
		_, err := ParseMatcher(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseMatcher(%q) = %v, want an error containing %q", c.in, err, c.want)
		}
		if err != nil && (strings.ContainsRune(err.Error(), '\x1b') || len(err.Error()) > 300) {
			t.Errorf("ParseMatcher(%q)'s error is raw or long: %q", c.in, err)
		}
	}
}
