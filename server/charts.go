package server

import (
	"fmt"
	"html"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/money"
)

// The charts are SVG drawn on the server: pure functions from amounts to
// SVG text, embedded inline in a page, readable without JavaScript. Bar
// heights are computed from exact decimals; only the final pixel
// coordinate becomes a float (pixels are not money). Every bar and point
// carries a <title> with its exact amount, and every text is escaped with
// html.EscapeString. No style attributes: the CSP forbids them, so colours
// are presentation attributes (fill, stroke).

// chartSeries is one named series of amounts, one per category.
type chartSeries struct {
	Name   string
	Colour string // an SVG colour, "#1f5fa8"
	Values []money.Amount
}

// chartPart is one segment of a stacked bar.
type chartPart struct {
	Label  string
	Amount money.Amount
}

// chartStack is one stacked bar: its parts from the bottom up.
type chartStack struct {
	Label string
	Parts []chartPart
}

// Chart geometry, in SVG user units.
const (
	chartW      = 720
	chartH      = 300
	chartLeft   = 90
	chartRight  = 20
	chartTop    = 36
	chartBottom = 48
)

// chartPalette colours the parts of stacked bars.
var chartPalette = []string{"#1f5fa8", "#5b9bd5", "#9dc3e6", "#2e7d32", "#81c784", "#f9a825", "#8e24aa", "#6d4c41"}

// scale maps amounts between lo and hi (lo ≤ 0 ≤ hi) to y pixels.
type scale struct {
	lo, hi decimal.Decimal
	top, h float64
}

func newScale(vals []money.Amount, top, h float64) scale {
	lo, hi := decimal.Zero, decimal.Zero
	for _, v := range vals {
		d := v.Decimal()
		if d.GreaterThan(hi) {
			hi = d
		}
		if d.LessThan(lo) {
			lo = d
		}
	}
	if lo.Equal(hi) { // all zero: one unit of headroom so the axis sits at the bottom
		hi = decimal.NewFromInt(1)
	}
	return scale{lo: lo, hi: hi, top: top, h: h}
}

// y returns the pixel row of d: the ratio (hi − d) / (hi − lo) is exact
// decimal arithmetic rounded to 6 places; only the pixel is a float.
func (s scale) y(d decimal.Decimal) float64 {
	r := s.hi.Sub(d).DivRound(s.hi.Sub(s.lo), 6)
	return s.top + r.InexactFloat64()*s.h
}

func (s scale) yAmount(a money.Amount) float64 { return s.y(a.Decimal()) }

// px formats a pixel coordinate.
func px(f float64) string { return fmt.Sprintf("%.1f", f) }

// esc escapes text for SVG (XML) content and attributes.
func esc(s string) string { return html.EscapeString(s) }

// svgOpen writes the root element and the title.
func svgOpen(b *strings.Builder, title string) {
	fmt.Fprintf(b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`,
		chartW, chartH, chartW, chartH, esc(title))
	fmt.Fprintf(b, `<title>%s</title>`, esc(title))
	fmt.Fprintf(b, `<text x="%d" y="20" font-size="14" font-weight="600" fill="#1d2430">%s</text>`, chartLeft, esc(title))
}

// axis draws the zero line and the labels of the highest and lowest value.
func axis(b *strings.Builder, s scale, cur money.Currency) {
	x0, x1 := float64(chartLeft), float64(chartW-chartRight)
	zero := s.y(decimal.Zero)
	fmt.Fprintf(b, `<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#5b6675" stroke-width="1"/>`, px(x0), px(zero), px(x1), px(zero))
	label := func(d decimal.Decimal) {
		a, err := money.FromDecimal(d, cur)
		text := d.String()
		if err == nil {
			text = a.Number()
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" font-size="11" text-anchor="end" fill="#5b6675">%s</text>`, px(x0-6), px(s.y(d)+4), esc(text))
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#d8dde4" stroke-width="1"/>`, px(x0), px(s.y(d)), px(x1), px(s.y(d)))
	}
	if s.hi.IsPositive() && cur != (money.Currency{}) {
		label(s.hi)
	}
	if s.lo.IsNegative() && cur != (money.Currency{}) {
		label(s.lo)
	}
	fmt.Fprintf(b, `<text x="%s" y="%s" font-size="11" text-anchor="end" fill="#5b6675">0</text>`, px(x0-6), px(zero+4))
}

// legend draws coloured keys for the series names.
func legend(b *strings.Builder, names, colours []string) {
	x := float64(chartLeft)
	y := float64(chartH - 12)
	for i, n := range names {
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="10" height="10" fill="%s"/>`, px(x), px(y-9), esc(colours[i]))
		fmt.Fprintf(b, `<text x="%s" y="%s" font-size="11" fill="#1d2430">%s</text>`, px(x+14), px(y), esc(n))
		x += 24 + 7*float64(len([]rune(n)))
	}
}

// barLineChart draws grouped bars, one group per category (label), one bar
// per series in bars, and the series line as a line with points over them:
// revenue and expenses as bars, the result as a line.
func barLineChart(title string, cur money.Currency, labels []string, bars []chartSeries, line *chartSeries) string {
	var all []money.Amount
	for _, s := range bars {
		all = append(all, s.Values...)
	}
	if line != nil {
		all = append(all, line.Values...)
	}
	s := newScale(all, chartTop, chartH-chartTop-chartBottom)
	var b strings.Builder
	svgOpen(&b, title)
	axis(&b, s, cur)
	n := len(labels)
	if n == 0 {
		b.WriteString(`</svg>`)
		return b.String()
	}
	plotW := float64(chartW - chartLeft - chartRight)
	slot := plotW / float64(n)
	barW := slot * 0.8 / float64(max(len(bars), 1))
	zero := s.y(decimal.Zero)
	for i, l := range labels {
		x := float64(chartLeft) + slot*float64(i)
		for k, ser := range bars {
			if i >= len(ser.Values) {
				continue
			}
			v := ser.Values[i]
			y := s.yAmount(v)
			top, h := y, zero-y
			if h < 0 {
				top, h = zero, -h
			}
			fmt.Fprintf(&b, `<rect class="bar" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s %s: %s</title></rect>`,
				px(x+slot*0.1+barW*float64(k)), px(top), px(barW), px(h), esc(ser.Colour), esc(ser.Name), esc(l), esc(v.Number()))
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="11" text-anchor="middle" fill="#1d2430">%s</text>`,
			px(x+slot/2), px(float64(chartH-chartBottom+16)), esc(l))
	}
	names, colours := []string{}, []string{}
	for _, ser := range bars {
		names, colours = append(names, ser.Name), append(colours, ser.Colour)
	}
	if line != nil && len(line.Values) > 0 {
		var pts []string
		for i, v := range line.Values {
			if i >= n {
				break
			}
			pts = append(pts, px(float64(chartLeft)+slot*(float64(i)+0.5))+","+px(s.yAmount(v)))
		}
		fmt.Fprintf(&b, `<polyline class="line" points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(pts, " "), esc(line.Colour))
		for i, v := range line.Values {
			if i >= n {
				break
			}
			fmt.Fprintf(&b, `<circle class="point" cx="%s" cy="%s" r="3" fill="%s"><title>%s %s: %s</title></circle>`,
				px(float64(chartLeft)+slot*(float64(i)+0.5)), px(s.yAmount(v)), esc(line.Colour), esc(line.Name), esc(labels[i]), esc(v.Number()))
		}
		names, colours = append(names, line.Name), append(colours, line.Colour)
	}
	legend(&b, names, colours)
	b.WriteString(`</svg>`)
	return b.String()
}

// lineChart draws one series as a line with a point per category.
func lineChart(title string, cur money.Currency, labels []string, ser chartSeries) string {
	s := newScale(ser.Values, chartTop, chartH-chartTop-chartBottom)
	var b strings.Builder
	svgOpen(&b, title)
	axis(&b, s, cur)
	n := len(labels)
	if n == 0 {
		b.WriteString(`</svg>`)
		return b.String()
	}
	slot := float64(chartW-chartLeft-chartRight) / float64(n)
	var pts []string
	for i, v := range ser.Values {
		if i >= n {
			break
		}
		pts = append(pts, px(float64(chartLeft)+slot*(float64(i)+0.5))+","+px(s.yAmount(v)))
	}
	fmt.Fprintf(&b, `<polyline class="line" points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(pts, " "), esc(ser.Colour))
	for i, l := range labels {
		x := float64(chartLeft) + slot*(float64(i)+0.5)
		if i < len(ser.Values) {
			v := ser.Values[i]
			fmt.Fprintf(&b, `<circle class="point" cx="%s" cy="%s" r="3" fill="%s"><title>%s %s: %s</title></circle>`,
				px(x), px(s.yAmount(v)), esc(ser.Colour), esc(ser.Name), esc(l), esc(v.Number()))
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="11" text-anchor="middle" fill="#1d2430">%s</text>`,
			px(x), px(float64(chartH-chartBottom+16)), esc(l))
	}
	legend(&b, []string{ser.Name}, []string{ser.Colour})
	b.WriteString(`</svg>`)
	return b.String()
}

// stackedBarChart draws one stacked bar per stack, parts from the bottom
// up: the composition of a balance sheet's two sides. Parts should be
// positive; a negative part (accumulated depreciation shown apart, say) is
// drawn below the axis.
func stackedBarChart(title string, cur money.Currency, stacks []chartStack) string {
	// The scale covers the largest positive and negative stack totals.
	var extremes []money.Amount
	for _, st := range stacks {
		pos, neg := decimal.Zero, decimal.Zero
		for _, p := range st.Parts {
			if d := p.Amount.Decimal(); d.IsNegative() {
				neg = neg.Add(d)
			} else {
				pos = pos.Add(d)
			}
		}
		for _, d := range []decimal.Decimal{pos, neg} {
			if a, err := money.FromDecimal(d, cur); err == nil {
				extremes = append(extremes, a)
			}
		}
	}
	s := newScale(extremes, chartTop, chartH-chartTop-chartBottom)
	var b strings.Builder
	svgOpen(&b, title)
	axis(&b, s, cur)
	n := len(stacks)
	if n == 0 {
		b.WriteString(`</svg>`)
		return b.String()
	}
	slot := float64(chartW-chartLeft-chartRight) / float64(n)
	barW := min(slot*0.35, 110)
	room := int((slot - barW - 20) / 6.5) // characters of a part's label beside its bar
	for i, st := range stacks {
		x := float64(chartLeft) + slot*float64(i) + 10
		pos, neg := decimal.Zero, decimal.Zero
		for k, p := range st.Parts {
			d := p.Amount.Decimal()
			var from, to decimal.Decimal
			if d.IsNegative() {
				from, to = neg, neg.Add(d)
				neg = to
			} else {
				from, to = pos, pos.Add(d)
				pos = to
			}
			y0, y1 := s.y(from), s.y(to)
			top, h := y1, y0-y1
			if h < 0 {
				top, h = y0, -h
			}
			colour := chartPalette[k%len(chartPalette)]
			fmt.Fprintf(&b, `<rect class="bar" x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#fff" stroke-width="1"><title>%s: %s</title></rect>`,
				px(x), px(top), px(barW), px(h), colour, esc(p.Label), esc(p.Amount.Number()))
			if h >= 12 {
				fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="11" fill="#1d2430">%s</text>`,
					px(x+barW+6), px(top+h/2+4), esc(clip(p.Label+" "+p.Amount.Number(), p.Amount.Number(), room)))
			}
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="11" text-anchor="middle" fill="#1d2430">%s</text>`,
			px(x+barW/2), px(float64(chartH-chartBottom+16)), esc(st.Label))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// clip shortens label to at most n characters, keeping its end tail (the
// amount) whole and cutting the text before it with an ellipsis.
func clip(label, tail string, n int) string {
	r := []rune(label)
	if len(r) <= n {
		return label
	}
	t := []rune(" " + tail)
	keep := n - len(t) - 1
	if keep < 1 {
		return tail
	}
	return string(r[:keep]) + "…" + string(t)
}
