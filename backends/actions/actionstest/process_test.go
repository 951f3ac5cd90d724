package actionstest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A server outlives no test binary, even one killed before its cleanup ran:
// a child test binary starts named and is killed; named must go too.
func TestServerDiesWithTheTestBinary(t *testing.T) {
	if os.Getenv("ACTIONSTEST_CHILD") == "1" {
		ns := StartNamed(t, "example.org", "www.example.org", "A", "127.0.0.1", "", "")
		fmt.Printf("named %d\n", ns.srv.cmd.Process.Pid)
		_, _ = io.Copy(io.Discard, os.Stdin) // until the parent goes
		return
	}
	child := exec.Command(os.Args[0], "-test.run=^TestServerDiesWithTheTestBinary$", "-test.count=1")
	child.Env = append(os.Environ(), "ACTIONSTEST_CHILD=1")
	child.SysProcAttr = &syscall.SysProcAttr{}
	dieWithParent(child.SysProcAttr)
	stdin, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	var seen []string
	for sc := bufio.NewScanner(out); pid == 0 && sc.Scan(); {
		seen = append(seen, sc.Text())
		_, _ = fmt.Sscanf(sc.Text(), "named %d", &pid)
	}
	if pid == 0 {
		_ = child.Process.Kill()
		_ = child.Wait()
		t.Fatalf("the child started no named:\n%s", strings.Join(seen, "\n"))
	}
	t.Cleanup(func() { _ = syscall.Kill(-pid, syscall.SIGKILL) }) // if it did outlive the child
	_ = child.Process.Kill()
	_ = child.Wait()
	for deadline := time.Now().Add(10 * time.Second); alive(pid); {
		if time.Now().After(deadline) {
			t.Fatalf("named %d still runs 10s after the test binary that started it was killed", pid)
		}
		time.Sleep(10 * time.Millisecond) // polling interval of a bounded wait
	}
}

// alive: the process exists and is no zombie (an unreaped zombie runs nothing).
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return syscall.Kill(pid, 0) == nil // no /proc: ask the kernel
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(rest, "Z") && !strings.HasPrefix(rest, "X")
}
