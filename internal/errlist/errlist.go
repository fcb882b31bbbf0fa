// Package errlist spells out lists of problems for the Error methods of
// the import error lists (csvio, hr, journal, fx): one format, one bound.
package errlist

import (
	"fmt"
	"strings"
)

// Max bounds how many problems Join spells out.
const Max = 10

// Join returns prefix, the number of problems n, and the first Max of
// them (item(i) for i < n) separated by "; ", then how many more there
// are: "fx: 12 errors: line 2, rate: …; …; and 2 more".
func Join(prefix string, n int, item func(i int) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s%d errors: ", prefix, n)
	for i := range n {
		if i == Max {
			fmt.Fprintf(&b, "; and %d more", n-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(item(i))
	}
	return b.String()
}
