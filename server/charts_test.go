package server

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/money"
)

// svgStats parses an SVG document with encoding/xml (failing on anything
// not well-formed) and counts elements by "name" and "name.class".
func svgStats(t *testing.T, svg string) map[string]int {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	n := map[string]int{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, svg)
		}
		if se, ok := tok.(xml.StartElement); ok {
			n[se.Name.Local]++
			for _, a := range se.Attr {
				if a.Name.Local == "class" {
					n[se.Name.Local+"."+a.Value]++
				}
				if a.Name.Local == "style" {
					t.Errorf("style attribute on %s", se.Name.Local)
				}
			}
		}
	}
}

func eurs(ss ...string) []money.Amount {
	out := make([]money.Amount, len(ss))
	for i, s := range ss {
		out[i] = money.MustParse(s, money.EUR)
	}
	return out
}

func TestCharts(t *testing.T) {
	evil := `A<b>&"c'`
	tests := []struct {
		name          string
		svg           string
		bars, points  int
		lines         int
		want, wantNot []string
	}{
		{
			name: "bars and line",
			svg: barLineChart("Result "+evil, money.EUR, []string{"Jan", "Feb", evil},
				[]chartSeries{{Name: "Revenue", Colour: "#1f5fa8", Values: eurs("100.00", "250.50", "0.01")},
					{Name: "Expenses", Colour: "#d9822b", Values: eurs("80.00", "300.00", "0.00")}},
				&chartSeries{Name: "Result", Colour: "#2e7d32", Values: eurs("20.00", "-49.50", "0.01")}),
			bars: 6, points: 3, lines: 1,
			want: []string{"Revenue Feb: 250.50", "Result Feb: -49.50", "A&lt;b&gt;&amp;&#34;c&#39;", ">300.00<", ">-49.50<"},
		},
		{
			name:   "line",
			svg:    lineChart("Cash", money.EUR, []string{"Jan", "Feb"}, chartSeries{Name: evil, Colour: "#000", Values: eurs("10.00", "12345678901.23")}),
			points: 2, lines: 1,
			want: []string{"12345678901.23"},
		},
		{
			name: "stacked",
			svg: stackedBarChart("Balance sheet", money.EUR, []chartStack{
				{Label: "Assets", Parts: []chartPart{{Label: "Current", Amount: eurs("700.00")[0]}, {Label: evil, Amount: eurs("300.00")[0]}}},
				{Label: "Liabilities and equity", Parts: []chartPart{{Label: "Liabilities", Amount: eurs("400.00")[0]}, {Label: "Equity", Amount: eurs("600.00")[0]}}},
			}),
			bars: 4,
			want: []string{"Current: 700.00", "Equity: 600.00"},
		},
		{
			name: "all zero",
			svg:  barLineChart("Empty", money.EUR, []string{"Jan"}, []chartSeries{{Name: "R", Colour: "#000", Values: eurs("0.00")}}, nil),
			bars: 1,
		},
		{name: "no data", svg: lineChart("None", money.EUR, nil, chartSeries{})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := svgStats(t, tt.svg)
			if n["svg"] != 1 || n["rect.bar"] != tt.bars || n["circle.point"] != tt.points || n["polyline.line"] != tt.lines {
				t.Errorf("elements %v, want %d bars, %d points, %d lines", n, tt.bars, tt.points, tt.lines)
			}
			if strings.Contains(tt.svg, "<b>") {
				t.Errorf("label not escaped")
			}
			for _, w := range tt.want {
				if !strings.Contains(tt.svg, w) {
					t.Errorf("lacks %q", w)
				}
			}
		})
	}
}

// TestChartScale: bar heights are proportional to the exact amounts.
func TestChartScale(t *testing.T) {
	s := newScale(eurs("-100.00", "300.00"), 0, 400)
	for _, c := range []struct {
		v    string
		want float64
	}{{"300.00", 0}, {"0.00", 300}, {"-100.00", 400}, {"150.00", 150}} {
		if got := s.yAmount(money.MustParse(c.v, money.EUR)); got != c.want {
			t.Errorf("y(%s) = %v, want %v", c.v, got, c.want)
		}
	}
}
