package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"

	"github.com/openbackoffice/backoffice/ledger"
)

// runCheckpoint signs a book's heads: books checkpoint --key FILE [-o FILE],
// or makes a key: books checkpoint --new-key FILE (the public key on stdout).
func runCheckpoint(ctx context.Context, e *env, args []string) error {
	fs := e.flags("checkpoint", "--key FILE [-o FILE] | --new-key FILE")
	keyFile := fs.String("key", "", "the Ed25519 private key (PEM, PKCS #8) to sign with; keep it off the database host")
	out := fs.String("o", "", "the statement to write (default stdout)")
	newKey := fs.String("new-key", "", "write a new private key to FILE (owner-only) and print its public key")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *newKey != "" {
		if *keyFile != "" {
			return usagef("--new-key and --key exclude each other")
		}
		pub, key, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		b, err := ledger.MarshalSigningKey(key)
		if err != nil {
			return err
		}
		f, err := os.OpenFile(*newKey, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		if _, err := f.Write(b); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			return err
		}
		return pem.Encode(e.stdout, &pem.Block{Type: "PUBLIC KEY", Bytes: der})
	}
	if *keyFile == "" {
		return usagef("--key FILE is required (books checkpoint --new-key FILE makes one)")
	}
	data, err := os.ReadFile(*keyFile)
	if err != nil {
		return usagef("--key: %v", err)
	}
	key, err := ledger.ParseSigningKey(data)
	if err != nil {
		return usagef("--key %s: %v", *keyFile, err)
	}
	if err := e.open(ctx); err != nil {
		return err
	}
	book := e.book
	if book == "" {
		all, err := e.ledger.Books(ctx)
		if err != nil {
			return err
		}
		if len(all) != 1 {
			return usagef("name the book with --book")
		}
		book = all[0].ID
	}
	c, err := e.ledger.Checkpoint(ctx, book, key)
	if err != nil {
		return err
	}
	text, err := c.MarshalText()
	if err != nil {
		return err
	}
	w, done, err := e.output(*out)
	if err != nil {
		return err
	}
	if _, err := w.Write(text); err != nil {
		return err
	}
	if err := done(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "books checkpoint: %s: entries %d, state %d signed\n", book, c.Entries.Seq, c.State.Seq)
	return nil
}

// readPublicKey reads an Ed25519 public key (PEM "PUBLIC KEY", as books
// checkpoint --new-key prints it).
func readPublicKey(path string) (ed25519.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "PUBLIC KEY" {
		return nil, errors.New("want a PEM \"PUBLIC KEY\" block")
	}
	k, err := x509.ParsePKIXPublicKey(b.Bytes)
	if err != nil {
		return nil, err
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("not an Ed25519 key")
	}
	return pub, nil
}
