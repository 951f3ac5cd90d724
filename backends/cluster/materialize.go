package cluster

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"warroom/backends/journal"
)

// Materialize appends to the local journal the records it lacks, in one
// write, so journal.jsonl stays a copy of the replicated journal with the same
// seqs. Records it already holds are skipped; a gap is an error (the caller
// reads the journal again from the local last seq).
func Materialize(local *journal.Journal, recs []journal.Record) error {
	last := local.LastSeq()
	var objs [][]byte
	for _, r := range recs {
		switch {
		case r.Seq <= last:
			continue
		case r.Seq != last+uint64(len(objs))+1:
			return fmt.Errorf("cluster: materialize %s: got seq %d after %d: a record is missing", local.Path(), r.Seq, last+uint64(len(objs)))
		}
		objs = append(objs, r.Data)
	}
	if len(objs) == 0 {
		return nil
	}
	if _, err := local.Append(objs...); err != nil {
		return fmt.Errorf("cluster: materialize: %w", err)
	}
	return nil
}

// OpenMaterialized opens the node's local journal at path as a copy of the
// replicated records (all of them, from ReadFrom(ctx, 0)). A local file that
// differs (other bytes at a seq, or records the cluster never committed) is
// moved aside to path.diverged-<time> and rebuilt, and logged through opts.Logf.
func OpenMaterialized(path string, remote []journal.Record, opts journal.Options) (*journal.Journal, error) {
	local, recs, err := journal.Open(path, opts)
	if err != nil {
		return nil, err
	}
	if why := diverges(recs, remote); why != "" {
		if err := local.Close(); err != nil {
			return nil, err
		}
		now := time.Now
		if opts.Now != nil {
			now = opts.Now
		}
		aside := path + ".diverged-" + now().UTC().Format("20060102T150405.000000000Z")
		if err := os.Rename(path, aside); err != nil {
			return nil, fmt.Errorf("cluster: local journal %s differs from the cluster's (%s) and could not be moved aside: %w", path, why, err)
		}
		if opts.Logf != nil {
			opts.Logf("cluster: local journal %s differs from the cluster's (%s): moved to %s and rebuilt", path, why, aside)
		}
		if local, _, err = journal.Open(path, opts); err != nil {
			return nil, err
		}
	}
	if err := Materialize(local, remote); err != nil {
		local.Close()
		return nil, err
	}
	return local, nil
}

// diverges says how the local records differ from the remote ones, or "".
func diverges(local, remote []journal.Record) string {
	if len(local) > len(remote) {
		return fmt.Sprintf("it has %d records, the cluster %d", len(local), len(remote))
	}
	for i, l := range local {
		r := remote[i]
		if l.Seq != r.Seq || !bytes.Equal(l.Data, r.Data) {
			return fmt.Sprintf("seq %d differs", l.Seq)
		}
	}
	return ""
}
