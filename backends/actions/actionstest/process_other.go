//go:build !linux

package actionstest

import "syscall"

// dieWithParent: only Linux has a parent-death signal; elsewhere cleanup
// alone stops the server.
func dieWithParent(*syscall.SysProcAttr) {}
