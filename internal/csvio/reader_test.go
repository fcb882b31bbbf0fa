package csvio_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/internal/csvio"
)

// gotRow is a data row as the tests compare it.
type gotRow struct {
	Num    int
	Values map[string]string
}

// gotErr is a FieldError as the tests compare it: the sentinel by name.
type gotErr struct {
	Row    int
	Column string
	Is     string
}

var sentinels = []struct {
	name string
	err  error
}{
	{"ErrEmpty", csvio.ErrEmpty},
	{"ErrEncoding", csvio.ErrEncoding},
	{"ErrSyntax", csvio.ErrSyntax},
	{"ErrFieldCount", csvio.ErrFieldCount},
	{"ErrMissingColumn", csvio.ErrMissingColumn},
	{"ErrNotHeader", csvio.ErrNotHeader}, // before ErrUnknownColumn, which it wraps
	{"ErrUnknownColumn", csvio.ErrUnknownColumn},
	{"ErrDuplicateColumn", csvio.ErrDuplicateColumn},
	{"errTest", errTest},
}

var errTest = errors.New("test: bad value")

func sentinelName(err error) string {
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			return s.name
		}
	}
	return fmt.Sprintf("other(%v)", err)
}

// readAll reads every row of input, recording errTest for each cell "BAD".
func readAll(t *testing.T, input string, opts *csvio.Options) ([]gotRow, []gotErr, error) {
	t.Helper()
	rd := csvio.NewReader(strings.NewReader(input), opts)
	var rows []gotRow
	for rd.Next() {
		row := rd.Row()
		header, _ := rd.Header()
		g := gotRow{Num: row.Num(), Values: map[string]string{}}
		for _, h := range header {
			v := row.Get(h)
			g.Values[h] = v
			if v == "BAD" {
				row.Fail(h, errTest)
			}
		}
		rows = append(rows, g)
	}
	err := rd.Err()
	var errs []gotErr
	if err != nil {
		var list csvio.Errors
		if !errors.As(err, &list) {
			t.Fatalf("Err() = %T, want csvio.Errors", err)
		}
		for _, fe := range list {
			errs = append(errs, gotErr{Row: fe.Row, Column: fe.Column, Is: sentinelName(fe.Err)})
		}
	}
	return rows, errs, err
}

func TestReader(t *testing.T) {
	codeName := &csvio.Options{Required: []string{"code", "name"}, Optional: []string{"note"}, Prefixes: []string{"meta."}}
	tests := []struct {
		name     string
		input    string
		opts     *csvio.Options
		wantRows []gotRow
		wantErrs []gotErr
	}{
		{
			name:  "comma",
			input: "code,name\n1000,Assets\n1100,Current assets\n",
			opts:  codeName,
			wantRows: []gotRow{
				{2, map[string]string{"code": "1000", "name": "Assets"}},
				{3, map[string]string{"code": "1100", "name": "Current assets"}},
			},
		},
		{
			name:  "semicolon detected, BOM stripped, CRLF",
			input: "\uFEFFcode;name\r\n1000;Assets, total\r\n",
			opts:  codeName,
			wantRows: []gotRow{
				{2, map[string]string{"code": "1000", "name": "Assets, total"}},
			},
		},
		{
			name:  "semicolon forced",
			input: "code,name;note\n1,a,b;c\n",
			opts:  &csvio.Options{Comma: ';', Required: []string{"code,name"}, Optional: []string{"note"}},
			wantRows: []gotRow{
				{2, map[string]string{"code,name": "1,a,b", "note": "c"}},
			},
		},
		{
			name:  "comma wins a tie",
			input: "code;name,note\n1;a,b\n",
			opts:  &csvio.Options{},
			wantRows: []gotRow{
				{2, map[string]string{"code;name": "1;a", "note": "b"}},
			},
		},
		{
			name:  "quoted separators in header ignored for detection",
			input: "\"a;b;c\",d\n1,2\n",
			opts:  nil,
			wantRows: []gotRow{
				{2, map[string]string{"a;b;c": "1", "d": "2"}},
			},
		},
		{
			name:  "header case and space, values trimmed",
			input: " Code , NAME ,Meta.Role\n 1000 , Bank ,bank\n",
			opts:  codeName,
			wantRows: []gotRow{
				{2, map[string]string{"code": "1000", "name": "Bank", "meta.role": "bank"}},
			},
		},
		{
			name:  "RFC 4180 quoting",
			input: "code,name\n1,\"say \"\"hi\"\", twice\"\n2,\"two\nlines\"\n3,after\n",
			opts:  codeName,
			wantRows: []gotRow{
				{2, map[string]string{"code": "1", "name": `say "hi", twice`}},
				{3, map[string]string{"code": "2", "name": "two\nlines"}},
				{4, map[string]string{"code": "3", "name": "after"}},
			},
		},
		{
			name:  "blank rows counted, skipped; trailing lines ignored",
			input: "code,name\n\n1,a\n,\n  ,  \n2,b\n\n\n\n",
			opts:  codeName,
			wantRows: []gotRow{
				{3, map[string]string{"code": "1", "name": "a"}},
				{6, map[string]string{"code": "2", "name": "b"}},
			},
		},
		{
			name:  "no trailing newline",
			input: "code,name\n1,a",
			opts:  codeName,
			wantRows: []gotRow{
				{2, map[string]string{"code": "1", "name": "a"}},
			},
		},
		{
			name:     "header only",
			input:    "code,name\n",
			opts:     codeName,
			wantRows: nil,
		},
		{
			name:     "empty input",
			input:    "",
			opts:     codeName,
			wantErrs: []gotErr{{1, "", "ErrEmpty"}},
		},
		{
			name:     "BOM and blank lines only",
			input:    "\uFEFF\n\n",
			opts:     codeName,
			wantErrs: []gotErr{{1, "", "ErrEmpty"}},
		},
		{
			name:     "UTF-16",
			input:    "\xFF\xFEc\x00o\x00",
			opts:     codeName,
			wantErrs: []gotErr{{1, "", "ErrEncoding"}},
		},
		{
			name:     "missing required columns, one error each",
			input:    "note\nx\n",
			opts:     codeName,
			wantErrs: []gotErr{{1, "code", "ErrMissingColumn"}, {1, "name", "ErrMissingColumn"}},
		},
		{
			name:  "unknown, duplicate and unnamed columns",
			input: "code,name,colour,NAME,,meta.\n1,a,b,c,d,e\n",
			opts:  codeName,
			wantErrs: []gotErr{
				{1, "colour", "ErrUnknownColumn"},
				{1, "name", "ErrDuplicateColumn"},
				{1, "", "ErrUnknownColumn"},
				{1, "meta.", "ErrUnknownColumn"},
			},
		},
		{
			name:     "first row is data: one error repeating none of it, and the missing columns",
			input:    "1000,Assets\n1100,Current assets\n",
			opts:     codeName,
			wantErrs: []gotErr{{1, "", "ErrNotHeader"}, {1, "code", "ErrMissingColumn"}, {1, "name", "ErrMissingColumn"}},
		},
		{
			name:  "confidential: unknown and duplicate columns by position",
			input: "code,name,colour,NAME\n1,a,b,c\n",
			opts:  &csvio.Options{Required: []string{"code", "name"}, Confidential: true},
			wantErrs: []gotErr{
				{1, "", "ErrUnknownColumn"},
				{1, "", "ErrDuplicateColumn"},
			},
		},
		{
			name:     "invalid UTF-8 in header",
			input:    "code,na\xffme\n1,a\n",
			opts:     codeName,
			wantErrs: []gotErr{{1, "", "ErrEncoding"}},
		},
		{
			name:     "malformed header",
			input:    "code,na\"me\n1,a\n",
			opts:     codeName,
			wantErrs: []gotErr{{1, "", "ErrSyntax"}},
		},
		{
			name:  "row errors collected, good rows still yielded",
			input: "code,name\n1\n2,a,extra\n3,b\xff\n4,x\"y\n5,\"ok\"\n6,BAD\n",
			opts:  codeName,
			wantRows: []gotRow{
				{6, map[string]string{"code": "5", "name": "ok"}},
				{7, map[string]string{"code": "6", "name": "BAD"}},
			},
			wantErrs: []gotErr{
				{2, "", "ErrFieldCount"},
				{3, "", "ErrFieldCount"},
				{4, "name", "ErrEncoding"},
				{5, "", "ErrSyntax"},
				{7, "name", "errTest"},
			},
		},
		{
			name:     "unterminated quote",
			input:    "code,name\n1,\"open\n2,b\n",
			opts:     codeName,
			wantErrs: []gotErr{{2, "", "ErrSyntax"}},
		},
		{
			name:  "row numbers after a multi-line cell and blank lines",
			input: "code,name\n1,\"a\n\nb\"\n\n2,BAD\n",
			opts:  codeName,
			wantRows: []gotRow{
				{2, map[string]string{"code": "1", "name": "a\n\nb"}},
				{4, map[string]string{"code": "2", "name": "BAD"}},
			},
			wantErrs: []gotErr{{4, "name", "errTest"}},
		},
		{
			name:     "invalid separator",
			input:    "a,b\n",
			opts:     &csvio.Options{Comma: '"'},
			wantErrs: []gotErr{{1, "", "other(csvio: invalid separator '\"')"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotRows, gotErrs, _ := readAll(t, tt.input, tt.opts)
			if diff := cmp.Diff(gotRows, tt.wantRows); diff != "" {
				t.Errorf("rows: diff (-got +want):\n%s", diff)
			}
			if diff := cmp.Diff(gotErrs, tt.wantErrs); diff != "" {
				t.Errorf("errors: diff (-got +want):\n%s", diff)
			}
		})
	}
}

func TestReaderIOError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("code,name\n1,a\n"), iotest.ErrReader(boom))
	rd := csvio.NewReader(r, nil)
	n := 0
	for rd.Next() {
		n++
	}
	err := rd.Err()
	if got, want := n, 1; got != want {
		t.Errorf("rows = %d, want %d", got, want)
	}
	if !errors.Is(err, boom) {
		t.Errorf("Err() = %v, want it to wrap %v", err, boom)
	}
	var list csvio.Errors
	if errors.As(err, &list) && (len(list) != 1 || list[0].Row != 3) {
		t.Errorf("Err() = %v, want one error in row 3", err)
	}
}

func TestReaderNoCellValuesInErrors(t *testing.T) {
	const secret = "Erika Mustermann"
	tests := []struct {
		name  string
		input string
	}{
		{"field count", "code,name\n1," + secret + ",x\n"},
		{"encoding", "code,name\n1," + secret + "\xff\n"},
		{"syntax", "code,name\n1," + secret + "\"x\n"},
		{"unterminated", "code,name\n1,\"" + secret + "\n"},
		{"caller", "code,name\n1,BAD" + secret + "\n"},
		{"no header row", "1," + secret + "\n2,x\n"},
		{"no header row, one cell a column name", "code," + secret + "\n2,x\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd := csvio.NewReader(strings.NewReader(tt.input), &csvio.Options{Required: []string{"code", "name"}, Confidential: true})
			for rd.Next() {
				rd.Row().Fail("name", errTest)
			}
			err := rd.Err()
			if err == nil {
				t.Fatal("Err() = nil, want an error")
			}
			if strings.Contains(err.Error(), "Erika") {
				t.Errorf("Err() = %q, want no cell value in it", err)
			}
		})
	}
}

func TestReaderFailSortsByRow(t *testing.T) {
	rd := csvio.NewReader(strings.NewReader("a\n1\n2\n3\n"), &csvio.Options{Required: []string{"a"}})
	var nums []int
	for rd.Next() {
		nums = append(nums, rd.Row().Num())
	}
	rd.Fail(4, "A", errTest)
	rd.Fail(2, "a", io.EOF)
	rd.Fail(2, "", errTest)
	var list csvio.Errors
	if !errors.As(rd.Err(), &list) {
		t.Fatalf("Err() = %v, want csvio.Errors", rd.Err())
	}
	var got []gotErr
	for _, fe := range list {
		got = append(got, gotErr{fe.Row, fe.Column, sentinelName(fe.Err)})
	}
	want := []gotErr{{2, "a", "other(EOF)"}, {2, "", "errTest"}, {4, "a", "errTest"}}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("errors: diff (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(nums, []int{2, 3, 4}); diff != "" {
		t.Errorf("row numbers: diff (-got +want):\n%s", diff)
	}
}

func TestRowLookupAndPrefixed(t *testing.T) {
	input := "code,Meta.Role,note,META.Cash Flow,meta.x\n1, bank ,n,,y\n"
	rd := csvio.NewReader(strings.NewReader(input), &csvio.Options{Required: []string{"code"}, Optional: []string{"note"}, Prefixes: []string{"Meta."}})
	if !rd.Next() {
		t.Fatalf("Next() = false, Err() = %v", rd.Err())
	}
	row := rd.Row()
	t.Run("Lookup", func(t *testing.T) {
		v, ok := row.Lookup(" NOTE ")
		if got, want := fmt.Sprintf("%q %v", v, ok), `"n" true`; got != want {
			t.Errorf("Lookup(note) = %s, want %s", got, want)
		}
		v, ok = row.Lookup("missing")
		if got, want := fmt.Sprintf("%q %v", v, ok), `"" false`; got != want {
			t.Errorf("Lookup(missing) = %s, want %s", got, want)
		}
	})
	t.Run("Prefixed", func(t *testing.T) {
		var got []string
		for k, v := range row.Prefixed("META.") {
			got = append(got, k+"="+v)
		}
		want := []string{"role=bank", "cash flow=", "x=y"}
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("Prefixed: diff (-got +want):\n%s", diff)
		}
	})
	t.Run("Prefixed stops early", func(t *testing.T) {
		n := 0
		for range row.Prefixed("meta.") {
			n++
			break
		}
		if n != 1 {
			t.Errorf("iterations = %d, want 1", n)
		}
	})
}

func TestErrorsError(t *testing.T) {
	fe := func(row int, col string) *csvio.FieldError {
		return &csvio.FieldError{Row: row, Column: col, Err: errTest}
	}
	many := make(csvio.Errors, 12)
	for i := range many {
		many[i] = fe(i+2, "")
	}
	tests := []struct {
		name string
		errs csvio.Errors
		want string
	}{
		{"none", nil, "csvio: no errors"},
		{"one with column", csvio.Errors{fe(3, "type")}, `row 3, column "type": test: bad value`},
		{"one without column", csvio.Errors{fe(3, "")}, "row 3: test: bad value"},
		{"two", csvio.Errors{fe(2, "a"), fe(5, "")}, `2 errors: row 2, column "a": test: bad value; row 5: test: bad value`},
		{"nil reason", csvio.Errors{{Row: 2}}, "row 2: invalid"},
		{"long column", csvio.Errors{fe(2, strings.Repeat("x", 70))}, `row 2, column "` + strings.Repeat("x", 64) + `…": test: bad value`},
		{"many", many, "12 errors: " + strings.Repeat("row N: test: bad value; ", 10) + "and 2 more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.errs.Error()
			if tt.name == "many" {
				for i := range many {
					got = strings.Replace(got, fmt.Sprintf("row %d:", i+2), "row N:", 1)
				}
			}
			if got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("errors.Is", func(t *testing.T) {
		var err error = csvio.Errors{fe(2, ""), {Row: 3, Err: fmt.Errorf("wrapped: %w", csvio.ErrFieldCount)}}
		if !errors.Is(err, csvio.ErrFieldCount) || !errors.Is(err, errTest) {
			t.Errorf("errors.Is(%v, …) = false, want true for both sentinels", err)
		}
		if errors.Is(err, csvio.ErrSyntax) {
			t.Errorf("errors.Is(%v, ErrSyntax) = true, want false", err)
		}
		var target *csvio.FieldError
		if !errors.As(err, &target) || target.Row != 2 {
			t.Errorf("errors.As = %v, want the first FieldError", target)
		}
	})
}

func TestHeader(t *testing.T) {
	rd := csvio.NewReader(strings.NewReader("B;a\n1;2\n"), nil)
	got, err := rd.Header()
	if err != nil {
		t.Fatalf("Header() error = %v", err)
	}
	if diff := cmp.Diff(got, []string{"b", "a"}); diff != "" {
		t.Errorf("Header(): diff (-got +want):\n%s", diff)
	}
	if !rd.Next() || rd.Row().Get("A") != "2" {
		t.Errorf("after Header, Next/Get(A) did not yield 2; Err() = %v", rd.Err())
	}
}

func FuzzReader(f *testing.F) {
	for _, s := range []string{
		"code,name\n1,a\n",
		"\uFEFFcode;name;meta.role\r\n1;\"a;b\";bank\r\n\r\n",
		"code,name\n1,\"a\nb\"\n\n2,x\"y\n3\n",
		"code,name,code\n",
		"\xff\xfe",
		"",
		"\"",
		"a\n\"\n",
	} {
		f.Add([]byte(s), byte(0))
		f.Add([]byte(s), byte(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, mode byte) {
		var opts *csvio.Options
		switch mode % 3 {
		case 1:
			opts = &csvio.Options{Required: []string{"code"}, Optional: []string{"name"}, Prefixes: []string{"meta."}}
		case 2:
			opts = &csvio.Options{Comma: ';'}
		}
		rd := csvio.NewReader(strings.NewReader(string(data)), opts)
		header, _ := rd.Header()
		last := 1
		for rd.Next() {
			row := rd.Row()
			if row.Num() <= last {
				t.Fatalf("row number %d after %d", row.Num(), last)
			}
			last = row.Num()
			for _, h := range header {
				_ = row.Get(h)
			}
			for range row.Prefixed("meta.") {
			}
			if row.Num()%2 == 0 {
				row.Fail("code", errTest)
			}
		}
		err := rd.Err()
		if err == nil {
			return
		}
		var list csvio.Errors
		if !errors.As(err, &list) {
			t.Fatalf("Err() = %T, want csvio.Errors", err)
		}
		_ = list.Error()
		for _, fe := range list {
			if fe.Row < 1 {
				t.Errorf("FieldError %v: row %d < 1", fe, fe.Row)
			}
			if fe.Err == nil {
				t.Errorf("FieldError in row %d has no reason", fe.Row)
			}
		}
	})
}

// TestReaderConfidentialHeader: with Confidential, the header cells an
// error is about are named by position, never by their text.
func TestReaderConfidentialHeader(t *testing.T) {
	rd := csvio.NewReader(strings.NewReader("code,name,Erika,NAME\n1,a,b,c\n"),
		&csvio.Options{Required: []string{"code", "name"}, Confidential: true})
	for rd.Next() {
	}
	got := rd.Err().Error()
	want := "2 errors: row 1: csvio: unknown column 3; row 1: csvio: duplicate column 4, named as column 2"
	if got != want {
		t.Errorf("Err() = %q, want %q", got, want)
	}
	rd = csvio.NewReader(strings.NewReader("1001,Erika,1964-08-12\n"), &csvio.Options{Required: []string{"code"}})
	for rd.Next() {
	}
	got = rd.Err().Error()
	want = `2 errors: row 1: csvio: not a header row: none of its 3 cells names a column; row 1, column "code": csvio: missing required column`
	if got != want {
		t.Errorf("Err() = %q, want %q", got, want)
	}
}
