package notify

import (
	"reflect"
	"time"
)

// Fields are what an announcement template can use, pre-filled by the room
// and editable before sending. Extra holds site-specific fields, read in a
// template as {{.Extra.name}}.
type Fields struct {
	Site             string
	Incident         string
	Level            string
	Phase            string
	Title            string
	Commander        string
	Scope            string // what is affected: mirrors, regions
	Regions          string
	DownMirrors      string
	Measures         string // what has been done so far
	ExpectedRecovery string
	NextUpdate       string // when the next update comes, e.g. "14:30 UTC"
	Contact          string
	Time             time.Time
	Extra            map[string]string
}

// fieldNames lists a template data type's fields in declaration order,
// for errors that say which fields exist.
func fieldNames(t reflect.Type) []string {
	out := make([]string, t.NumField())
	for i := range out {
		out[i] = t.Field(i).Name
	}
	return out
}
