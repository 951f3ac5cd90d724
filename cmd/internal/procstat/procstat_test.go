package procstat

import (
	"strings"
	"testing"
	"time"
)

func TestParseStatCPUReadsUtimeAndStimeAfterTheName(t *testing.T) {
	// The name holds a space and a parenthesis; utime 250, stime 50 ticks.
	line := "4242 (war room) x) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 9 0"
	got, err := ParseStatCPU(line)
	if err != nil || got != 3*time.Second {
		t.Fatalf("ParseStatCPU = %v, %v; want 3s", got, err)
	}
	if _, err := ParseStatCPU("4242 (cut"); err == nil || !strings.Contains(err.Error(), "no command name") {
		t.Fatalf("a line without ')' gave %v", err)
	}
}
