package config

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"warroom/backends/problems"
)

// origin is where a config field's value came from: the line, the field
// path as written (a mirror's inherited interval comes from
// defaults.health.interval) and, for values built from ${ENV}, the variable
// names and the text before expansion. Such values are secrets.
type origin struct {
	line int
	path string
	env  []string
	raw  string
	leaf bool // a field's value (copied to inheriting mirrors), not a section
}

// pair is one "key: value" of a mapping, aliases resolved.
type pair struct {
	key, val *yaml.Node
	path     string
}

// Limits that keep hostile files (alias bombs, self-merging anchors) cheap.
const (
	maxMergeDepth = 8
	maxVisits     = 1_000_000
)

// decoder turns yaml nodes into a Config, recording where every value came
// from and collecting every problem instead of stopping at the first.
type decoder struct {
	errs   problems.List
	getenv func(string) (string, bool)
	where  map[string]origin // field path → origin
	bad    map[string]bool   // field paths that failed to decode
	visits int
}

func newDecoder(file string, getenv func(string) (string, bool)) *decoder {
	return &decoder{
		errs:   problems.List{File: file},
		getenv: getenv,
		where:  map[string]origin{},
		bad:    map[string]bool{},
	}
}

// fail reports a problem with the field at path, found on line.
func (d *decoder) fail(line int, path, format string, args ...any) {
	d.bad[path] = true
	d.errs.Add(line, path, format, args...)
}

// spend counts work against maxVisits; false (reported once) when exhausted.
func (d *decoder) spend(line int) bool {
	d.visits++
	if d.visits == maxVisits {
		d.errs.Add(line, "", "the file expands (through aliases) to over %d entries; write it out without nested aliases", maxVisits)
	}
	return d.visits < maxVisits
}

func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// describe names a node's shape for "want X, got Y" messages. Scalars show
// their text as written, before ${ENV} expansion, so no secret leaks.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "the value " + problems.Quote(n.Value)
	}
	return "something else"
}

// mapping checks n is a map and returns its pairs: merge keys (<<) applied,
// aliases resolved, duplicate and unknown keys reported. allowed == nil
// accepts any key.
// item reads one record of a list (an executor, a channel, a user…): it
// remembers where the record is, for messages about it as a whole, and
// returns its set fields (null ones are as good as absent).
func (d *decoder) item(n *yaml.Node, path, want string, allowed []string) []pair {
	d.where[path] = origin{line: n.Line, path: path}
	pairs, _ := d.mapping(n, path, want, allowed)
	set := pairs[:0]
	for _, p := range pairs {
		if !isNull(p.val) {
			set = append(set, p)
		}
	}
	return set
}

func (d *decoder) mapping(n *yaml.Node, path, want string, allowed []string) ([]pair, bool) {
	if n.Kind != yaml.MappingNode {
		d.fail(n.Line, path, "want %s, got %s", want, describe(n))
		return nil, false
	}
	var out []pair
	index := map[string]int{}
	explicit := map[string]int{} // key → line, for duplicates
	d.collect(n, path, allowed, &out, index, explicit, 0, map[*yaml.Node]bool{})
	return out, true
}

func (d *decoder) collect(n *yaml.Node, path string, allowed []string, out *[]pair, index map[string]int, explicit map[string]int, depth int, seen map[*yaml.Node]bool) {
	if seen[n] {
		return
	}
	seen[n] = true
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if !d.spend(n.Content[i].Line) {
			return
		}
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k == nil || v == nil {
			d.fail(n.Content[i].Line, path, "alias points at nothing usable")
			continue
		}
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			d.fail(k.Line, path, "a key must be a plain name, got %s", describe(k))
			continue
		}
		name := k.Value
		p := join(path, name)
		if depth == 0 {
			if line, dup := explicit[name]; dup {
				d.fail(k.Line, p, "set twice (lines %d and %d); keep one", line, k.Line)
				continue
			}
			explicit[name] = k.Line
		} else if _, dup := index[name]; dup {
			continue // explicit keys and earlier merges win
		}
		if allowed != nil && !contains(allowed, name) {
			d.fail(k.Line, p, "unknown key%s; allowed here: %s", problems.Suggest(name, allowed), strings.Join(allowed, ", "))
			continue
		}
		if i, ok := index[name]; ok {
			(*out)[i] = pair{key: k, val: v, path: p}
		} else {
			index[name] = len(*out)
			*out = append(*out, pair{key: k, val: v, path: p})
		}
		d.where[p] = origin{line: k.Line, path: p}
	}
	for _, m := range merges {
		d.merge(m, path, allowed, out, index, explicit, depth, seen)
	}
}

// merge applies "<<: *anchor" or "<<: [*a, *b]": earlier sources win.
func (d *decoder) merge(m *yaml.Node, path string, allowed []string, out *[]pair, index map[string]int, explicit map[string]int, depth int, seen map[*yaml.Node]bool) {
	if depth >= maxMergeDepth {
		d.fail(m.Line, path, "merge keys (<<) nest deeper than %d; flatten them", maxMergeDepth)
		return
	}
	switch m.Kind {
	case yaml.MappingNode:
		d.collect(m, path, allowed, out, index, explicit, depth+1, seen)
	case yaml.SequenceNode:
		for _, item := range m.Content {
			if it := resolve(item); it != nil && it.Kind == yaml.MappingNode {
				d.collect(it, path, allowed, out, index, explicit, depth+1, seen)
			} else {
				d.fail(item.Line, path, "<< merges maps; got %s", describe(item))
			}
		}
	default:
		d.fail(m.Line, path, "<< merges maps; got %s", describe(m))
	}
}

// join builds field paths: join("mirrors[2]", "health") = mirrors[2].health.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// parent strips the last ".key" or "[i]" of a field path.
func parent(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}
