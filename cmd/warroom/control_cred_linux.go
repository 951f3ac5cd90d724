package main

import (
	"fmt"
	"net"
	"syscall"
)

// peerUID is the user id of the process at the other end, as the kernel
// recorded it when it connected (SO_PEERCRED): it cannot be forged.
func peerUID(c *net.UnixConn) (int, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return -1, err
	}
	var cred *syscall.Ucred
	var credErr error
	if err := raw.Control(func(fd uintptr) {
		cred, credErr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return -1, err
	}
	if credErr != nil {
		return -1, fmt.Errorf("peer credentials: %v", credErr)
	}
	return int(cred.Uid), nil
}
