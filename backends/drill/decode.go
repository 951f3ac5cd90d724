package drill

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"warroom/backends/problems"
	"warroom/backends/yamlnode"
)

// decoder turns yaml nodes into values, collecting every problem with its
// line and field path instead of stopping at the first.
type decoder struct {
	yamlnode.Walker
	errs  *problems.List
	lines map[string]int // field path → line of its key
}

func newDecoder(errs *problems.List) *decoder {
	return &decoder{Walker: yamlnode.Walker{Errs: errs}, errs: errs, lines: map[string]int{}}
}

// pair is one key of a map with its value and field path.
type pair struct {
	key  string
	line int
	val  *yaml.Node
	path string
}

var (
	isNull   = yamlnode.IsNull
	describe = yamlnode.Describe
)

// pairs checks n is a map and returns its pairs (see yamlnode.Walker.Map),
// remembering the line of each key.
func (d *decoder) pairs(n *yaml.Node, path, want string, allowed []string) ([]pair, bool) {
	got, ok := d.Map(n, path, want, allowed)
	out := make([]pair, 0, len(got))
	for _, p := range got {
		d.lines[p.Path] = p.Key.Line
		out = append(out, pair{key: p.Key.Value, line: p.Key.Line, val: p.Val, path: p.Path})
	}
	return out, ok
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }

// str reads a non-empty scalar.
func (d *decoder) str(p pair, what string) (string, bool) {
	n := p.val
	if n == nil || n.Kind != yaml.ScalarNode || isNull(n) || strings.TrimSpace(n.Value) == "" {
		d.errs.Add(p.line, p.path, "want %s, got %s", what, describe(n))
		return "", false
	}
	return strings.TrimSpace(n.Value), true
}

// dur reads a Go duration with a unit ("30s", "1m30s"), not negative; zero
// only when allowZero.
func (d *decoder) dur(p pair, allowZero bool) (time.Duration, bool) {
	n := p.val
	if n == nil || n.Kind != yaml.ScalarNode || isNull(n) {
		d.errs.Add(p.line, p.path, "want a duration like 30s or 5m, got %s", describe(n))
		return 0, false
	}
	v := strings.TrimSpace(n.Value)
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		d.errs.Add(n.Line, p.path, "%s has no unit: write it like %ss or %sm", problems.Quote(v), v, v)
		return 0, false
	}
	t, err := time.ParseDuration(v)
	if err != nil {
		d.errs.Add(n.Line, p.path, "%s is not a duration: write it like 30s, 5m or 1m30s", problems.Quote(v))
		return 0, false
	}
	if t < 0 || (t == 0 && !allowZero) {
		want := "more than 0"
		if allowZero {
			want = "0s or more"
		}
		d.errs.Add(n.Line, p.path, "%s: want %s", v, want)
		return 0, false
	}
	return t, true
}

// boolean reads true or false.
func (d *decoder) boolean(p pair) (bool, bool) {
	n := p.val
	if n != nil && n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		b, err := strconv.ParseBool(strings.ToLower(n.Value))
		if err == nil {
			return b, true
		}
	}
	d.errs.Add(p.line, p.path, "want true or false, got %s", describe(n))
	return false, false
}

// percent reads a number in (0, 100].
func (d *decoder) percent(p pair) (float64, bool) {
	n := p.val
	if n != nil && n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") {
		v, err := strconv.ParseFloat(n.Value, 64)
		if err == nil && !math.IsNaN(v) && v > 0 && v <= 100 {
			return v, true
		}
	}
	d.errs.Add(p.line, p.path, "want a number above 0 and at most 100 (like 95), got %s", describe(n))
	return 0, false
}
