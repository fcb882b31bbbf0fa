package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/internal/sqlstore"
	"github.com/openbackoffice/backoffice/store/postgres"
)

// releasedMigrations are the checksums (hex SHA-256) of the migrations
// already released, in order. A released file is never edited: databases out
// there have recorded these sums, and Migrate refuses one whose recorded sum
// differs. When a new file is released, add its sum here.
var releasedMigrations = []string{
	"82d1c03144baec461bcd3d7cc9c93d5b599285e0ffdcae59a512b6c96de3b295", // 0001_ledger.sql
	"55e471cba763cb3a1e0d234dadbc968488481a327708478fc29e1f2793a2dd7d", // 0002_guards.sql
	"99ddd55648f21b4283e3692a506e78c0838ee346365219dcdcaf7545560ea907", // 0003_guard_probes.sql
	"a3aa9967948f3ea58de9afd7dddfd3aef85ca1413414746cee7bbb4e0394fef4", // 0004_hr.sql
	"f1c725f1886956185d2cd15cc18edb022a8d1809a2d4ffc3cd90dd58fc27ae4b", // 0005_payroll.sql
	"b0fce41813bad87c2763bc9bf12b4fa1d71c33fe3bb536f1b42b624c01b5578d", // 0006_us_exempt.sql
	"e885acde8f117d3f583d9eb6b4f3ed641d3504707e04c087306fa52920093778", // 0007_partners.sql
	"349e85db1b59dd34aa5433da29c747926bf59664c063ecba8872ccd9e3656937", // 0008_tokens.sql
	"e0326486eb3bf3328b8aae0e76f80fc409cc27de350c5853a0da09ff4a27f9c9", // 0009_bank.sql
	"0002b825b5197c9555d055b68f2f9d9138771090e7692b6ff7b7708240d70c81", // 0010_state.sql
	"077514b3326f8dd24b5db3a23e649607d4f0473ba4091246dd6c0f5c63aedf32", // 0011_datev.sql
	"bd0fd5f9e970d200946efaa0e27f59d225357d9a94070e04a1bd00a7d3853dc1", // 0012_fx_rates.sql
	"ca9ad75e903ead9c4cd363b2674a2ef66333ff098e8fa382cfa6351d78a21daa", // 0013_base_amounts.sql
	"6eea51f59e991f58f5ecc29d918adb1e3cf03234b5a12fd9f4429a1fdcf93f7f", // 0014_hr_personal_ids.sql
	"b159143076bc2d13bc7bfa791d37781eedc433c9b079e7b5ada166971b89bf56", // 0015_chain_check_plan.sql
}

func TestMigrationChecksums(t *testing.T) {
	ms, err := postgres.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	sqlstore.CheckReleased(t, ms, releasedMigrations)
}

// migrationRow is one row of bo_migrations.
type migrationRow struct {
	Version   int
	Name      string
	Checksum  string
	AppliedAt int64
}

func migrationRows(t *testing.T, db *sql.DB) []migrationRow {
	t.Helper()
	rows, err := db.Query("SELECT version, name, checksum, applied_at FROM bo_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []migrationRow
	for rows.Next() {
		var r migrationRow
		if err := rows.Scan(&r.Version, &r.Name, &r.Checksum, &r.AppliedAt); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// schemaObjects lists the tables, indexes, sequences, functions and
// triggers of the current schema.
func schemaObjects(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT kind || ' ' || name FROM (
		SELECT c.relkind::text AS kind, c.relname::text AS name FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace
		UNION ALL SELECT 'function', p.proname::text FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace
		UNION ALL SELECT 'trigger', g.tgname::text FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
			WHERE c.relnamespace = current_schema()::regnamespace AND NOT g.tgisinternal
	) x ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMigrateConcurrently has several processes (stores with pools and
// sessions of their own) migrate one fresh schema at the same moment: all
// succeed, and each migration is applied and recorded once.
func TestMigrateConcurrently(t *testing.T) {
	testDSN(t)
	ms, err := postgres.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for round := range 5 {
		t.Run("Round"+strconv.Itoa(round+1), func(t *testing.T) {
			dsn := newSchema(t)
			ctx := context.Background()
			const n = 3
			stores := make([]*postgres.Store, n)
			for i := range stores {
				s, err := postgres.Open(ctx, dsn) // connects: the race starts at once
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				stores[i] = s
			}
			var (
				wg    sync.WaitGroup
				start = make(chan struct{})
				errs  = make([]error, n)
			)
			for i, s := range stores {
				wg.Go(func() {
					<-start
					errs[i] = s.Migrate(ctx)
				})
			}
			close(start)
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("Migrate %d: %v", i, err)
				}
			}
			var got []string
			rows, err := stores[0].DB().Query("SELECT version, count(*) FROM bo_migrations WHERE version > 0 GROUP BY version ORDER BY version")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var v, c int
				if err := rows.Scan(&v, &c); err != nil {
					t.Fatal(err)
				}
				got = append(got, strconv.Itoa(v)+"×"+strconv.Itoa(c))
			}
			rows.Close()
			var want []string
			for _, m := range ms {
				want = append(want, strconv.Itoa(m.Version)+"×1")
			}
			if diff := cmp.Diff(got, want); diff != "" {
				t.Errorf("bo_migrations (-got +want):\n%s", diff)
			}
			// The schema works.
			l := ledger.New(stores[1], nil)
			if err := l.CreateBook(ctx, ledger.Book{ID: "A", Currency: money.EUR}); err != nil {
				t.Errorf("CreateBook after concurrent Migrate: %v", err)
			}
		})
	}
}

// TestMigrateTwice: a second Migrate finds nothing to do and changes
// nothing, from the same store or another.
func TestMigrateTwice(t *testing.T) {
	dsn := newSchema(t)
	s := openStore(t, dsn)
	db := s.DB().DB
	rows, objs := migrationRows(t, db), schemaObjects(t, db)
	if len(rows) != len(releasedMigrations)+1 { // the lock row 0, then one per migration
		t.Errorf("bo_migrations has %d rows after the first Migrate, want %d", len(rows), len(releasedMigrations)+1)
	}
	for _, m := range []*postgres.Store{s, openStore(t, dsn)} {
		if err := m.Migrate(context.Background()); err != nil {
			t.Fatalf("Migrate again: %v", err)
		}
		if diff := cmp.Diff(migrationRows(t, db), rows); diff != "" {
			t.Errorf("bo_migrations changed (-got +want):\n%s", diff)
		}
		if diff := cmp.Diff(schemaObjects(t, db), objs); diff != "" {
			t.Errorf("schema changed (-got +want):\n%s", diff)
		}
	}
}

// TestMigrateRefuses: Migrate refuses a database whose recorded migrations
// do not match the library's (ErrMigration), and changes nothing.
func TestMigrateRefuses(t *testing.T) {
	testDSN(t)
	ms, err := postgres.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, stmt string
	}{
		{"ChecksumChanged", "UPDATE bo_migrations SET checksum = 'x' WHERE version = 1"},
		{"LastChecksumChanged", "UPDATE bo_migrations SET checksum = 'x' WHERE version = " + strconv.Itoa(len(ms))},
		{"NewerSchema", "INSERT INTO bo_migrations (version, name, checksum, applied_at) VALUES (" + strconv.Itoa(len(ms)+1) + ", 'future', 'abc', 0)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t, newSchema(t))
			db := s.DB().DB
			mustExec(t, db, tc.stmt)
			rows, objs := migrationRows(t, db), schemaObjects(t, db)
			err := s.Migrate(context.Background())
			if !errors.Is(err, sqlstore.ErrMigration) {
				t.Errorf("Migrate: %v, want ErrMigration", err)
			}
			if diff := cmp.Diff(migrationRows(t, db), rows); diff != "" {
				t.Errorf("bo_migrations changed (-got +want):\n%s", diff)
			}
			if diff := cmp.Diff(schemaObjects(t, db), objs); diff != "" {
				t.Errorf("schema changed (-got +want):\n%s", diff)
			}
		})
	}
}
