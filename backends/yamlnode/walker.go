package yamlnode

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"warroom/backends/problems"
)

// Limits that keep hostile files (alias bombs, self-merging anchors) cheap.
const (
	MaxMergeDepth = 8
	MaxVisits     = 1_000_000
)

// Pair is one "key: value" of a map, aliases resolved; Path is the
// field's path (mirrors[2].health).
type Pair struct {
	Key, Val *yaml.Node
	Path     string
}

// Walker reads the maps and lists of one file, adding every problem to
// Errs instead of stopping at the first, and counting the entries it
// visits against MaxVisits, so aliases cannot make a small file costly.
type Walker struct {
	Errs *problems.List
	// Failed, when set, hears the field of every problem reported through
	// Fail (the config skips later checks of a field that did not decode).
	Failed func(path string)
	visits int
	// merged holds the unknown keys of merge sources already reported: a
	// source merged into many maps is one mistake, on one line.
	merged map[*yaml.Node]bool
}

// Fail reports a problem with the field at path, found on line.
func (w *Walker) Fail(line int, path, format string, args ...any) {
	if w.Failed != nil {
		w.Failed(path)
	}
	w.Errs.Add(line, path, format, args...)
}

// Spend counts one visited entry; false (reported once) when the file
// has cost MaxVisits.
func (w *Walker) Spend(line int) bool {
	w.visits++
	if w.visits == MaxVisits {
		w.Errs.Halt(line, "", "the file expands (through aliases) to over %d entries; write it out without nested aliases", MaxVisits)
	}
	return w.visits < MaxVisits
}

// Map checks n is a map and returns its pairs: merge keys (<<) applied
// (keys written in the map win, then earlier merge sources), aliases
// resolved, duplicate and unknown keys reported. want describes the map
// expected, for the message when n is something else; allowed == nil
// accepts any key.
func (w *Walker) Map(n *yaml.Node, path, want string, allowed []string) ([]Pair, bool) {
	r := Resolve(n)
	if r == nil || r.Kind != yaml.MappingNode {
		line := 0
		if n != nil {
			line = n.Line
		}
		w.Fail(line, path, "want %s, got %s", want, Describe(r))
		return nil, false
	}
	m := merger{w: w, path: path, allowed: allowed, index: map[string]int{}, written: map[string]int{}, seen: map[*yaml.Node]bool{}}
	m.collect(r, 0)
	return m.out, true
}

// merger gathers one map's pairs across its merge sources.
type merger struct {
	w       *Walker
	path    string
	allowed []string
	out     []Pair
	index   map[string]int // key → position in out
	written map[string]int // key → line, for the map's own keys
	seen    map[*yaml.Node]bool
}

func (m *merger) collect(n *yaml.Node, depth int) {
	if m.seen[n] {
		return
	}
	m.seen[n] = true
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if !m.w.Spend(n.Content[i].Line) {
			return
		}
		k, v := Resolve(n.Content[i]), Resolve(n.Content[i+1])
		if k == nil || v == nil {
			m.w.Fail(n.Content[i].Line, m.path, "alias points at nothing usable")
			continue
		}
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			m.w.Fail(k.Line, m.path, "a key must be a plain name, got %s", Describe(k))
			continue
		}
		name := k.Value
		p := Join(m.path, name)
		if depth == 0 {
			if line, dup := m.written[name]; dup {
				m.w.Fail(k.Line, p, "set twice (lines %d and %d); keep one", line, k.Line)
				continue
			}
			m.written[name] = k.Line
		} else if _, dup := m.index[name]; dup {
			continue // the map's own keys and earlier merges win
		}
		if m.allowed != nil && !slices.Contains(m.allowed, name) {
			if depth > 0 && m.w.reported(k) {
				continue
			}
			m.w.Fail(k.Line, p, "unknown key%s; allowed here: %s", problems.Suggest(name, m.allowed), strings.Join(m.allowed, ", "))
			continue
		}
		m.index[name] = len(m.out)
		m.out = append(m.out, Pair{Key: k, Val: v, Path: p})
	}
	for _, src := range merges {
		m.merge(src, depth)
	}
}

// merge applies "<<: *anchor" or "<<: [*a, *b]".
func (m *merger) merge(src *yaml.Node, depth int) {
	if depth >= MaxMergeDepth {
		m.w.Fail(src.Line, m.path, "merge keys (<<) nest deeper than %d; flatten them", MaxMergeDepth)
		return
	}
	switch src.Kind {
	case yaml.MappingNode:
		m.collect(src, depth+1)
	case yaml.SequenceNode:
		for _, item := range src.Content {
			if it := Resolve(item); it != nil && it.Kind == yaml.MappingNode {
				m.collect(it, depth+1)
			} else {
				m.w.Fail(item.Line, m.path, "<< merges maps; got %s", Describe(it))
			}
		}
	default:
		m.w.Fail(src.Line, m.path, "<< merges maps; got %s", Describe(src))
	}
}

// Items returns a list's items, aliases resolved, each counted against
// MaxVisits. n must be a sequence.
func (w *Walker) Items(n *yaml.Node, path string) ([]*yaml.Node, bool) {
	items := make([]*yaml.Node, 0, len(n.Content))
	for _, it := range n.Content {
		if !w.Spend(it.Line) {
			return nil, false
		}
		r := Resolve(it)
		if r == nil {
			w.Fail(it.Line, path, "alias points at nothing usable")
			return nil, false
		}
		items = append(items, r)
	}
	return items, true
}

// reported is true when the merged key k was reported before, and marks it.
func (w *Walker) reported(k *yaml.Node) bool {
	if w.merged == nil {
		w.merged = map[*yaml.Node]bool{}
	}
	seen := w.merged[k]
	w.merged[k] = true
	return seen
}
