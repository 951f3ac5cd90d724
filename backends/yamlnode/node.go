// Package yamlnode walks the nodes of a YAML file a person wrote (the
// config, a drill scenario): maps with merge keys (<<), aliases, duplicate
// and unknown keys, wrong shapes, all reported at file:line in one voice
// and within limits that keep hostile files (alias bombs) cheap.
package yamlnode

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"warroom/backends/problems"
)

// Resolve follows aliases to the node they name; nil when there is none
// (or the chain is absurdly long).
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

// IsNull is true for a missing value, "~", "null" or nothing after the colon.
func IsNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// Describe names a node's shape for "want X, got Y" messages. Scalars show
// their text as written (before any ${ENV} expansion, so no secret leaks);
// a blank one is "nothing", like a missing value.
func Describe(n *yaml.Node) string {
	switch {
	case IsNull(n), n.Kind == yaml.ScalarNode && strings.TrimSpace(n.Value) == "":
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a map"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.ScalarNode:
		return "the value " + problems.Quote(n.Value)
	}
	return "something else"
}

// Join builds field paths: Join("mirrors[2]", "health") = mirrors[2].health.
func Join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Index names a list item: Index("faults", 3) = faults[3].
func Index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }
