package journal

import (
	"errors"
	"fmt"
	"os"
)

// Read returns the journal's records without taking its lock or changing
// the file, so reports can read a journal a room holds open. A torn tail
// (a room appending right now, or one that crashed mid-write) is left out;
// damage in the middle is a *CorruptError, as with Open.
func Read(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("journal %s: no such file: is state_dir right, and has a room run there yet?", path)
		}
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	defer f.Close()
	res, err := scan(f, path)
	if err != nil {
		return nil, err
	}
	return res.records, nil
}
