package ledger

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// String returns the head as "SEQ:HASH", the hash in 64 hex digits: the
// form books verify prints and ParseHead reads.
func (h Head) String() string {
	return strconv.FormatUint(h.Seq, 10) + ":" + hex.EncodeToString(h.Hash[:])
}

// ParseHead parses "SEQ:HASH" as Head.String writes it.
func ParseHead(s string) (Head, error) {
	seq, hx, ok := strings.Cut(strings.TrimSpace(s), ":")
	var h Head
	n, err := strconv.ParseUint(seq, 10, 64)
	b, err2 := hex.DecodeString(hx)
	if !ok || err != nil || err2 != nil || len(b) != 32 {
		return Head{}, fmt.Errorf("%w: head %q: want SEQ:HASH with 64 hex digits", ErrInvalid, s)
	}
	h.Seq = n
	copy(h.Hash[:], b)
	return h, nil
}

// VerifyFrom verifies the book as Verify does and also checks that the
// chain still holds the entry anchor names with anchor's hash: a head kept
// outside the database proves that no entry up to it changed and that the
// chain only grew since. A zero anchor checks nothing more. It returns the
// verified head, or a *VerifyError naming the anchored entry (or the first
// missing one).
func (l *Ledger) VerifyFrom(ctx context.Context, book string, anchor Head) (Head, error) {
	h, _, err := l.verifyAnchored(ctx, book, anchor, Head{})
	return h, err
}

func (l *Ledger) verifyAnchored(ctx context.Context, book string, entries, state Head) (Head, Head, error) {
	var he, hs Head
	err := l.store.View(ctx, func(tx ReadTx) error {
		var err error
		if he, err = l.verifyEntries(ctx, tx, book, Head{}, true); err != nil {
			return err
		}
		if hs, err = verifyState(ctx, tx, book); err != nil {
			return err
		}
		if entries.Seq > 0 {
			if he.Seq < entries.Seq {
				return &VerifyError{Book: book, Seq: he.Seq + 1, Reason: fmt.Sprintf("missing: the chain ends at %d, before the anchored head %d", he.Seq, entries.Seq)}
			}
			p, err := tx.Entry(ctx, book, entries.Seq)
			if err != nil {
				return err
			}
			if p.Hash != entries.Hash {
				return &VerifyError{Book: book, Seq: entries.Seq, Reason: "hash differs from the anchored head: the chain was rewritten up to here"}
			}
		}
		if state.Seq > 0 {
			if hs.Seq < state.Seq {
				return &VerifyError{Book: book, State: hs.Seq + 1, Reason: fmt.Sprintf("missing: the state log ends at %d, before the anchored head %d", hs.Seq, state.Seq)}
			}
			r, ok := tx.(StateReader)
			if !ok {
				return fmt.Errorf("verify book %s: %w: the store keeps no state log", book, ErrState)
			}
			errFound := errors.New("found")
			err := r.ScanState(ctx, book, func(rec StateRecord) error {
				if rec.Seq != state.Seq {
					return nil
				}
				if rec.Hash != state.Hash {
					return &VerifyError{Book: book, State: rec.Seq, Reason: "hash differs from the anchored state head: the state log was rewritten up to here"}
				}
				return errFound
			})
			if err != nil && err != errFound {
				return err
			}
		}
		return nil
	})
	return he, hs, err
}

// Checkpoint is a signed statement of a book's heads at one time, small
// enough to keep outside the database: mailed, archived, printed. See
// Ledger.Checkpoint and Ledger.VerifyCheckpoint.
type Checkpoint struct {
	Book      string
	Entries   Head      // head of the entry chain
	State     Head      // head of the state log (zero if the store keeps none)
	At        time.Time // the signer's clock, UTC, whole seconds
	PublicKey ed25519.PublicKey
	Signature []byte // Ed25519 over the statement's lines up to "key:" inclusive
}

const checkpointMagic = "backoffice checkpoint v1"

// Checkpoint verifies the book and signs its heads with key. Keep the key
// away from the database host: whoever holds both can sign a rewritten
// chain.
func (l *Ledger) Checkpoint(ctx context.Context, book string, key ed25519.PrivateKey) (Checkpoint, error) {
	if len(key) != ed25519.PrivateKeySize {
		return Checkpoint{}, fmt.Errorf("checkpoint: %w: not an Ed25519 private key", ErrInvalid)
	}
	he, hs, err := l.VerifyHeads(ctx, book)
	if err != nil {
		return Checkpoint{}, err
	}
	c := Checkpoint{Book: book, Entries: he, State: hs, At: l.now().UTC().Truncate(time.Second),
		PublicKey: key.Public().(ed25519.PublicKey)}
	c.Signature = ed25519.Sign(key, c.signed())
	return c, nil
}

func (c Checkpoint) signed() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\nbook: %s\nentries: %s\nstate: %s\nat: %s\nkey: %s\n", checkpointMagic, c.Book,
		c.Entries, c.State, c.At.UTC().Format(time.RFC3339), base64.StdEncoding.EncodeToString(c.PublicKey))
	return b.Bytes()
}

// MarshalText writes the statement: seven lines of text.
func (c Checkpoint) MarshalText() ([]byte, error) {
	return append(c.signed(), "signature: "+base64.StdEncoding.EncodeToString(c.Signature)+"\n"...), nil
}

// UnmarshalText reads a statement MarshalText wrote and checks its
// signature against the key it names (ErrInvalid if it does not hold).
// Whether that key is the company's is for the caller to check.
func (c *Checkpoint) UnmarshalText(text []byte) error {
	bad := func(what string) error { return fmt.Errorf("checkpoint: %w: %s", ErrInvalid, what) }
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n"), "\n")
	if len(lines) != 7 || lines[0] != checkpointMagic {
		return bad("not a " + checkpointMagic + " statement")
	}
	field := func(i int, name string) (string, error) {
		v, ok := strings.CutPrefix(lines[i], name+": ")
		if !ok {
			return "", bad("line " + strconv.Itoa(i+1) + ": want " + name)
		}
		return v, nil
	}
	var (
		x   Checkpoint
		v   [6]string
		err error
	)
	for i, name := range []string{"book", "entries", "state", "at", "key", "signature"} {
		if v[i], err = field(i+1, name); err != nil {
			return err
		}
	}
	x.Book = v[0]
	if x.Entries, err = ParseHead(v[1]); err != nil {
		return bad("entries head")
	}
	if x.State, err = ParseHead(v[2]); err != nil {
		return bad("state head")
	}
	if x.At, err = time.Parse(time.RFC3339, v[3]); err != nil {
		return bad("time")
	}
	pub, err := base64.StdEncoding.DecodeString(v[4])
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return bad("key")
	}
	x.PublicKey = pub
	if x.Signature, err = base64.StdEncoding.DecodeString(v[5]); err != nil {
		return bad("signature")
	}
	if !ed25519.Verify(x.PublicKey, x.signed(), x.Signature) {
		return bad("the signature does not match the statement")
	}
	*c = x
	return nil
}

// VerifyCheckpoint verifies the checkpoint's book as Verify does, and that
// neither chain changed up to the checkpoint's heads and both only grew
// since. If trusted is not nil, the checkpoint must be signed with it. It
// returns the current heads, or an error: ErrInvalid for a statement not
// signed by trusted (or not at all), a *VerifyError for the book.
func (l *Ledger) VerifyCheckpoint(ctx context.Context, c Checkpoint, trusted ed25519.PublicKey) (entries, state Head, err error) {
	if len(c.PublicKey) != ed25519.PublicKeySize || !ed25519.Verify(c.PublicKey, c.signed(), c.Signature) {
		return Head{}, Head{}, fmt.Errorf("checkpoint of %s: %w: the signature does not match the statement", c.Book, ErrInvalid)
	}
	if trusted != nil && !c.PublicKey.Equal(trusted) {
		return Head{}, Head{}, fmt.Errorf("checkpoint of %s: %w: signed with another key", c.Book, ErrInvalid)
	}
	return l.verifyAnchored(ctx, c.Book, c.Entries, c.State)
}

// ParseSigningKey reads an Ed25519 private key from PEM ("PRIVATE KEY",
// PKCS #8, as `openssl genpkey -algorithm ed25519` writes it).
func ParseSigningKey(data []byte) (ed25519.PrivateKey, error) {
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("%w: want a PEM \"PRIVATE KEY\" block", ErrInvalid)
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	ek, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: not an Ed25519 key", ErrInvalid)
	}
	return ek, nil
}

// MarshalSigningKey writes key as PEM ("PRIVATE KEY", PKCS #8), the form
// ParseSigningKey reads.
func MarshalSigningKey(key ed25519.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}
