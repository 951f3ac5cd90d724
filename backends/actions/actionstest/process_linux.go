package actionstest

import "syscall"

// dieWithParent has the kernel kill the server when the test binary dies,
// even by SIGKILL when no cleanup runs.
func dieWithParent(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
