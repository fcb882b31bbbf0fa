package main

import (
	"context"

	"github.com/openbackoffice/backoffice/examples/closebatch/batch"

	"github.com/openbackoffice/backoffice/reporting"
)

// asOf returns, when the command reads a replica's snapshot (--replica),
// the note its output carries: "as of entry N (replica)", N being the
// book's last entry the replica had replayed when the snapshot began; else
// "". It says so on stderr too (for CSV, which has no header), with the
// replica's replay position: LSN, commit time of the last transaction
// replayed.
func (e *env) asOf(ctx context.Context, book string) (string, error) {
	if e.snapshot == nil {
		return "", nil
	}
	p, note, err := e.snapshot.AsOf(ctx, book)
	if err != nil {
		return "", err
	}
	replayed := "none yet"
	if !p.Replayed.IsZero() {
		replayed = p.Replayed.Format("2006-01-02 15:04:05 UTC")
	}
	e.say("book %s read on the replica %s: %s, replayed to LSN %s, the last transaction replayed committed %s",
		book, batch.Redact(batch.ReplicaDB(e.replica)), note, p.LSN, replayed)
	return note, nil
}

// withNote adds note ("as of entry N (replica)") to the line under the
// report's title, where its restrictions are, in every format.
func withNote(r *reporting.Report, note string) {
	switch {
	case note == "":
	case r.Filter == "":
		r.Filter = note
	default:
		r.Filter += ", " + note
	}
}
