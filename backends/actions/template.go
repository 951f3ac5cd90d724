package actions

import (
	"fmt"
	"strings"
	"text/template"

	"warroom/backends/tmplbound"
)

// tmpl is one compiled template of a config field; field names it in errors.
type tmpl struct {
	field string
	src   string // never printed: it may hold a secret from ${ENV}
	t     *template.Template
}

func funcs() template.FuncMap {
	return template.FuncMap{"join": strings.Join}
}

// compile parses a field's template. The error names the field, never the
// text (which may hold a secret that came from ${ENV}).
func compile(field, text string) (tmpl, error) {
	t, err := template.New(field).Option("missingkey=error").Funcs(tmplbound.Funcs(tmplbound.Default)).Funcs(funcs()).Parse(text)
	if err != nil {
		return tmpl{}, fmt.Errorf("%s: %v", field, err)
	}
	tmplbound.Guard(t)
	return tmpl{field: field, src: text, t: t}, nil
}

func (t tmpl) render(op Op) (string, error) {
	out, err := tmplbound.Execute(t.t, op, tmplbound.Default)
	if err != nil {
		return "", fmt.Errorf("%s: %v", t.field, err)
	}
	return out, nil
}

func compileAll(field string, texts []string) ([]tmpl, error) {
	out := make([]tmpl, len(texts))
	for i, s := range texts {
		t, err := compile(fmt.Sprintf("%s[%d]", field, i), s)
		if err != nil {
			return nil, err
		}
		out[i] = t
	}
	return out, nil
}

func renderAll(ts []tmpl, op Op) ([]string, error) {
	out := make([]string, len(ts))
	for i, t := range ts {
		s, err := t.render(op)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}
