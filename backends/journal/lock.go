package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// ErrLocked is wrapped by Open's error when another process (or another Open
// in this process) holds the journal.
var ErrLocked = errors.New("journal is locked")

// Holder is what the lock file says about the process holding the lock.
type Holder struct {
	PID   int       `json:"pid"`
	Host  string    `json:"host"`
	Exe   string    `json:"exe"`
	Since time.Time `json:"since"`
}

func (h Holder) String() string {
	if h.PID == 0 {
		return "another process (its lock file names none yet)"
	}
	exe := filepath.Base(h.Exe)
	if h.Exe == "" {
		exe = "unknown program"
	}
	return fmt.Sprintf("pid %d (%s on %s, since %s)", h.PID, exe, h.Host, h.Since.UTC().Format(time.RFC3339))
}

// LockedError names who holds a journal.
type LockedError struct {
	Path   string // the journal, not the lock file
	Holder Holder
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("journal %s is in use by %s; stop that process or use another state_dir", e.Path, e.Holder)
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// lock is a held flock on the journal's lock file.
type lock struct{ f *os.File }

// acquireLock takes flock(LOCK_EX|LOCK_NB) on journalPath+".lock" and writes
// who we are into it. flock dies with the process, so a lock file left by a
// dead process is simply taken over (and logged).
func acquireLock(journalPath string, now time.Time, logf func(string, ...any)) (*lock, error) {
	name := journalPath + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("journal %s: open lock file: %w", journalPath, err)
	}
	if err := flock(f, syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		prev := readHolder(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &LockedError{Path: journalPath, Holder: prev}
		}
		return nil, fmt.Errorf("journal %s: lock %s: %w", journalPath, name, err)
	}
	if prev := readHolder(f); prev.PID != 0 {
		logf("journal %s: took over the lock left by %s, which no longer holds it", journalPath, prev)
	}
	me := Holder{PID: os.Getpid(), Since: now.UTC().Truncate(time.Second)}
	me.Host, _ = os.Hostname()
	me.Exe, _ = os.Executable()
	b, _ := json.Marshal(me)
	b = append(b, '\n')
	err = f.Truncate(0)
	if err == nil {
		_, err = f.WriteAt(b, 0)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("journal %s: write lock file %s: %w", journalPath, name, err)
	}
	return &lock{f: f}, nil
}

// release empties the lock file (so it names no one) and drops the flock.
// The file itself stays: removing it would let two processes lock two
// different inodes of the same name.
func (l *lock) release() error {
	l.f.Truncate(0)
	return l.f.Close()
}

func flock(f *os.File, how int) error {
	for range 100 {
		err := syscall.Flock(int(f.Fd()), how)
		if err != syscall.EINTR {
			return err
		}
	}
	return syscall.EINTR
}

// readHolder reads the lock file's description of its holder; zero if absent
// or unreadable (the Holder may be writing it right now).
func readHolder(f *os.File) Holder {
	var h Holder
	b, err := io.ReadAll(io.NewSectionReader(f, 0, 4096))
	if err == nil {
		json.Unmarshal(b, &h)
	}
	return h
}
