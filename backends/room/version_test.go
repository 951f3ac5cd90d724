package room

import (
	"context"
	"strings"
	"testing"
	"time"

	"warroom/backends/actions"
)

// listingExec is an executor with a list step.
type listingExec struct {
	fakeExec
	vs []actions.Version
}

func (l *listingExec) List(context.Context, actions.Op) ([]actions.Version, error) { return l.vs, nil }

func TestVersionsSpeakTheRoomsType(t *testing.T) {
	at := time.Date(2026, 8, 22, 14, 4, 0, 0, time.UTC)
	exec := &listingExec{vs: []actions.Version{{ID: "v42", Label: "release 42", At: at}, {ID: "v41"}}}
	h := startRoom(t, Options{Config: actionConfig(), Executors: map[string]actions.Executor{"edge": &fakeExec{}, "deploy": exec}})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	vs, err := h.r.Versions(ctx, "web")
	if err != nil {
		t.Fatal(err)
	}
	want := []Version{{ID: "v42", Label: "release 42", At: at}, {ID: "v41"}}
	if len(vs) != len(want) || vs[0] != want[0] || vs[1] != want[1] {
		t.Fatalf("Versions = %+v, want %+v", vs, want)
	}
	if _, err := h.r.Versions(ctx, "nope"); err == nil || !strings.Contains(err.Error(), `"nope" is not a rollback target`) {
		t.Fatalf("an unknown target: err = %v", err)
	}
}
