package notify

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"

	"gopkg.in/yaml.v3"

	"warroom/backends/config"
	"warroom/backends/tmplbound"
)

// Phases an announcement template can be for, in incident order.
var Phases = []string{"investigating", "identified", "monitoring", "resolved"}

//go:embed templates/*.yaml
var builtinFS embed.FS

// Templates is a set of announcement templates by name, and the alert
// message templates (phase alert) kept apart: they are not offered for
// announcements.
type Templates struct {
	byName map[string]*compiled
	alerts map[string]*compiled
}

type compiled struct {
	cfg         config.Template
	title, text *template.Template
}

// Builtin returns the shipped templates: every phase in English ("resolved")
// and Chinese ("resolved-zh"). They are tested, so a broken one panics.
func Builtin() *Templates {
	t := &Templates{byName: map[string]*compiled{}}
	files, err := fs.Glob(builtinFS, "templates/*.yaml")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		data, err := builtinFS.ReadFile(f)
		if err != nil {
			panic(err)
		}
		var c struct{ Name, Phase, Lang, Title, Text string }
		if err := yaml.Unmarshal(data, &c); err != nil {
			panic(fmt.Sprintf("notify: built-in template %s: %v", f, err))
		}
		if err := t.Add(config.Template{Name: c.Name, Phase: c.Phase, Lang: c.Lang, Title: c.Title, Text: c.Text}); err != nil {
			panic(fmt.Sprintf("notify: built-in template %s: %v", f, err))
		}
	}
	return t
}

// Add parses c and adds it, replacing a template of the same name. Errors
// name the template, the part (title or text), the line and the field.
func (t *Templates) Add(c config.Template) error {
	if t.byName == nil {
		t.byName = map[string]*compiled{}
	}
	where := fmt.Sprintf("template %q", c.Name)
	if c.Line > 0 {
		where = fmt.Sprintf("config line %d: %s", c.Line, where)
	}
	if c.Name == "" {
		return fmt.Errorf("%s: no name; give every template a name", where)
	}
	if c.Phase != "" && c.Phase != AlertPhase && !contains(Phases, c.Phase) {
		return fmt.Errorf("%s: phase %q is not one of %s, %s", where, c.Phase, strings.Join(Phases, ", "), AlertPhase)
	}
	if c.Lang == "" {
		c.Lang = "en"
	}
	if c.Title == "" && c.Text == "" {
		return fmt.Errorf("%s: no title and no text; give at least one", where)
	}
	dst, data := t.byName, reflect.TypeFor[Fields]()
	if c.Phase == AlertPhase {
		if t.alerts == nil {
			t.alerts = map[string]*compiled{}
		}
		dst, data = t.alerts, reflect.TypeFor[AlertView]()
	}
	title, err := compile(where, c.Name, "title", c.Title, data)
	if err != nil {
		return err
	}
	text, err := compile(where, c.Name, "text", c.Text, data)
	if err != nil {
		return err
	}
	dst[c.Name] = &compiled{cfg: c, title: title, text: text}
	return nil
}

// builtin is Builtin, parsed once.
var builtin = sync.OnceValue(Builtin)

// Names lists the templates, sorted.
func (t *Templates) Names() []string { return sortedKeys(t.byName) }

// Get returns a template's definition (name, phase, language, sources).
func (t *Templates) Get(name string) (config.Template, bool) {
	c, ok := t.byName[name]
	if !ok {
		return config.Template{}, false
	}
	return c.cfg, true
}

// Render fills template name with f.
func (t *Templates) Render(name string, f Fields) (title, text string, err error) {
	c, ok := t.byName[name]
	if !ok {
		return "", "", fmt.Errorf("template %q: no such template; templates are %s", name, strings.Join(t.Names(), ", "))
	}
	if f.Extra == nil {
		f.Extra = map[string]string{}
	}
	where := fmt.Sprintf("template %q", name)
	if title, err = execute(where, "title", c.title, f); err != nil {
		return "", "", err
	}
	if text, err = execute(where, "text", c.text, f); err != nil {
		return "", "", err
	}
	return strings.TrimSpace(title), strings.TrimSpace(text), nil
}

// compile parses one part and checks that every field it names exists in
// data, the type the template is executed with.
func compile(where, name, part, src string, data reflect.Type) (*template.Template, error) {
	tm, err := template.New(name).Option("missingkey=error").Funcs(tmplbound.Funcs(tmplbound.Default)).Parse(src)
	if err != nil {
		return nil, fmt.Errorf("%s %s %s", where, part, cleanParseError(err, name))
	}
	if err := checkFields(tm, data); err != nil {
		return nil, fmt.Errorf("%s %s %s", where, part, err)
	}
	tmplbound.Guard(tm)
	return tm, nil
}

// parseErrRE matches text/template's "template: name:LINE: message".
var parseErrRE = regexp.MustCompile(`^template: [^:]*:(\d+):(?:\d+:)? ?(.*)$`)

func cleanParseError(err error, name string) string {
	if m := parseErrRE.FindStringSubmatch(err.Error()); m != nil {
		return "line " + m[1] + ": " + m[2]
	}
	return err.Error()
}

// execErrRE matches "template: name:LINE:COL: executing "name" at <.X>: message".
var execErrRE = regexp.MustCompile(`^template: [^:]*:(\d+):\d+: executing "[^"]*" at <([^>]*)>: (.*)$`)

func execute(where, part string, tm *template.Template, f any) (string, error) {
	out, err := tmplbound.Execute(tm, f, tmplbound.Default)
	if err != nil {
		var le *tmplbound.LimitError
		if errors.As(err, &le) {
			return "", fmt.Errorf("%s %s: %w", where, part, le)
		}
		if m := execErrRE.FindStringSubmatch(err.Error()); m != nil {
			return "", fmt.Errorf("%s %s line %s: field %q: %s", where, part, m[1], strings.TrimPrefix(m[2], "."), m[3])
		}
		return "", fmt.Errorf("%s %s: %v", where, part, err)
	}
	return out, nil
}

// checkFields walks the parse tree for .Field references where dot is the
// announcement (outside range/with) and for $.Field anywhere.
func checkFields(tm *template.Template, data reflect.Type) error {
	isField := func(name string) bool { _, ok := data.FieldByName(name); return ok }
	var walk func(n parse.Node, top bool) error
	bad := func(n parse.Node, field string) error {
		loc, _ := tm.ErrorContext(n)
		line := loc
		if parts := strings.Split(loc, ":"); len(parts) >= 2 {
			line = parts[1]
		}
		what := "the announcement"
		if data != reflect.TypeFor[Fields]() {
			what = "an alert message"
		}
		return fmt.Errorf("line %s: field %q is not a field of %s; fields are %s", line, field, what, strings.Join(fieldNames(data), ", "))
	}
	walk = func(n parse.Node, top bool) error {
		switch x := n.(type) {
		case nil:
			return nil
		case *parse.ListNode:
			if x == nil {
				return nil
			}
			for _, c := range x.Nodes {
				if err := walk(c, top); err != nil {
					return err
				}
			}
		case *parse.ActionNode:
			return walk(x.Pipe, top)
		case *parse.PipeNode:
			if x == nil {
				return nil
			}
			for _, c := range x.Cmds {
				if err := walk(c, top); err != nil {
					return err
				}
			}
		case *parse.CommandNode:
			for _, a := range x.Args {
				if err := walk(a, top); err != nil {
					return err
				}
			}
		case *parse.FieldNode:
			if top && !isField(x.Ident[0]) {
				return bad(x, x.Ident[0])
			}
		case *parse.VariableNode:
			if x.Ident[0] == "$" && len(x.Ident) > 1 && !isField(x.Ident[1]) {
				return bad(x, x.Ident[1])
			}
		case *parse.ChainNode:
			return walk(x.Node, top)
		case *parse.IfNode:
			return walkBranch(walk, &x.BranchNode, top, top)
		case *parse.RangeNode:
			return walkBranch(walk, &x.BranchNode, top, false)
		case *parse.WithNode:
			return walkBranch(walk, &x.BranchNode, top, false)
		case *parse.TemplateNode:
			return walk(x.Pipe, top)
		}
		return nil
	}
	return walk(tm.Tree.Root, true)
}

// walkBranch checks an if/range/with: the pipeline with the outer dot, the
// body with inner (dot changes inside range and with), else with the outer.
func walkBranch(walk func(parse.Node, bool) error, b *parse.BranchNode, outer, inner bool) error {
	if err := walk(b.Pipe, outer); err != nil {
		return err
	}
	if err := walk(b.List, inner); err != nil {
		return err
	}
	if b.ElseList != nil {
		return walk(b.ElseList, outer)
	}
	return nil
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}
