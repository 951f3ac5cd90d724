package drill

import (
	"math"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"warroom/backends/problems"
)

// decoder turns yaml nodes into values, collecting every problem with its
// line and field path instead of stopping at the first.
type decoder struct {
	errs  *problems.List
	lines map[string]int // field path → line of its key
}

// pair is one key of a map with its value and field path.
type pair struct {
	key  string
	line int
	val  *yaml.Node
	path string
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// describe names a node's shape for "want X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing"
		}
		return "the value " + problems.Quote(n.Value)
	}
	return "something else"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// pairs checks n is a map and returns its pairs, reporting duplicate keys
// and keys not in allowed (with a "did you mean").
func (d *decoder) pairs(n *yaml.Node, path, want string, allowed []string) ([]pair, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		line := 0
		if n != nil {
			line = n.Line
		}
		d.errs.Add(line, path, "want %s, got %s", want, describe(n))
		return nil, false
	}
	var out []pair
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k == nil || k.Kind != yaml.ScalarNode {
			d.errs.Add(n.Content[i].Line, path, "want a plain key (like %s:), got %s", allowed[0], describe(k))
			continue
		}
		p := pair{key: k.Value, line: k.Line, val: v, path: join(path, k.Value)}
		if first, dup := seen[k.Value]; dup {
			d.errs.Add(k.Line, p.path, "given twice (first on line %d): keep one", first)
			continue
		}
		seen[k.Value] = k.Line
		if !contains(allowed, k.Value) {
			d.errs.Add(k.Line, p.path, "unknown key%s; want %s", problems.Suggest(k.Value, allowed), oneOf(allowed))
			continue
		}
		d.lines[p.path] = k.Line
		out = append(out, p)
	}
	return out, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// str reads a non-empty scalar.
func (d *decoder) str(p pair, what string) (string, bool) {
	n := p.val
	if n == nil || n.Kind != yaml.ScalarNode || isNull(n) || strings.TrimSpace(n.Value) == "" {
		d.errs.Add(p.line, p.path, "want %s, got %s", what, describeOrEmpty(n))
		return "", false
	}
	return strings.TrimSpace(n.Value), true
}

func describeOrEmpty(n *yaml.Node) string {
	if n == nil {
		return "nothing"
	}
	if n.Kind == yaml.ScalarNode && strings.TrimSpace(n.Value) == "" {
		return "nothing"
	}
	return describe(n)
}

// dur reads a Go duration with a unit ("30s", "1m30s"), not negative; zero
// only when allowZero.
func (d *decoder) dur(p pair, allowZero bool) (time.Duration, bool) {
	n := p.val
	if n == nil || n.Kind != yaml.ScalarNode || isNull(n) {
		d.errs.Add(p.line, p.path, "want a duration like 30s or 5m, got %s", describeOrEmpty(n))
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
	d.errs.Add(p.line, p.path, "want true or false, got %s", describeOrEmpty(n))
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
	d.errs.Add(p.line, p.path, "want a number above 0 and at most 100 (like 95), got %s", describeOrEmpty(n))
	return 0, false
}
