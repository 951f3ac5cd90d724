package report

import "fmt"

// responders collects what each person did, in the order they first acted.
type responders struct {
	order  []string
	acts   map[string][]string
	counts map[string]map[string]int // person → format → count
	slot   map[string]map[string]int // person → format → index in did
}

func newResponders() *responders {
	return &responders{acts: map[string][]string{}, counts: map[string]map[string]int{}, slot: map[string]map[string]int{}}
}

func (p *responders) add(name string) bool {
	if name == "" {
		return false
	}
	if _, ok := p.acts[name]; !ok {
		p.order = append(p.order, name)
		p.acts[name] = []string{}
		p.counts[name] = map[string]int{}
		p.slot[name] = map[string]int{}
	}
	return true
}

// did records one thing a person did.
func (p *responders) did(name, what string) {
	if p.add(name) {
		p.acts[name] = append(p.acts[name], what)
	}
}

// count records one more of a repeated thing; format takes the count and
// a plural "s" ("acknowledged %d alert%s").
func (p *responders) count(name, format string) {
	if !p.add(name) {
		return
	}
	n := p.counts[name][format] + 1
	p.counts[name][format] = n
	plural := "s"
	if n == 1 {
		plural = ""
	}
	line := fmt.Sprintf(format, n, plural)
	if i, ok := p.slot[name][format]; ok {
		p.acts[name][i] = line
		return
	}
	p.slot[name][format] = len(p.acts[name])
	p.acts[name] = append(p.acts[name], line)
}

// list returns the responders with their room roles where known.
func (p *responders) list(roles map[string]string) []Responder {
	out := make([]Responder, 0, len(p.order))
	for _, n := range p.order {
		out = append(out, Responder{Name: n, Role: roles[n], Did: p.acts[n]})
	}
	return out
}
