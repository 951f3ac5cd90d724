package tmplbound

import (
	"errors"
	"fmt"
	"strings"
	"text/template"
	"text/template/parse"
	"time"
)

// stepFunc is the function Guard calls at every range iteration and
// template call; Execute binds it to that execution's budget.
const stepFunc = "tmplboundStep"

// Funcs are the functions a bounded template is parsed with: the step
// placeholder, and print, printf and println that refuse to build a string
// past the output bound (a huge printf width allocates before anything is
// written).
func Funcs(l Limits) template.FuncMap {
	over := &LimitError{What: "output", L: l}
	capped := func(s string) (string, error) {
		if len(s) > l.Output {
			return "", over
		}
		return s, nil
	}
	return template.FuncMap{
		stepFunc: func() (string, error) { return "", nil },
		"print":  func(a ...any) (string, error) { return capped(fmt.Sprint(a...)) },
		"println": func(a ...any) (string, error) {
			return capped(fmt.Sprintln(a...))
		},
		"printf": func(format string, a ...any) (string, error) {
			if widest(format) > l.Output {
				return "", over
			}
			return capped(fmt.Sprintf(format, a...))
		},
	}
}

// widest is the largest width or precision written in format's verbs, or
// more than any bound when one is taken from an argument (*).
func widest(format string) int {
	most := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		n := 0
		for i++; i < len(format); i++ {
			c := format[i]
			switch {
			case c == '*':
				return int(^uint(0) >> 1)
			case c >= '0' && c <= '9':
				if n < 1<<30 {
					n = n*10 + int(c-'0')
				}
				most = max(most, n)
				continue
			case c == '.' || c == '+' || c == '-' || c == '#' || c == ' ' || c == '[' || c == ']':
				n = 0
				continue
			}
			break
		}
	}
	return most
}

// Guard makes every range iteration and every template call in t (and the
// templates it defines) take a step. Call it after Parse, before Execute.
func Guard(t *template.Template) {
	step := stepNode()
	for _, tt := range t.Templates() {
		if tt.Tree == nil || tt.Tree.Root == nil {
			continue
		}
		guardList(tt.Tree.Root, step)
		tt.Tree.Root.Nodes = append([]parse.Node{step}, tt.Tree.Root.Nodes...)
	}
}

func guardList(l *parse.ListNode, step parse.Node) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		switch x := n.(type) {
		case *parse.RangeNode:
			guardList(x.List, step)
			guardList(x.ElseList, step)
			if x.List != nil {
				x.List.Nodes = append([]parse.Node{step}, x.List.Nodes...)
			}
		case *parse.IfNode:
			guardList(x.List, step)
			guardList(x.ElseList, step)
		case *parse.WithNode:
			guardList(x.List, step)
			guardList(x.ElseList, step)
		}
	}
}

// stepNode is the action {{tmplboundStep}}.
func stepNode() parse.Node {
	t := template.Must(template.New("step").Funcs(template.FuncMap{stepFunc: func() string { return "" }}).Parse("{{" + stepFunc + "}}"))
	return t.Tree.Root.Nodes[0]
}

// Execute runs t (guarded) with data within l and returns its output. A
// bound passed is a *LimitError (errors.As finds it).
func Execute(t *template.Template, data any, l Limits) (string, error) {
	run, err := t.Clone()
	if err != nil {
		return "", err
	}
	b := &budget{l: l, start: time.Now()}
	run.Funcs(template.FuncMap{stepFunc: b.step})
	w := &capWriter{b: b}
	if err := run.Execute(w, data); err != nil {
		var le *LimitError
		if errors.As(err, &le) {
			return "", le
		}
		return "", err
	}
	return w.buf.String(), nil
}

// budget is one execution's account of steps and time.
type budget struct {
	l     Limits
	start time.Time
	steps int
}

func (b *budget) step() (string, error) {
	b.steps++
	if b.steps > b.l.Steps {
		return "", &LimitError{What: "steps", L: b.l}
	}
	if b.steps%64 == 0 && time.Since(b.start) > b.l.Timeout {
		return "", &LimitError{What: "time", L: b.l}
	}
	return "", nil
}

// capWriter keeps the output, failing once it passes the bound.
type capWriter struct {
	b   *budget
	buf strings.Builder
}

func (w *capWriter) Write(p []byte) (int, error) {
	if w.buf.Len()+len(p) > w.b.l.Output {
		return 0, &LimitError{What: "output", L: w.b.l}
	}
	if time.Since(w.b.start) > w.b.l.Timeout {
		return 0, &LimitError{What: "time", L: w.b.l}
	}
	return w.buf.WriteString(string(p))
}
