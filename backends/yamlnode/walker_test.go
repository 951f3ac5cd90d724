package yamlnode

import (
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"warroom/backends/problems"
)

// walk reads src's root map with allowed keys and returns "key=value"
// pairs and the report.
func walk(t *testing.T, src string, allowed []string) ([]string, string) {
	t.Helper()
	errs := &problems.List{File: "f.yaml"}
	root := Document([]byte(src), errs, "hint")
	if root == nil {
		t.Fatalf("no document: %v", errs.Err())
	}
	w := &Walker{Errs: errs}
	pairs, _ := w.Map(value(root, "top"), "top", "a map", allowed)
	var got []string
	for _, p := range pairs {
		got = append(got, fmt.Sprintf("%s=%s@%d", p.Path, p.Val.Value, p.Key.Line))
	}
	report := ""
	if err := errs.Err(); err != nil {
		report = err.Error()
	}
	return got, report
}

// value is the value of key in the map m.
func value(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// The map's own keys win over merged ones, earlier sources over later
// ones, and a source's own merges come after its keys.
func TestMapMergePrecedence(t *testing.T) {
	got, report := walk(t, `base: &base {a: base, b: base, c: base}
other: &other {b: other, d: other}
nested: &nested {<<: *base, e: nested}
top:
  a: own
  <<: [*other, *nested]
`, nil)
	want := "top.a=own@5 top.b=other@2 top.d=other@2 top.e=nested@3 top.c=base@1"
	if strings.Join(got, " ") != want || report != "" {
		t.Fatalf("pairs %v, report %q\nwant %s", got, report, want)
	}
}

// Duplicate and unknown keys read the same in every file warroom reads.
func TestMapReportsDuplicateAndUnknownKeys(t *testing.T) {
	_, report := walk(t, "top:\n  name: a\n  nmae: b\n  name: c\n  [x]: d\n", []string{"name", "url"})
	want := `f.yaml:3: top.nmae: unknown key (did you mean "name"?); allowed here: name, url
f.yaml:4: top.name: set twice (lines 2 and 4); keep one
f.yaml:5: top: a key must be a plain name, got a list`
	if report != want {
		t.Fatalf("report:\n%s\nwant:\n%s", report, want)
	}
}

// An unknown key in a source merged into many maps is one mistake, on one
// line: reported once.
func TestMergedUnknownKeyIsReportedOnce(t *testing.T) {
	errs := &problems.List{File: "f.yaml"}
	root := Document([]byte("x: &x {nmae: a}\nl: [{<<: *x}, {<<: *x}, {<<: *x}]\n"), errs, "hint")
	w := &Walker{Errs: errs}
	items, _ := w.Items(value(root, "l"), "l")
	for i, it := range items {
		w.Map(it, Index("l", i), "a map", []string{"name"})
	}
	want := `f.yaml:1: l[0].nmae: unknown key (did you mean "name"?); allowed here: name`
	if got := errs.Err().Error(); got != want {
		t.Fatalf("report:\n%s\nwant:\n%s", got, want)
	}
}

func TestMapRefusesBadMerges(t *testing.T) {
	var deep strings.Builder
	deep.WriteString("m0: &m0 {a: 1}\n")
	for i := 1; i <= MaxMergeDepth+1; i++ {
		fmt.Fprintf(&deep, "m%d: &m%d {<<: *m%d}\n", i, i, i-1)
	}
	cases := map[string]struct{ src, want string }{
		"too deep":  {deep.String() + fmt.Sprintf("top: {<<: *m%d}\n", MaxMergeDepth+1), "top: merge keys (<<) nest deeper than 8; flatten them"},
		"scalar":    {"top: {<<: 5}\n", `f.yaml:1: top: << merges maps; got the value "5"`},
		"list item": {"top: {<<: [7]}\n", `f.yaml:1: top: << merges maps; got the value "7"`},
		"itself":    {"top: &t {a: 1, <<: *t}\n", ""},
		"not a map": {"top: [1]\n", "f.yaml:1: top: want a map, got a list"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, report := walk(t, c.src, nil)
			if c.want == "" && report != "" || !strings.Contains(report, c.want) {
				t.Fatalf("report %q, want %q", report, c.want)
			}
		})
	}
}

// Past MaxVisits entries the walk stops: one problem says why, and what
// the cut-short walk would add is not reported.
func TestSpendHaltsTheReport(t *testing.T) {
	src := "x: &x {k: v}\nl: [" + strings.Repeat("*x, ", 200) + "*x]\n"
	errs := &problems.List{File: "f.yaml"}
	root := Document([]byte(src), errs, "hint")
	w := &Walker{Errs: errs, visits: MaxVisits - 300}
	items, _ := w.Items(value(root, "l"), "l")
	read := 0
	for i, it := range items {
		if pairs, _ := w.Map(it, Index("l", i), "a map", []string{"k"}); len(pairs) == 1 {
			read++
		}
	}
	_, again := w.Items(value(root, "l"), "l")
	w.Fail(2, "l", "an echo")
	want := "f.yaml:1: the file expands (through aliases) to over 1000000 entries; write it out without nested aliases"
	if got := errs.Err().Error(); got != want || read != 98 || again {
		t.Fatalf("read %d maps, Items again ok=%v, report:\n%s\nwant 98 maps read, then only %q", read, again, got, want)
	}
}

func TestDescribe(t *testing.T) {
	for want, n := range map[string]*yaml.Node{
		"nothing":       nil,
		"a map":         {Kind: yaml.MappingNode},
		"a list":        {Kind: yaml.SequenceNode},
		`the value "x"`: {Kind: yaml.ScalarNode, Tag: "!!str", Value: "x"},
	} {
		if got := Describe(n); got != want {
			t.Errorf("Describe = %q, want %q", got, want)
		}
	}
	nothing := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	if got := Describe(nothing); got != "nothing" {
		t.Errorf("Describe(null) = %q", got)
	}
}
