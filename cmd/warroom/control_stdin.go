package main

import (
	"errors"
	"io"
	"sync"
)

// maxPendingStdin bounds what a client may type ahead of the command.
const maxPendingStdin = 1 << 20

// stdinBuffer is a command's standard input as it arrives from the
// client. Writes never block, so the reader of the connection keeps
// reading and notices at once when the client hangs up.
type stdinBuffer struct {
	mu   sync.Mutex
	cond *sync.Cond
	buf  []byte
	err  error // io.EOF after the client's stdin ended; set once
}

func newStdinBuffer() *stdinBuffer {
	b := &stdinBuffer{}
	b.cond = sync.NewCond(&b.mu)
	return b
}

func (b *stdinBuffer) write(p []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.buf)+len(p) > maxPendingStdin {
		return errors.New("control: more than 1 MiB of standard input unread")
	}
	b.buf = append(b.buf, p...)
	b.cond.Broadcast()
	return nil
}

// close ends the input: io.EOF when the client's stdin ended, another
// error when the client is gone.
func (b *stdinBuffer) close(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err == nil {
		b.err = err
	}
	b.cond.Broadcast()
}

func (b *stdinBuffer) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.buf) == 0 && b.err == nil {
		b.cond.Wait()
	}
	if len(b.buf) == 0 {
		return 0, b.err
	}
	n := copy(p, b.buf)
	b.buf = b.buf[n:]
	return n, nil
}

var _ io.Reader = (*stdinBuffer)(nil)
