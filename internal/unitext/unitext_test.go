package unitext_test

import (
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/internal/unitext"
)

func TestHidden(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    rune
		want bool
	}{
		{"letter", 'a', false},
		{"space", ' ', false},
		{"no-break space", '\u00a0', false},
		{"ideographic space", '\u3000', false},
		{"umlaut", 'ü', false},
		{"Han", '王', false},
		{"combining diaeresis", '\u0308', false},
		{"tab", '\t', true},
		{"line feed", '\n', true},
		{"DEL", 0x7f, true},
		{"C1 NEL", 0x85, true},
		{"C1 CSI", 0x9b, true},
		{"soft hyphen", '\u00ad', true},
		{"Arabic letter mark", '\u061c', true},
		{"zero-width space", '\u200b', true},
		{"zero-width joiner", '\u200d', true},
		{"left-to-right mark", '\u200e', true},
		{"right-to-left override", '\u202e', true},
		{"left-to-right embedding", '\u202a', true},
		{"first strong isolate", '\u2068', true},
		{"pop directional isolate", '\u2069', true},
		{"line separator", '\u2028', true},
		{"paragraph separator", '\u2029', true},
		{"word joiner", '\u2060', true},
		{"byte order mark", '\ufeff', true},
		{"Hangul filler", '\u3164', true},
		{"Hangul choseong filler", '\u115f', true},
		{"combining grapheme joiner", '\u034f', true},
		{"variation selector 16", '\ufe0f', true},
		{"private use", '\ue000', true},
		{"noncharacter", '\ufdd0', true},
		{"noncharacter FFFE", '\ufffe', true},
		{"noncharacter of plane 1", 0x1fffF, true},
		{"replacement character", '\ufffd', true},
		{"tag", 0xe0041, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := unitext.Hidden(tc.r); got != tc.want {
				t.Errorf("Hidden(%U) = %v, want %v", tc.r, got, tc.want)
			}
		})
	}
}

func TestProblem(t *testing.T) {
	for _, tc := range []struct {
		name, s string
		max     int
		want    string // "" or a part of the reason
	}{
		{"empty", "", 256, ""},
		{"100 Han characters, 300 bytes", strings.Repeat("王", 100), 256, ""},
		{"256 characters", strings.Repeat("ä", 256), 256, ""},
		{"257 characters", strings.Repeat("a", 257), 256, "longer than 256 characters"},
		{"right-to-left override", "Anna\u202Eanna", 256, "U+202E at character 5"},
		{"C1 control", "Anna\u0085", 256, "U+0085"},
		{"invalid UTF-8", "Anna\xff", 256, "not UTF-8"},
		// Persian "mi‌ravam"-style spellings need the non-joiner
		// between letters: allowed there, nowhere else.
		{"non-joiner between Persian letters", "می‌خواهم", 256, ""},
		{"joiner between Devanagari letters", "क्‍ष", 256, ""},
		{"non-joiner at the end", "Anna‌", 256, "U+200C at character 5"},
		{"joiner after a space", "Anna ‍B", 256, "U+200D at character 6"},
		{"zero-width space between letters", "An​na", 256, "U+200B at character 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := unitext.Problem(tc.s, tc.max)
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("Problem = %q, want %q", got, tc.want)
			}
			if tc.s != "" && strings.Contains(got, "Anna") {
				t.Errorf("Problem = %q repeats the text", got)
			}
		})
	}
}
