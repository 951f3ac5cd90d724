package config

import (
	"strings"

	"gopkg.in/yaml.v3"

	"warroom/backends/problems"
	"warroom/backends/yamlnode"
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
type pair = yamlnode.Pair

// The shared node helpers, under the names the config code reads them by.
var (
	isNull   = yamlnode.IsNull
	describe = yamlnode.Describe
	join     = yamlnode.Join
	index    = yamlnode.Index
)

// decoder turns yaml nodes into a Config, recording where every value came
// from and collecting every problem instead of stopping at the first.
type decoder struct {
	yamlnode.Walker
	errs   problems.List
	getenv func(string) (string, bool)
	where  map[string]origin // field path → origin
	bad    map[string]bool   // field paths that failed to decode
}

func newDecoder(file string, getenv func(string) (string, bool)) *decoder {
	d := &decoder{
		errs:   problems.List{File: file},
		getenv: getenv,
		where:  map[string]origin{},
		bad:    map[string]bool{},
	}
	d.Walker = yamlnode.Walker{Errs: &d.errs, Failed: func(path string) { d.bad[path] = true }}
	return d
}

// item reads one record of a list (an executor, a channel, a user…): it
// remembers where the record is, for messages about it as a whole, and
// returns its set fields (null ones are as good as absent).
func (d *decoder) item(n *yaml.Node, path, want string, allowed []string) []pair {
	d.where[path] = origin{line: n.Line, path: path}
	pairs, _ := d.mapping(n, path, want, allowed)
	set := pairs[:0]
	for _, p := range pairs {
		if !isNull(p.Val) {
			set = append(set, p)
		}
	}
	return set
}

// mapping reads a map (see yamlnode.Walker.Map) and records where each of
// its keys was written.
func (d *decoder) mapping(n *yaml.Node, path, want string, allowed []string) ([]pair, bool) {
	pairs, ok := d.Map(n, path, want, allowed)
	for _, p := range pairs {
		d.where[p.Path] = origin{line: p.Key.Line, path: p.Path}
	}
	return pairs, ok
}

// parent strips the last ".key" or "[i]" of a field path.
func parent(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}
