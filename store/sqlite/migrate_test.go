package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/openbackoffice/backoffice/store/internal/sqlstore"
	"github.com/openbackoffice/backoffice/store/sqlite"
)

// releasedMigrations are the checksums (hex SHA-256) of the migrations
// already released, in order. A released file is never edited: files out
// there have recorded these sums, and Migrate refuses one whose recorded sum
// differs. When a new file is released, add its sum here.
var releasedMigrations = []string{
	"02d1717204e379433063ab4da0f27153ff21d72096a950d9854a79f7e4e2d364", // 0001_ledger.sql
	"e99f57f8f7d595c3517932259e56036094fa008246b569ebaf0504435c9cae38", // 0002_guards.sql
	"62daefccd064ba38695eb22b60d73d1db2d465e291d0e615974f42d5ada2c0a7", // 0003_hr.sql
	"4a3a2235e38c9c9396bbb0746a490fb65c00cbf65e4f273b8580643d508b2f90", // 0004_payroll.sql
	"05370a9cfc20fc0349019b2553c5b2932f456a9a41000f29e9448f4fccb71ea6", // 0005_us_exempt.sql
	"c0f6bc1ec3e45b104501f5f69f96fa9b4696a08bdea923c9e827c77b39151db1", // 0006_partners.sql
	"958172cf120871ab1819817031498ab0bd3b028772dd19c70d83054e82839a6a", // 0007_tokens.sql
	"c4e9c5118574b4a1239526d4361898a1678fbbb426362f8f95ed7ed6de045cc2", // 0008_bank.sql
	"f33f830b23a502b0ebe6f822278a6ec33d3d47f3d327ad4d1bec950a5878c838", // 0009_state.sql
	"9403d74fea116c6f7bf719eeb5ba74fc61c6a386e88fbea48235101ba56dc9b7", // 0010_datev.sql
	"6338ff7fc5956e9e1d87999ee78d804908c84fddef628d7933b6ced1c6c6c0a4", // 0011_fx_rates.sql
	"4134280d13fe2dc2478da170a59c5516d37a36082461ddeecfd9cc56428af643", // 0012_base_amounts.sql
	"477578ece117a08f21322aec68fafcb476f6ff48275a11035420912249f2a2f5", // 0013_hr_personal_ids.sql
}

func TestMigrationChecksums(t *testing.T) {
	ms, err := sqlite.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	sqlstore.CheckReleased(t, ms, releasedMigrations)
}

// TestMigrate checks that opening a file twice migrates once, and that a
// file whose recorded checksum differs from the library's is refused.
func TestMigrate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "books.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	var n int
	if err := s.DB().GetContext(ctx, &n, "SELECT count(*) FROM bo_migrations WHERE version > 0"); err != nil {
		t.Fatal(err)
	}
	if ms, _ := sqlite.Migrations(); n != len(ms) {
		t.Errorf("bo_migrations holds %d versions, want %d", n, len(ms))
	}
	if _, err := s.DB().ExecContext(ctx, "UPDATE bo_migrations SET checksum = 'x' WHERE version = 1"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := sqlite.Open(ctx, path); !errors.Is(err, sqlstore.ErrMigration) {
		t.Errorf("Open with an edited checksum: %v, want ErrMigration", err)
	}
}
