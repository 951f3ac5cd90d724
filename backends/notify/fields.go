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

// fieldNames lists Fields' names in declaration order, for errors that say
// which fields exist.
func fieldNames() []string {
	t := reflect.TypeFor[Fields]()
	out := make([]string, t.NumField())
	for i := range out {
		out[i] = t.Field(i).Name
	}
	return out
}

// isField reports whether name is a field of Fields.
func isField(name string) bool {
	_, ok := reflect.TypeFor[Fields]().FieldByName(name)
	return ok
}
