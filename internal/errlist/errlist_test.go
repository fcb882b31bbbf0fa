package errlist

import (
	"strconv"
	"testing"
)

func TestJoin(t *testing.T) {
	item := func(i int) string { return "e" + strconv.Itoa(i) }
	if got, want := Join("x: ", 2, item), "x: 2 errors: e0; e1"; got != want {
		t.Errorf("Join 2 = %q, want %q", got, want)
	}
	want := "12 errors: e0; e1; e2; e3; e4; e5; e6; e7; e8; e9; and 2 more"
	if got := Join("", 12, item); got != want {
		t.Errorf("Join 12 = %q, want %q", got, want)
	}
}
