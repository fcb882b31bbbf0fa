package backup

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// TestAppendEntry: appendEntry writes what encoding/json writes for an
// entryRecord, byte for byte, for any entry: strings with quotes,
// backslashes, control characters, umlauts, U+2028 and invalid UTF-8,
// nil and empty maps and lines, amounts with and without base amounts.
func TestAppendEntry(t *testing.T) {
	str := rapid.OneOf(rapid.String(), rapid.StringMatching(`[a-zäöüß "\\/<>&\x00-\x1f\x{2028}\x{2029}]{0,12}`),
		rapid.Map(rapid.SliceOfN(rapid.Byte(), 0, 8), func(b []byte) string { return string(b) }))
	strMap := rapid.OneOf(rapid.Just[map[string]string](nil), rapid.MapOfN(str, str, 0, 4))
	curs := []money.Currency{money.EUR, money.USD, money.JPY, money.MustParseCurrency("KWD")}
	amount := rapid.Custom(func(t *rapid.T) money.Amount {
		if rapid.IntRange(0, 4).Draw(t, "zero") == 0 {
			return money.Amount{}
		}
		return money.New(rapid.Int64Range(-1<<62, 1<<62).Draw(t, "n"), rapid.SampledFrom(curs).Draw(t, "cur"))
	})
	rapid.Check(t, func(t *rapid.T) {
		var p ledger.Posted
		p.Book, p.Key, p.Description, p.Voucher, p.Journal = str.Draw(t, "book"), str.Draw(t, "key"), str.Draw(t, "desc"), str.Draw(t, "voucher"), str.Draw(t, "journal")
		if rapid.Bool().Draw(t, "dated") {
			p.Date = date.New(rapid.IntRange(1, 9999).Draw(t, "y"), time.Month(rapid.IntRange(1, 12).Draw(t, "m")), rapid.IntRange(1, 28).Draw(t, "d"))
		}
		p.Reverses, p.Adjusts, p.Seq = rapid.Uint64().Draw(t, "rev"), rapid.Uint64().Draw(t, "adj"), rapid.Uint64().Draw(t, "seq")
		p.Metadata = strMap.Draw(t, "meta")
		if n := rapid.IntRange(-1, 4).Draw(t, "lines"); n >= 0 {
			p.Lines = make([]ledger.Line, n)
			for i := range p.Lines {
				p.Lines[i] = ledger.Line{Account: str.Draw(t, "acct"), Amount: amount.Draw(t, "amount"), Base: amount.Draw(t, "base"),
					Memo: str.Draw(t, "memo"), Dimensions: strMap.Draw(t, "dims")}
			}
		}
		p.RecordedAt = time.UnixMicro(rapid.Int64Range(-62135596800e6, 253402300799e6).Draw(t, "at")).In(time.FixedZone("X", 3600))
		copy(p.Digest[:], rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "digest"))
		copy(p.Hash[:], rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "hash"))

		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(entryRecord{Entry: p.Entry, Seq: p.Seq, RecordedAt: p.RecordedAt.UTC(),
			Digest: hex.EncodeToString(p.Digest[:]), Hash: hex.EncodeToString(p.Hash[:])}); err != nil {
			t.Fatal(err)
		}
		got, ok := appendEntry([]byte("prefix"), &p)
		if !ok {
			t.Fatal("appendEntry refused the entry")
		}
		if g, w := string(got), "prefix"+string(bytes.TrimSuffix(want.Bytes(), []byte("\n"))); g != w {
			t.Fatalf("appendEntry:\n%s\nencoding/json:\n%s", g, w)
		}
	})
}
