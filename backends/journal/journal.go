package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// ErrFailed is wrapped by Append's error once a write or sync has failed: the
// journal no longer records anything until the process reopens it.
var ErrFailed = errors.New("journal failed")

// ErrClosed is wrapped by Append's error after Close.
var ErrClosed = errors.New("journal closed")

// Options tunes Open; the zero value is fine.
type Options struct {
	// Now is used for the lock file's "since"; nil = time.Now.
	Now func() time.Time
	// Logf receives recovery notes ("cut torn tail: 37 bytes at offset 4096"); nil = discard.
	Logf func(format string, args ...any)
	// OnAppend is told how long each acknowledged Append took (write and
	// fdatasync), for a latency histogram; it runs under the journal's
	// lock, so it must be quick. nil = not measured.
	OnAppend func(time.Duration)
}

// Record is one journaled object as handed back for replay.
type Record struct {
	Seq  uint64
	Data json.RawMessage // the JSON object as appended (without "_seq" and "_crc")
}

// Journal is an open, locked journal. Its methods are safe for concurrent use,
// though the room is meant to be its only writer.
type Journal struct {
	path string
	lock *lock

	mu      sync.Mutex
	f       *os.File
	lastSeq uint64
	failed  error // the first write or sync error; sticky
	closed  bool
	buf     []byte // reused encoding buffer
	// sync makes written data durable; a test swaps it to inject failures.
	sync     func(*os.File) error
	onAppend func(time.Duration)
}

// keepBuf is the largest encoding buffer kept between Appends.
const keepBuf = 64 << 10

// Open locks and opens the journal at path (creating it and its folder), checks every
// record, cuts a torn tail, and returns the records for replay.
func Open(path string, opts Options) (*Journal, []Record, error) {
	now, logf := opts.Now, opts.Logf
	if now == nil {
		now = time.Now
	}
	if logf == nil {
		logf = func(string, ...any) {}
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, nil, fmt.Errorf("journal %s: create folder: %w", path, err)
	}
	lk, err := acquireLock(path, now(), logf)
	if err != nil {
		return nil, nil, err
	}
	j, recs, err := openLocked(path, logf)
	if err != nil {
		lk.release()
		return nil, nil, err
	}
	j.lock, j.onAppend = lk, opts.OnAppend
	return j, recs, nil
}

// openLocked opens, checks and repairs the journal file; the caller holds the lock.
func openLocked(path string, logf func(string, ...any)) (*Journal, []Record, error) {
	_, statErr := os.Stat(path)
	created := errors.Is(statErr, os.ErrNotExist)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return nil, nil, fmt.Errorf("journal %s: open: %w", path, err)
	}
	res, err := scan(f, path)
	if err == nil && res.tornLine != 0 {
		err = cutTail(f, path, res, logf)
	}
	if err == nil && created {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	j := &Journal{path: path, f: f, lastSeq: res.lastSeq, sync: fdatasync}
	return j, res.records, nil
}

// cutTail truncates the torn tail scan found and syncs the new length.
func cutTail(f *os.File, path string, res scanResult, logf func(string, ...any)) error {
	if err := f.Truncate(res.goodEnd); err != nil {
		return fmt.Errorf("journal %s: cut torn tail at byte offset %d: %w (is the file or disk read-only?)", path, res.goodEnd, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("journal %s: sync after cutting torn tail: %w", path, err)
	}
	logf("journal %s: cut torn tail: %d bytes at offset %d (line %d: %s)",
		path, res.size-res.goodEnd, res.goodEnd, res.tornLine, res.tornReason)
	return nil
}

// syncDir makes a newly created file's directory entry durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("journal folder %s: open to sync: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("journal folder %s: sync: %w", dir, err)
	}
	return nil
}

// fdatasync is the production sync: the data and the file size, not the mtime.
func fdatasync(f *os.File) error {
	for range 100 {
		err := syscall.Fdatasync(int(f.Fd()))
		if err != syscall.EINTR {
			return err
		}
	}
	return syscall.EINTR
}

// Append journals objs as consecutive records with one write and one
// fdatasync (group commit) and returns the first record's seq. Each obj is one
// JSON object without a newline. Nothing is acknowledged unless everything
// is: an invalid obj rejects the batch before anything is written
// (ErrInvalidRecord, the journal stays usable); a write or sync error fails
// the journal for good (ErrFailed on every later call).
func (j *Journal) Append(objs ...[]byte) (firstSeq uint64, err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	switch {
	case j.closed:
		return 0, fmt.Errorf("journal %s: append after Close: %w", j.path, ErrClosed)
	case j.failed != nil:
		return 0, fmt.Errorf("journal %s: not recording since an earlier failure (%v): restart to reopen and recover it: %w", j.path, j.failed, ErrFailed)
	case len(objs) == 0:
		return 0, fmt.Errorf("journal %s: Append called with no records", j.path)
	}
	buf := j.buf[:0]
	seq := j.lastSeq
	for i, obj := range objs {
		if err := checkObject(obj); err != nil {
			return 0, fmt.Errorf("journal %s: record %d of %d: %w", j.path, i+1, len(objs), err)
		}
		seq++
		buf = appendLine(buf, obj, seq)
	}
	if cap(buf) <= keepBuf {
		j.buf = buf
	}
	start := time.Now()
	if _, err := j.f.Write(buf); err != nil {
		j.failed = fmt.Errorf("write: %w", err)
		return 0, fmt.Errorf("journal %s: write %d records (seq %d-%d): %w; the journal stops recording: %w", j.path, len(objs), j.lastSeq+1, seq, err, ErrFailed)
	}
	if err := j.sync(j.f); err != nil {
		j.failed = fmt.Errorf("fdatasync: %w", err)
		return 0, fmt.Errorf("journal %s: fdatasync after writing seq %d-%d: %w; their durability is unknown and the journal stops recording: %w", j.path, j.lastSeq+1, seq, err, ErrFailed)
	}
	if j.onAppend != nil {
		j.onAppend(time.Since(start))
	}
	first := j.lastSeq + 1
	j.lastSeq = seq
	return first, nil
}

// Close closes the file and releases the lock. Every acknowledged record is
// already on disk, so Close does not sync. Calling it again does nothing.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return nil
	}
	j.closed = true
	errF := j.f.Close()
	if errF != nil {
		errF = fmt.Errorf("journal %s: close: %w", j.path, errF)
	}
	errL := j.lock.release()
	if errL != nil {
		errL = fmt.Errorf("journal %s: release lock: %w", j.path, errL)
	}
	return errors.Join(errF, errL)
}

// Path returns the journal file's path as given to Open.
func (j *Journal) Path() string { return j.path }

// LastSeq returns the seq of the last record written (0 for an empty journal).
func (j *Journal) LastSeq() uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.lastSeq
}
