// Command closebatch closes one month for many books, as a cron job does:
//
//	closebatch --db books.db --books books.txt --period 2026-03 [--jobs 4] [--log-format text|json] [--drill ARCHIVE [--identity FILE]]
//
// The books file lists one book ID a line; blank lines and lines starting
// with '#' are skipped. --db is a SQLite file or a postgres:// DSN (default
// $BOOKS_DB, else books.db).
//
// Before a book's period is closed, its audit chain must verify and its trial
// balance balance; a failing book is reported on stderr and skipped, the
// others close. The job is idempotent and resumable: each book's close is one
// database transaction and closing a closed period is a no-op, so a run
// killed at any moment (even SIGKILL) and started again ends exactly as an
// uninterrupted run would, and two copies started at once never both close a
// book (the second waits for the first's transaction on that book, then finds
// the period closed, and logs "period closed by another run"). --jobs books
// are closed at a time (verifying a book's chain reads all its entries, so
// this pays on PostgreSQL). SIGINT or SIGTERM stops the job between books.
//
// With --drill ARCHIVE, after closing, the job runs a restore drill of a
// backup (books backup -o ARCHIVE, say last night's): the archive is
// restored into a scratch memory store, verified, and compared with its
// manifest and with the database, which is only read (backup.Drill), so
// that cron proves every night that the backup restores. An encrypted
// archive is decrypted with the age identity in the file --identity names,
// else in $BOOKS_BACKUP_IDENTITY. A failed drill is reported on stderr and
// makes the exit code 1.
//
// Exit codes: 0 all books closed (or already closed) and the drill, if any,
// passed; 1 some books failed, the drill failed or the job was interrupted
// (named on stderr), 2 usage error. Progress: a bar
// with counts and ETA when stderr is a terminal, log/slog lines otherwise.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/openbackoffice/backoffice/backup"
	"github.com/openbackoffice/backoffice/examples/closebatch/batch"
)

func main() { os.Exit(run()) }

func run() int {
	fs := flag.NewFlagSet("closebatch", flag.ContinueOnError)
	db := fs.String("db", "", "store: SQLite file or postgres:// DSN (default $BOOKS_DB, else books.db)")
	list := fs.String("books", "", "file listing the book IDs, one a line (required)")
	period := fs.String("period", "", "month to close, YYYY-MM (required)")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	jobs := fs.Int("jobs", 4, "books closed at a time")
	drill := fs.String("drill", "", "after closing, restore this backup `archive` into a scratch store and compare it with the database")
	identity := fs.String("identity", "", "the age identity `file` that decrypts an encrypted --drill archive (else $"+batch.IdentityEnv+")")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return 2
	}
	if *list == "" || *period == "" || fs.NArg() > 0 || *jobs < 1 {
		fmt.Fprintln(os.Stderr, "usage: closebatch --books FILE --period YYYY-MM [--db DSN] [--log-format text|json] [--drill ARCHIVE [--identity FILE]]")
		return 2
	}
	month, err := batch.ParseMonth(*period)
	if err != nil {
		fmt.Fprintln(os.Stderr, "closebatch:", err)
		return 2
	}
	log, err := batch.Logger(*logFormat)
	if err != nil {
		fmt.Fprintln(os.Stderr, "closebatch:", err)
		return 2
	}
	books, err := readList(*list)
	if err != nil {
		fmt.Fprintln(os.Stderr, "closebatch:", err)
		return 2
	}
	stop, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	ctx := context.Background()
	s, err := batch.OpenStore(ctx, batch.DB(*db))
	if err != nil {
		log.Error("open store", "err", err)
		return 1
	}
	defer s.Close()
	log.Info("closing", "period", *period, "books", len(books))
	res := batch.CloseAll(stop, s, *jobs, books, month, log, batch.NewProgress(os.Stderr, len(books)), batch.NoPendingPayRun(s))
	log.Info("done", "closed", res.Closed, "already_closed", res.AlreadyClosed, "closed_by_other_run", res.ClosedByOther, "failed", len(res.Failed), "interrupted", res.Interrupted)
	code := 0
	if len(res.Failed) > 0 {
		fmt.Fprintf(os.Stderr, "closebatch: %d books failed: %s\n", len(res.Failed), strings.Join(res.Failed, " "))
		code = 1
	}
	if res.Interrupted {
		fmt.Fprintf(os.Stderr, "closebatch: interrupted, %d books not attempted; run again to finish\n", res.Left)
		return 1
	}
	if *drill != "" {
		if err := runDrill(stop, s, *drill, *identity, log); err != nil {
			log.Error("restore drill failed", "archive", *drill, "err", err)
			fmt.Fprintf(os.Stderr, "closebatch: restore drill of %s failed: %v\n", *drill, err)
			code = 1
		}
	}
	return code
}

// runDrill restores the archive at path into a scratch store and compares
// it with its manifest and with s (backup.Drill), logging each book.
func runDrill(ctx context.Context, s batch.Store, path, identity string, log *slog.Logger) error {
	ids, err := batch.Identities(identity)
	if err != nil {
		return err
	}
	a, err := backup.OpenFile(path, &backup.OpenOptions{Identities: ids})
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := backup.Drill(ctx, a, s, nil)
	for _, r := range res {
		log.Info("restore drill", "book", r.Book, "entries", r.Entries, "head", r.Head.Seq, "trial_balance", r.In, "accounts", r.Rows, "database", r.Live)
	}
	if err != nil {
		return err
	}
	log.Info("restore drill passed", "archive", path, "books", len(res))
	return nil
}

// readList reads book IDs, one a line.
func readList(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var books []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		books = append(books, line)
	}
	return books, sc.Err()
}
