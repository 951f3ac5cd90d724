package main

import (
	"bufio"
	"bytes"
	"context"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// progressAt is one line of a headless drill's stderr and when it came.
type progressAt struct {
	line string
	came time.Time
}

// TestHeadlessDrillAtSpeedPrintsProgressAsItGoes runs the real binary: a
// drill of a one-minute outage at 20× speed ends in seconds with both
// goals met and exit 0, and says each fault and goal as it happens, with
// the drill clock's time.
func TestHeadlessDrillAtSpeedPrintsProgressAsItGoes(t *testing.T) {
	bin := buildBinary(t)
	scenario := writeScenario(t, "name: quick-outage\nduration: 10m\ngoals: {detect: 1m, recover: 3m}\nfaults:\n  - {kind: mirror-down, mirror: santiago, for: 1m}\n")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "drill", "--demo", "--headless", "--speed", "20", scenario)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var lines []progressAt
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		lines = append(lines, progressAt{line: sc.Text(), came: time.Now()})
	}
	err = cmd.Wait() // only after the pipe is drained: Wait closes it
	took := time.Since(began)
	if err != nil {
		t.Fatalf("exit: %v after %v\nstdout:\n%s\nstderr:\n%s", err, took, stdout.String(), joinLines(lines))
	}
	// At real speed the outage alone lasts a minute.
	if took > 30*time.Second {
		t.Errorf("a 1m outage at 20× took %v of real time", took)
	}
	for _, want := range []string{"| detect | 1m |", "| recover | 3m |", "2 of 2 goals met", ": goals met."} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("scorecard lacks %q:\n%s", want, stdout.String())
		}
	}
	// In order, each at its drill time: [from, to] on the drill's clock.
	wants := []struct {
		text     string
		from, to time.Duration
	}{
		{"drill fault applied: mirror-down santiago", 0, 5 * time.Second},
		{"goal met: detect after ", 0, time.Minute},
		{"drill fault removed: mirror-down santiago", time.Minute, time.Minute + 10*time.Second},
		{"goal met: recover after ", time.Minute, 3 * time.Minute},
		{"drill ended: goals met; 2 of 2 goals met", time.Minute, 3 * time.Minute},
	}
	next := 0
	var came []time.Time
	for _, l := range lines {
		if next == len(wants) || !strings.Contains(l.line, wants[next].text) {
			continue
		}
		w := wants[next]
		at, err := time.ParseDuration(strings.TrimPrefix(strings.Fields(l.line)[0], "+"))
		if err != nil || at < w.from || at > w.to {
			t.Errorf("%q: offset %v (%v), want from %v to %v", l.line, at, err, w.from, w.to)
		}
		came = append(came, l.came)
		next++
	}
	if next < len(wants) {
		t.Fatalf("progress lacks %q (in order):\n%s", wants[next].text, joinLines(lines))
	}
	// Detection comes within seconds of drill time, the end after the
	// minute's outage: 2.5s of real time apart at 20× when printed as
	// they happen, not together at the end.
	if gap := came[len(came)-1].Sub(came[1]); gap < time.Second {
		t.Errorf("the detection and the end were printed %v apart: progress is not printed as it goes", gap)
	}
}

func joinLines(ls []progressAt) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(l.line + "\n")
	}
	return b.String()
}

// TestDrillSpeedFlagSaysWhatIsAllowed: a bad --speed is a usage error
// (exit 2) that says what is allowed, and --speed without the demo or
// headless says why it needs them.
func TestDrillSpeedFlagSaysWhatIsAllowed(t *testing.T) {
	scenario := writeScenario(t, "name: own\nduration: 1m\ngoals: {detect: 30s}\nfaults: [{kind: mirror-down, mirror: santiago}]\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--speed", "0"}, `invalid value "0" for flag -speed: want a whole number from 1 to 20`},
		{[]string{"--speed", "21"}, "want a whole number from 1 to 20 (how many times faster than real time)"},
		{[]string{"--speed", "fast"}, `invalid value "fast" for flag -speed: want a whole number`},
		{[]string{"--speed", "2.5"}, "want a whole number from 1 to 20"},
		{[]string{"--speed", "-3"}, "want a whole number from 1 to 20"},
		{[]string{"--speed", "10", "--headless"}, "--speed needs --demo: a configured fleet's mirrors sync and answer in real time"},
		{[]string{"--speed", "10", "--demo"}, "--speed needs --headless: nobody at a keyboard can respond 10 times faster"},
	} {
		args := append(append([]string{"drill"}, c.args...), scenario)
		code, out, errOut := runCmd(t, "", args...)
		if code != 2 || !strings.Contains(errOut, c.want) || out != "" {
			t.Errorf("warroom %s: exit %d, stderr %q; want 2 and %q", strings.Join(args, " "), code, errOut, c.want)
		}
	}
	if f, err := parseDrill([]string{"--speed", "1", scenario}, &bytes.Buffer{}); err != nil || f.speed != 1 {
		t.Errorf("--speed 1 on a configured fleet: %+v, %v; want accepted (real time)", f, err)
	}
	if f, err := parseDrill([]string{scenario}, &bytes.Buffer{}); err != nil || f.speed != 1 {
		t.Errorf("no --speed: speed %d, %v; want 1", f.speed, err)
	}
}
