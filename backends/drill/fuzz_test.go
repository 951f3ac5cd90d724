package drill

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse: any input gives a scenario or problems naming the file, never
// a panic or a hang.
// Run: go test -run '^$' -fuzz FuzzParse ./backends/drill
func FuzzParse(f *testing.F) {
	f.Add([]byte(briefExample))
	for _, b := range bombs() {
		f.Add([]byte(b.src))
	}
	f.Add([]byte("a: &a {<<: *a}\n"))
	f.Add([]byte("faults: &f [*f]\n"))
	shipped, _ := filepath.Glob("../../examples/drills/*.yaml")
	for _, path := range shipped {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("f.yaml", data)
		if err == nil {
			if s == nil || len(s.Faults) == 0 || len(s.Goals) == 0 {
				t.Fatalf("accepted without faults or goals: %+v", s)
			}
			return
		}
		for _, e := range unjoin(err) {
			var fe *FieldError
			if !errors.As(e, &fe) || fe.File != "f.yaml" {
				t.Fatalf("problem %v does not name the file", e)
			}
		}
	})
}
