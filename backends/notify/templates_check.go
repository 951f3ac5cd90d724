package notify

import (
	"errors"
	"fmt"
	"reflect"
	"text/template"
	"time"

	"warroom/backends/tmplbound"
)

// Check renders every template once with sample fields, so a template that
// would run away (a huge range, a huge printf width) is found by `check`,
// not at the first incident. Only bounds are judged here: other failures
// depend on the fields given when sending.
func (t *Templates) Check() error {
	sample := checkFieldsSample()
	var errs []error
	for _, name := range t.Names() {
		c := t.byName[name]
		where := fmt.Sprintf("template %q", name)
		if c.cfg.Line > 0 {
			where = fmt.Sprintf("line %d: %s", c.cfg.Line, where)
		}
		for part, tm := range map[string]*template.Template{"title": c.title, "text": c.text} {
			var le *tmplbound.LimitError
			if _, err := execute(where, part, tm, sample); errors.As(err, &le) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// checkFieldsSample has every text field filled with its own name.
func checkFieldsSample() Fields {
	f := Fields{Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Extra: map[string]string{}}
	v := reflect.ValueOf(&f).Elem()
	for i := 0; i < v.NumField(); i++ {
		if v.Field(i).Kind() == reflect.String {
			v.Field(i).SetString("sample " + v.Type().Field(i).Name)
		}
	}
	return f
}
