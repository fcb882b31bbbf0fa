package backup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// WriteFile writes an archive (as Write) to the file at path so that no
// file at path ever looks complete unless it is: the archive goes to a
// temporary file in the same directory (".NAME.*.tmp", mode 0600, since an
// archive holds personal data), which is synced, closed and renamed to
// path only after Write succeeded, and the directory is synced after the
// rename. A WriteFile that fails, or whose ctx is cancelled, removes its
// temporary file and leaves path as it was (a previous archive there stays
// whole). A process killed outright may leave the temporary file, never a
// partial file at path; a temporary file does not open as an archive (a
// zip without its directory, an age file without its last chunk).
// WriteFile is safe for concurrent use, but two writers of the same path
// leave the archive of the one that renames last.
func WriteFile(ctx context.Context, path string, s Store, opts *Options) (m *Manifest, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if m, err = Write(ctx, f, s, opts); err != nil {
		return nil, err
	}
	if err = ctx.Err(); err != nil {
		return nil, err
	}
	if err = f.Sync(); err != nil {
		return nil, err
	}
	if err = f.Close(); err != nil {
		return nil, err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return nil, err
	}
	// The rename is durable once the directory is synced. The archive is
	// in place either way: a failure here is reported with the manifest,
	// not undone.
	if derr := syncDir(dir); derr != nil {
		return m, fmt.Errorf("backup: %s written, but its directory not synced: %w", path, derr)
	}
	return m, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, syscall.EINVAL) {
		return nil // a file system that cannot sync directories
	}
	return err
}
