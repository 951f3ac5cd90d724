package yamlnode

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"warroom/backends/problems"
)

// Document parses data as one YAML document and returns its root, aliases
// resolved; nil after reporting to errs a syntax error (at yaml's line, or
// at the first line indented with a tab), or a file with no settings. A
// second document is reported too. hint ends the "no settings" messages
// with what to write ("start from examples/warroom.yaml").
func Document(data []byte, errs *problems.List, hint string) *yaml.Node {
	if len(bytes.TrimSpace(data)) == 0 {
		errs.Add(0, "", "the file is empty; %s", hint)
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	err := safeDecode(dec, &doc)
	if errors.Is(err, io.EOF) {
		errs.Add(0, "", "the file has no settings, only comments; %s", hint)
		return nil
	}
	if err != nil {
		syntax(errs, data, err)
		return nil
	}
	var extra yaml.Node
	switch err := safeDecode(dec, &extra); {
	case err == nil:
		errs.Add(extra.Line, "", "a second YAML document starts here; warroom reads one, so remove the --- and what follows or merge it into the first")
	case !errors.Is(err, io.EOF):
		syntax(errs, data, err)
	}
	root := &doc
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		root = doc.Content[0]
	}
	root = Resolve(root)
	if IsNull(root) {
		errs.Add(0, "", "the file has no settings; %s", hint)
		return nil
	}
	return root
}

var (
	yamlLine      = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	unknownAnchor = regexp.MustCompile(`^yaml: unknown anchor '(.*)' referenced$`)
)

// aliasLine is the first line using *name (yaml's message has none); 0 if
// not found.
func aliasLine(data []byte, name string) int {
	use := regexp.MustCompile(`\*` + regexp.QuoteMeta(name) + `($|[\s,\]}])`)
	for i, line := range strings.Split(string(data), "\n") {
		if use.MatchString(line) {
			return i + 1
		}
	}
	return 0
}

// syntax reports a YAML syntax error on yaml's line, or the first line
// indented with a tab when there is one (yaml's own message for that,
// "found character that cannot start any token", rarely helps).
func syntax(errs *problems.List, data []byte, err error) {
	for i, line := range strings.Split(string(data), "\n") {
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		if strings.Contains(indent, "\t") {
			errs.Add(i+1, "", "a tab indents this line; YAML indents with spaces only")
			return
		}
	}
	msg := err.Error()
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		errs.Add(aliasLine(data, m[1]), "", "*%s names no anchor: define &%s before this line, or remove the *", m[1], m[1])
		return
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		errs.Add(line, "", "not valid YAML syntax: %s", m[2])
		return
	}
	errs.Add(0, "", "not valid YAML syntax: %s", strings.TrimPrefix(msg, "yaml: "))
}

// safeDecode turns a panic inside the YAML library into an error: a
// malformed file must be reported, never crash the program.
func safeDecode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: the parser failed on this file (%v); check its syntax", r)
		}
	}()
	return dec.Decode(n)
}
