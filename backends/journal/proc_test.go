package journal

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A child process is this test binary re-executed with -test.run pointing at
// TestHelperProcess and these variables saying what to do.
const (
	envHelper = "WARROOM_JOURNAL_HELPER" // "hold" or "append"
	envPath   = "WARROOM_JOURNAL_PATH"
)

// TestHelperProcess is the child's body; it does nothing in a normal run.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(envHelper)
	if mode == "" {
		t.Skip("only runs as a child process of other tests")
	}
	path := os.Getenv(envPath)
	j, _, err := Open(path, Options{})
	if err != nil {
		fmt.Fprintf(os.Stdout, "error %v\n", err)
		os.Exit(2)
	}
	switch mode {
	case "hold":
		fmt.Fprintf(os.Stdout, "ready %d\n", os.Getpid())
		io.Copy(io.Discard, os.Stdin) // hold the lock until killed or stdin closes
	case "append":
		appendUntilKilled(j)
	}
	j.Close()
	os.Exit(0)
}

// appendUntilKilled appends batches of crashRecord and prints "ack FIRST
// LAST" right after each Append returns. Batches are 1-16 records of up to
// 2 KiB each, so a write often spans pages and can be cut by the kill.
func appendUntilKilled(j *Journal) {
	rng := rand.New(rand.NewPCG(uint64(os.Getpid()), 1))
	seq := j.LastSeq()
	for range 100_000 {
		batch := make([][]byte, 1+rng.IntN(16))
		for i := range batch {
			batch[i] = crashRecord(seq + uint64(i) + 1)
		}
		first, err := j.Append(batch...)
		if err != nil {
			fmt.Fprintf(os.Stdout, "error %v\n", err)
			os.Exit(2)
		}
		seq = first + uint64(len(batch)) - 1
		if _, err := fmt.Fprintf(os.Stdout, "ack %d %d\n", first, seq); err != nil {
			os.Exit(3)
		}
	}
}

// crashRecord is the record with seq n, so the parent can check every byte.
func crashRecord(n uint64) []byte {
	pad := strings.Repeat(string(rune('a'+n%26)), int(n*7919%2000))
	return []byte(fmt.Sprintf(`{"kind":"crash.test","n":%d,"pad":"%s"}`, n, pad))
}

// child is a running helper process with its stdout as lines.
type child struct {
	cmd   *exec.Cmd
	lines *bufio.Scanner
	stdin io.WriteCloser
}

func startChild(t *testing.T, mode, path string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), envHelper+"="+mode, envPath+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start child: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return &child{cmd: cmd, lines: bufio.NewScanner(out), stdin: in}
}

// killAndWait sends SIGKILL and reaps the child.
func (c *child) killAndWait(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatalf("kill child: %v", err)
	}
	c.cmd.Wait()
}

func TestLockHeldByAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	c := startChild(t, "hold", path)
	if !c.lines.Scan() || !strings.HasPrefix(c.lines.Text(), "ready ") {
		t.Fatalf("child did not get ready: %q %v", c.lines.Text(), c.lines.Err())
	}
	pid := c.cmd.Process.Pid
	_, _, err := Open(path, Options{})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("Open while the child holds it: %v; want ErrLocked", err)
	}
	want := fmt.Sprintf("journal %s is in use by pid %d (journal.test on ", path, pid)
	if !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "; stop that process or use another state_dir") {
		t.Fatalf("error = %q; want it to start %q", err, want)
	}

	c.killAndWait(t) // the lock file still names the dead child
	var log logBook
	j, _ := mustOpen(t, path, Options{Logf: log.logf})
	if want := fmt.Sprintf("took over the lock left by pid %d", pid); !strings.Contains(log.all(), want) {
		t.Fatalf("log = %q; want %q", log.all(), want)
	}
	if _, err := j.Append(obj(1)); err != nil {
		t.Fatal(err)
	}
}

// TestKill9MidAppend kills an appending child at random moments and checks
// that every acknowledged record survives intact. Rounds: WARROOM_KILL_ROUNDS
// (default 200, 50 under -race, 20 with -short).
func TestKill9MidAppend(t *testing.T) {
	rounds := 200
	switch {
	case testing.Short():
		rounds = 20
	case raceBuild:
		rounds = 50
	}
	if s := os.Getenv("WARROOM_KILL_ROUNDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("WARROOM_KILL_ROUNDS=%q: want a positive number", s)
		}
		rounds = n
	}
	dir := t.TempDir()
	var path string
	rng := rand.New(rand.NewPCG(uint64(os.Getpid()), 2))
	var acked, maxAck, onDisk uint64
	var cuts, tornBytes int
	for round := range rounds {
		// A new journal every 25 kills keeps each reopen's scan short.
		if round%25 == 0 {
			onDisk += maxAck
			path = filepath.Join(dir, fmt.Sprintf("events-%d.jsonl", round))
			maxAck = 0
		}
		c := startChild(t, "append", path)
		killAfter := 1 + rng.IntN(20)
		n := 0
		for c.lines.Scan() {
			var first, last uint64
			if _, err := fmt.Sscanf(c.lines.Text(), "ack %d %d", &first, &last); err != nil {
				t.Fatalf("round %d: child said %q", round, c.lines.Text())
			}
			if first != maxAck+1 || last < first {
				t.Fatalf("round %d: ack %d-%d after ack up to %d", round, first, last, maxAck)
			}
			acked += last - first + 1
			maxAck = last
			if n++; n == killAfter {
				c.cmd.Process.Kill()
			}
			// Keep reading after the kill: acks already in the pipe count.
		}
		c.cmd.Wait()
		if n < killAfter {
			t.Fatalf("round %d: child stopped after %d acks without being killed", round, n)
		}

		var log logBook
		j, recs, err := Open(path, Options{Logf: log.logf})
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		if note := log.all(); strings.Contains(note, "cut torn tail") {
			cuts++
			var b, at int
			fmt.Sscanf(note[strings.Index(note, "cut torn tail"):], "cut torn tail: %d bytes at offset %d", &b, &at)
			tornBytes += b
		}
		if uint64(len(recs)) < maxAck {
			t.Fatalf("round %d: %d records after reopen, but seq %d was acknowledged", round, len(recs), maxAck)
		}
		for i, r := range recs {
			if r.Seq != uint64(i+1) || string(r.Data) != string(crashRecord(r.Seq)) {
				t.Fatalf("round %d: record %d is seq %d %.60s; want seq %d intact", round, i, r.Seq, r.Data, i+1)
			}
		}
		// Unacknowledged records that made it to disk whole are kept; the
		// next child continues after them.
		maxAck = j.LastSeq()
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d kills, %d acknowledged records, 0 lost, %d torn tails cut (%d bytes), %d records on disk",
		rounds, acked, cuts, tornBytes, onDisk+maxAck)
}
