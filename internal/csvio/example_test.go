package csvio_test

import (
	"fmt"
	"strings"

	"github.com/openbackoffice/backoffice/internal/csvio"
)

func ExampleReader() {
	input := "\uFEFFCode;Name;Hours;meta.team\n" +
		"E1;Ada;38,5;ops\n" +
		"E2;Grace;;\n" +
		"E3;Linus\n"
	rd := csvio.NewReader(strings.NewReader(input), &csvio.Options{
		Required: []string{"code", "name"},
		Optional: []string{"hours"},
		Prefixes: []string{"meta."},
	})
	for rd.Next() {
		row := rd.Row()
		if row.Get("hours") == "" {
			row.Fail("hours", fmt.Errorf("missing"))
			continue
		}
		fmt.Println(row.Num(), row.Get("code"), row.Get("name"))
		for key, value := range row.Prefixed("meta.") {
			fmt.Println("  ", key, value)
		}
	}
	if err := rd.Err(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 2 E1 Ada
	//    team ops
	// 2 errors: row 3, column "hours": missing; row 4: csvio: wrong number of fields: 2, want 4
}
