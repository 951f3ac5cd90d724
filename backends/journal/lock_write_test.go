package journal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A lock file that takes the flock but not the holder's name (a full disk)
// must fail Open: the lock would otherwise name no one, or a dead process.
func TestOpenFailsWhenTheLockFileCannotBeWritten(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full:", err)
	}
	path := filepath.Join(t.TempDir(), "events.jsonl")
	if err := os.Symlink("/dev/full", path+".lock"); err != nil {
		t.Fatal(err)
	}
	j, _, err := Open(path, Options{})
	if err == nil {
		j.Close()
		t.Fatal("Open succeeded with a lock file that takes no writes")
	}
	if want := "write lock file " + path + ".lock"; !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %q; want it to say %q", err, want)
	}
}
