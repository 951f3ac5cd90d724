package config

import (
	"maps"
	"slices"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// writer builds yaml nodes, putting a secret field's ${NAME} text in place
// of its value. Every helper takes the field's path as Parse records it
// ("notify.channels[1].url"), which is how secrets are found.
type writer struct{ c *Config }

func (w writer) key(k string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}
}

// m builds a map from alternating keys and value nodes.
func (w writer) m(kv ...any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(kv); i += 2 {
		n.Content = append(n.Content, w.key(kv[i].(string)), kv[i+1].(*yaml.Node))
	}
	return n
}

// add appends k: v to the map n at path p when want is true, or when p.k
// came from ${ENV}: an empty value from the environment keeps its ${NAME}.
// Fields left out read back as their zero value.
func (w writer) add(n *yaml.Node, p, k string, want bool, v *yaml.Node) {
	if want || w.c.Secret(join(p, k)) {
		n.Content = append(n.Content, w.key(k), v)
	}
}

func (w writer) scalar(field, v, tag string) *yaml.Node {
	if raw, ok := w.c.secrets[field]; ok {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: raw}
	}
	if tag == "!!str" {
		v = escapeDollar(v)
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v}
}

func (w writer) s(field, v string) *yaml.Node { return w.scalar(field, v, "!!str") }
func (w writer) i(field string, v int) *yaml.Node {
	return w.scalar(field, strconv.Itoa(v), "!!int")
}
func (w writer) f(field string, v float64) *yaml.Node {
	return w.scalar(field, strconv.FormatFloat(v, 'g', -1, 64), "")
}
func (w writer) b(field string, v bool) *yaml.Node {
	return w.scalar(field, strconv.FormatBool(v), "!!bool")
}
func (w writer) d(field string, v time.Duration) *yaml.Node { return w.s(field, formatDuration(v)) }

// list starts a sequence, on one line when flow is set.
func list(flow bool) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode}
	if flow {
		n.Style = yaml.FlowStyle
	}
	return n
}

// strs writes a list of strings. A list given in the file as one ${ENV}
// value (keys: "${KEY}") is secret as a whole, under the list's own path;
// it is written back as that text, which reads back as the same list.
func (w writer) strs(field string, vs []string, flow bool) *yaml.Node {
	return scalars(w, field, vs, flow, w.s)
}

// ints is strs for whole numbers (expect_status, batches, levels).
func (w writer) ints(field string, vs []int) *yaml.Node {
	return scalars(w, field, vs, true, w.i)
}

func scalars[T any](w writer, field string, vs []T, flow bool, one func(string, T) *yaml.Node) *yaml.Node {
	if raw, ok := w.c.secrets[field]; ok {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: raw}
	}
	n := list(flow)
	for i, v := range vs {
		n.Content = append(n.Content, one(index(field, i), v))
	}
	return n
}

// items writes a list of records, each by item at its own path.
func items[T any](field string, vs []T, item func(*T, string) *yaml.Node) *yaml.Node {
	n := list(false)
	for i := range vs {
		n.Content = append(n.Content, item(&vs[i], index(field, i)))
	}
	return n
}

// strMap writes name: value pairs sorted by name. Names are not expanded
// when read, so they are written as they are.
func (w writer) strMap(field string, vs map[string]string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, k := range slices.Sorted(maps.Keys(vs)) {
		n.Content = append(n.Content, w.key(k), w.s(join(field, k), vs[k]))
	}
	return n
}
