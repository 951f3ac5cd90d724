package notify

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"text/template"
	"time"

	"warroom/backends/tmplbound"
)

// Check renders every template once with sample fields, so a template that
// would run away (a huge range, a huge printf width) is found by `check`,
// not at the first incident. Only bounds are judged here: other failures
// depend on the fields given when sending.
func (t *Templates) Check() error {
	var errs []error
	check := func(c *compiled, sample any) {
		where := fmt.Sprintf("template %q", c.cfg.Name)
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
	for _, name := range t.Names() {
		check(t.byName[name], checkFieldsSample())
	}
	for _, name := range sortedKeys(t.alerts) {
		check(t.alerts[name], alertView(t.alerts[name].cfg.Lang, sampleAlert(), alertListMax))
	}
	return errors.Join(errs...)
}

// sampleAlert is a firing message with a resolved alert, for Check.
func sampleAlert() AlertMessage {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return AlertMessage{Site: "sample site", Route: "sample-route", Status: AlertFiring, Incident: "INC-1 P1", At: at, Unacked: 5 * time.Minute,
		Firing: []AlertLine{
			{ID: "mirror-down/tokyo", Severity: "critical", Subject: "tokyo", Text: "tokyo is down", Since: at.Add(-time.Minute)},
			{ID: "mirror-lag/osaka", Severity: "warning", Subject: "osaka", Text: "osaka lags 2h", Since: at, AckedBy: "ana"},
		},
		Resolved: []AlertLine{{ID: "mirror-degraded/seoul", Severity: "warning", Subject: "seoul", Text: "seoul is slow"}}}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
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
