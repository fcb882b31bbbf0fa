package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/openbackoffice/backoffice/backup"
	"github.com/openbackoffice/backoffice/examples/closebatch/batch"
	"github.com/openbackoffice/backoffice/ledger"
)

// runBackup writes an archive of one book (--book) or all books, or with
// "verify FILE" checks an archive on its own.
func runBackup(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "verify" {
		return runBackupVerify(e, args[1:])
	}
	if len(args) > 0 && args[0] == "drill" {
		return runBackupDrill(ctx, e, args[1:])
	}
	fs := e.flags("backup", "[--book ID] [--seq N | --as-of TIME | --since ARCHIVE [--identity FILE]] [--encrypt-to AGE1… | --recipients-file FILE] -o FILE | verify FILE | drill FILE... [--no-live]")
	out := fs.String("o", "", "the archive to write (a temporary file renamed into place)")
	var to []string
	fs.Func("encrypt-to", "encrypt the archive with age to this `recipient` (a public key, age1…; may be repeated)", func(v string) error {
		to = append(to, v)
		return nil
	})
	recipientsFile := fs.String("recipients-file", "", "encrypt the archive with age to the recipients listed in this `file`, one a line")
	seq := fs.Uint64("seq", 0, "archive the book as it stood when its entry `N` was recorded")
	asOf := fs.String("as-of", "", "archive the books as they stood at `TIME` (2025-06-30T18:00, local time unless it has an offset)")
	since := fs.String("since", "", "write an incremental archive: only what came after the (full or incremental) `ARCHIVE`")
	identity := identityFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return usagef("backup: -o FILE is required, and no arguments")
	}
	var opts backup.Options
	if *seq > 0 && *asOf != "" {
		return usagef("backup: --seq or --as-of, not both")
	}
	if *since != "" && (*seq > 0 || *asOf != "") {
		return usagef("backup: --since writes what came after an archive up to now, not with --seq or --as-of")
	}
	if *since != "" {
		base, err := openArchive(*since, *identity)
		if err != nil {
			return err
		}
		defer base.Close()
		opts.Since = base
	}
	opts.Seq = *seq
	if len(to) > 0 || *recipientsFile != "" {
		rs, err := batch.Recipients(to, *recipientsFile)
		if err != nil {
			return usagef("backup: %v", err)
		}
		opts.Recipients = rs
	}
	if *asOf != "" {
		t, err := backup.ParseTime(*asOf, time.Local)
		if err != nil {
			return usagef("backup: --as-of: %v", err)
		}
		opts.AsOf = t
	}
	if err := e.open(ctx); err != nil {
		return err
	}
	s, ok := e.store.(backup.Store)
	if !ok {
		return fmt.Errorf("this store cannot be backed up")
	}
	if e.book != "" {
		opts.Books = []string{e.book}
	}
	// A temporary file renamed into place when whole: a backup that fails
	// or is interrupted (SIGINT, SIGTERM) leaves nothing at -o.
	m, err := backup.WriteFile(e.stop, *out, s, &opts)
	if err != nil {
		return err
	}
	if n := len(opts.Recipients); n > 0 {
		e.say("backup: %s encrypted with age to %d recipient(s)", *out, n)
	}
	if m.Base != nil {
		e.say("backup: %s is incremental on %s (manifest %.12s…)", *out, *since, m.Base.Manifest)
	}
	for _, b := range m.Books {
		if b.Base != nil {
			e.say("backup: book %s: entries %d to %d, head %d:%s (%s)", b.ID, b.Base.Head.Seq+1, b.Head.Seq, b.Head.Seq, b.Head.Hash, m.Consistency)
			continue
		}
		e.say("backup: book %s: %d entries, head %d:%s (%s)", b.ID, b.Counts["entries.jsonl"], b.Head.Seq, b.Head.Hash, m.Consistency)
		if c := b.AsOf; c != nil {
			e.say("backup: book %s: as of %s (entry %d)", b.ID, c.Time.Format(time.RFC3339Nano), c.Seq)
			if c.ChartAsStored {
				e.say("backup: book %s: no state log: settings and chart as they stand now", b.ID)
			} else if c.StateUndated > 0 {
				e.say("backup: book %s: %d chart or settings change(s) kept without a time of their own (recorded before the first period event after the cut)", b.ID, c.StateUndated)
			}
		}
	}
	return nil
}

// openArchive opens the archive at path, decrypting it with the identity
// in the file *identity names, else in $BOOKS_BACKUP_IDENTITY, if it is
// encrypted.
func openArchive(path, identity string) (*backup.Archive, error) {
	ids, err := batch.Identities(identity)
	if err != nil {
		return nil, usagef("%v", err)
	}
	a, err := backup.OpenFile(path, &backup.OpenOptions{Identities: ids})
	if errors.Is(err, backup.ErrEncrypted) {
		return nil, usagef("%s is encrypted: name the identity file with --identity FILE, or put the identity in $%s", path, batch.IdentityEnv)
	}
	return a, err
}

// identityFlag adds --identity to fs.
func identityFlag(fs *flag.FlagSet) *string {
	return fs.String("identity", "", "the age identity `file` that decrypts an encrypted archive (else $"+batch.IdentityEnv+"); never a key on the command line")
}

func runBackupVerify(e *env, args []string) error {
	fs := e.flags("backup verify", "FILE [--identity FILE]")
	identity := identityFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("backup verify: one archive file")
	}
	a, err := openArchive(fs.Arg(0), *identity)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Verify(nil); err != nil {
		return err
	}
	if base := a.Manifest.Base; base != nil {
		fmt.Fprintf(e.stdout, "incremental on the archive with manifest %s (created %s)\n", base.Manifest, base.CreatedAt.Format(time.RFC3339))
	}
	for _, b := range a.Manifest.Books {
		cut := ""
		if b.AsOf != nil {
			cut = fmt.Sprintf(", as of %s (entry %d)", b.AsOf.Time.Format(time.RFC3339Nano), b.AsOf.Seq)
		}
		if b.Base != nil {
			cut += fmt.Sprintf(", after the base's entry %d and state record %d", b.Base.Head.Seq, b.Base.StateHead.Seq)
		}
		fmt.Fprintf(e.stdout, "%s: ok, %d entries, head %d:%s, state head %d%s\n", b.ID, b.Counts["entries.jsonl"], b.Head.Seq, b.Head.Hash, b.StateHead.Seq, cut)
	}
	if a.Encrypted() {
		fmt.Fprintln(e.stdout, "(decrypted with age: every chunk authenticated)")
	}
	return nil
}

// runBackupDrill restores an archive into a scratch memory store and
// compares it with its manifest and, unless --no-live, with the database
// (only read): exit 0 if everything matches, 1 otherwise.
func runBackupDrill(ctx context.Context, e *env, args []string) error {
	fs := e.flags("backup drill", "FILE... [--no-live] [--identity FILE]")
	identity := identityFlag(fs)
	noLive := fs.Bool("no-live", false, "compare with the archive's manifest only, not with the database")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("backup drill: an archive file, or a full archive and its increments in order")
	}
	archives, err := openArchives(fs.Args(), *identity)
	if err != nil {
		return err
	}
	defer closeArchives(archives)
	var live ledger.Store
	if !*noLive {
		e.readOnly = true // never create a database to compare with it
		if err := e.open(ctx); err != nil {
			return err
		}
		live = e.store
	}
	var opts backup.Options
	if e.book != "" {
		opts.Books = []string{e.book}
	}
	res, err := backup.DrillChain(ctx, archives, live, &opts)
	for _, r := range res {
		fmt.Fprintln(e.stdout, drillLine(r))
	}
	if err != nil {
		fmt.Fprintf(e.stdout, "drill: FAILED: %v\n", err)
		return err
	}
	fmt.Fprintf(e.stdout, "drill: ok, %d book(s) restored into a scratch store and checked\n", len(res))
	return nil
}

// drillLine is one book's line of a drill's summary.
func drillLine(r backup.DrillResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: restored %d entries, verify ok, head %d:%s, state head %d", r.Book, r.Entries, r.Head.Seq, r.Head.Hash, r.StateHead.Seq)
	if r.In != "" {
		fmt.Fprintf(&b, "; trial balance (%s) of %d accounts as the manifest's", r.In, r.Rows)
	} else {
		b.WriteString("; no trial balance in the manifest (format before version 3)")
	}
	switch {
	case r.Live == "same head":
		b.WriteString("; database: same head, same trial balance")
	case r.Live != "":
		fmt.Fprintf(&b, "; database: %s, entry %d the same", r.Live, r.Head.Seq)
	}
	return b.String()
}

// openArchives opens the archives at paths, as openArchive does.
func openArchives(paths []string, identity string) ([]*backup.Archive, error) {
	var out []*backup.Archive
	for _, p := range paths {
		a, err := openArchive(p, identity)
		if err != nil {
			closeArchives(out)
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func closeArchives(as []*backup.Archive) {
	for _, a := range as {
		a.Close()
	}
}

// runRestore restores an archive, or a full archive and its increments
// in order, into --db, which must hold no book unless --force or the
// first archive is incremental (the full archive's books must not exist;
// an increment's must end where its base ends).
func runRestore(ctx context.Context, e *env, args []string) error {
	fs := e.flags("restore", "FILE... [--force] [--identity FILE]")
	identity := identityFlag(fs)
	force := fs.Bool("force", false, "restore into a database that holds other books")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("restore: an archive file, or a full archive and its increments in order")
	}
	archives, err := openArchives(fs.Args(), *identity)
	if err != nil {
		return err
	}
	defer closeArchives(archives)
	if err := e.open(ctx); err != nil {
		return err
	}
	s, ok := e.store.(backup.Store)
	if !ok {
		return fmt.Errorf("this store cannot be restored into")
	}
	books, err := e.ledger.Books(ctx)
	if err != nil {
		return err
	}
	if len(books) > 0 && !*force && !archives[0].Manifest.Incremental() {
		return usagef("restore: the database holds %d book(s); restore into an empty one, or pass --force", len(books))
	}
	var opts backup.Options
	if e.book != "" {
		opts.Books = []string{e.book}
	}
	if err := backup.RestoreChain(ctx, s, archives, &opts); err != nil {
		if errors.Is(err, ledger.ErrDuplicate) {
			return fmt.Errorf("%w (a book of the archive exists in the database)", err)
		}
		return err
	}
	for i, a := range archives {
		for _, b := range a.Manifest.Books {
			if e.book != "" && e.book != b.ID {
				continue
			}
			if b.Base != nil {
				e.say("restore: %s: book %s: entries %d to %d, head %d:%s", fs.Arg(i), b.ID, b.Base.Head.Seq+1, b.Head.Seq, b.Head.Seq, b.Head.Hash)
			} else {
				e.say("restore: %s: book %s: %d entries, head %d:%s", fs.Arg(i), b.ID, b.Counts["entries.jsonl"], b.Head.Seq, b.Head.Hash)
			}
		}
	}
	e.say("restore: verified")
	return nil
}
