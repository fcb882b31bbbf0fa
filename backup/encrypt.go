package backup

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"filippo.io/age"
)

// Errors of encrypted archives.
var (
	// ErrEncrypted is an encrypted archive opened without an identity.
	ErrEncrypted = errors.New("backup: the archive is encrypted; an identity is needed to read it")
	// ErrKey is an encrypted archive none of the given identities opens:
	// encrypted to other recipients, or its header damaged.
	ErrKey = errors.New("backup: none of the identities decrypts the archive")
)

// ageIntro starts every binary age file.
const ageIntro = "age-encryption.org/v1\n"

// IsEncrypted reports whether the archive in r is encrypted (an age file).
func IsEncrypted(r io.ReaderAt) bool {
	b := make([]byte, len(ageIntro))
	n, _ := r.ReadAt(b, 0)
	return n == len(b) && bytes.Equal(b, []byte(ageIntro))
}

// OpenOptions configures OpenFile and OpenEncrypted. A nil *OpenOptions
// means the defaults.
type OpenOptions struct {
	// Identities decrypt an encrypted archive (age X25519 or hybrid
	// identities, as age.ParseIdentities reads them from a key file). An
	// unencrypted archive needs none.
	Identities []age.Identity
}

// OpenEncrypted opens the archive in r (size bytes), decrypting it with
// opts.Identities if it is encrypted, else as Open does. The plaintext is
// decrypted piece by piece as the archive is read and authenticated piece
// by piece: a damaged ciphertext is an *ArchiveError (ErrCorrupt) when
// its piece is read. Errors: ErrEncrypted without identities, ErrKey if
// none of them decrypts the archive, and Open's.
func OpenEncrypted(r io.ReaderAt, size int64, opts *OpenOptions) (*Archive, error) {
	if !IsEncrypted(r) {
		return Open(r, size)
	}
	var ids []age.Identity
	if opts != nil {
		ids = opts.Identities
	}
	if len(ids) == 0 {
		return nil, ErrEncrypted
	}
	pr, psize, err := age.DecryptReaderAt(r, size, ids...)
	if err != nil {
		if _, ok := errors.AsType[*age.NoIdentityMatchError](err); ok {
			return nil, fmt.Errorf("%w: %v", ErrKey, err)
		}
		return nil, &ArchiveError{Member: "(encryption)", Err: err}
	}
	a, err := Open(pr, psize)
	if err != nil {
		return nil, err
	}
	a.encrypted = true
	return a, nil
}

// OpenFile opens the archive file at path as OpenEncrypted does. The
// Archive reads the file until its Close.
func OpenFile(path string, opts *OpenOptions) (*Archive, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	a, err := OpenEncrypted(f, st.Size(), opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	a.closer = f
	return a, nil
}

// Close closes the file of an Archive that OpenFile opened; for any other
// Archive it does nothing.
func (a *Archive) Close() error {
	if a.closer == nil {
		return nil
	}
	err := a.closer.Close()
	a.closer = nil
	return err
}

// Encrypted reports whether the archive was read from an encrypted file.
func (a *Archive) Encrypted() bool { return a.encrypted }
