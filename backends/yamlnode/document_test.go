package yamlnode

import (
	"strings"
	"testing"

	"warroom/backends/problems"
)

func TestDocumentReportsWholeFileProblems(t *testing.T) {
	cases := map[string]struct{ src, want string }{
		"empty":           {" \n\n", "f.yaml: the file is empty; start here"},
		"only comments":   {"# later\n", "f.yaml: the file has no settings, only comments; start here"},
		"null":            {"~\n", "f.yaml: the file has no settings; start here"},
		"syntax":          {"x: 1\na: b: c\n", "f.yaml:2: not valid YAML syntax: mapping values are not allowed in this context"},
		"tab":             {"a:\n\tb: c\n", "f.yaml:2: a tab indents this line; YAML indents with spaces only"},
		"second document": {"a: 1\n---\nb: 2\n", "f.yaml:2: a second YAML document starts here"},
		"alias to none":   {"a: &nopeish 1\nc: [*nopeish]\nb: *nope\n", "f.yaml:3: *nope names no anchor: define &nope before this line, or remove the *"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			errs := &problems.List{File: "f.yaml"}
			Document([]byte(c.src), errs, "start here")
			if err := errs.Err(); err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("report %v, want %q", err, c.want)
			}
		})
	}
}

// The root comes back with its aliases resolved, and no report.
func TestDocumentReturnsTheRoot(t *testing.T) {
	errs := &problems.List{File: "f.yaml"}
	root := Document([]byte("a: 1\n"), errs, "hint")
	if root == nil || Describe(root) != "a map" || errs.Err() != nil {
		t.Fatalf("root %v, report %v", root, errs.Err())
	}
}
