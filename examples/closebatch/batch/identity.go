package batch

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"filippo.io/age"
)

// IdentityEnv is the environment variable that holds the age identity
// (AGE-SECRET-KEY-1…, one a line) which decrypts backups when no identity
// file is named. Keys never go on the command line, where other users of
// the machine and the shell history see them.
const IdentityEnv = "BOOKS_BACKUP_IDENTITY"

// Identities returns the age identities in the file at path (age's key
// file format: one a line, '#' comments), else in $BOOKS_BACKUP_IDENTITY,
// else none. A file or variable that holds no identity is an error naming
// it, never the key.
func Identities(path string) ([]age.Identity, error) {
	var r io.Reader
	src := path
	switch {
	case path != "":
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	case os.Getenv(IdentityEnv) != "":
		r, src = strings.NewReader(os.Getenv(IdentityEnv)), "$"+IdentityEnv
	default:
		return nil, nil
	}
	ids, err := age.ParseIdentities(r)
	if err != nil {
		return nil, fmt.Errorf("%s holds no usable age identity (AGE-SECRET-KEY-1…): %v", src, err)
	}
	return ids, nil
}

// Recipients returns the age recipients named by to (age1… public keys)
// and in the file at file (one a line, '#' comments), at least one. A
// secret key given as a recipient is refused without echoing it.
func Recipients(to []string, file string) ([]age.Recipient, error) {
	var lines []string
	for _, s := range to {
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(s)), "AGE-SECRET-KEY-") {
			return nil, errors.New("--encrypt-to: that is a secret key: give the recipient (its public key, age1…), and keep the secret key off the command line")
		}
		lines = append(lines, s)
	}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		if strings.Contains(strings.ToUpper(string(b)), "AGE-SECRET-KEY-") {
			return nil, fmt.Errorf("%s holds a secret key: a recipients file lists public keys (age1…)", file)
		}
		lines = append(lines, string(b))
	}
	rs, err := age.ParseRecipients(strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		return nil, fmt.Errorf("recipients: %w", err)
	}
	return rs, nil
}
