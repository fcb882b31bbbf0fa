package fx

import (
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// ECBSource is the Source of the rates ReadECB reads.
const ECBSource = "ECB"

// ReadECB reads the euro foreign exchange reference rates of the European
// Central Bank in its eurofxref XML format: eurofxref-daily.xml (one day),
// eurofxref-hist-90d.xml and eurofxref-hist.xml (every day, newest first),
// as published at https://www.ecb.europa.eu/stats/eurofxref/:
//
//	<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
//		<gesmes:subject>Reference rates</gesmes:subject>
//		<gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
//		<Cube>
//			<Cube time='2025-03-07'>
//				<Cube currency='USD' rate='1.0830'/>
//				<Cube currency='JPY' rate='160.36'/>
//
// Each rate Cube gives 1 EUR = rate currency on the day of its time Cube,
// read as Rate{From: EUR, To: currency, Source: "ECB"}, in file order.
// Elements of the envelope other than Cube (subject, Sender) are skipped.
// ReadECB refuses any other structure (a rate Cube outside a day, an
// element or text inside the Cubes, an attribute the format does not
// have, a second root element), a missing or malformed time or rate, a
// rate with a decimal comma or exponent, an unknown currency (the
// historical file lists currencies ISO 4217 has withdrawn: register them
// on ReadOptions.Currencies or select the wanted ones with
// ReadOptions.Only), and one currency listed twice on a day with
// different rates.
//
// It reads all or nothing: on any problem it returns no rates and an
// Errors listing every problem with its line and attribute; malformed XML
// ends the reading at the line where it is found.
func ReadECB(r io.Reader, opts *ReadOptions) ([]Rate, error) {
	rd := newReader(opts)
	dec := xml.NewDecoder(r)
	var (
		path  []string  // local names of the open elements
		root  bool      // the envelope was seen
		day   date.Date // the open day Cube's date
		dayOK bool      // its time attribute was read
	)
	line := func() int { l, _ := dec.InputPos(); return l }
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				rd.failf(se.Line, "", ErrSyntax, "malformed XML: %s", se.Msg)
			} else {
				rd.fail(line(), "", err)
			}
			return rd.result()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := line()
			switch depth := len(path); {
			case depth == 0:
				if root {
					rd.failf(n, "", ErrSyntax, "a second root element <%s>", t.Name.Local)
					return rd.result()
				}
				if t.Name.Local != "Envelope" {
					rd.failf(n, "", ErrSyntax, "root element <%s>: not an ECB eurofxref file (want gesmes:Envelope)", t.Name.Local)
					return rd.result()
				}
				root = true
			case depth == 1 && t.Name.Local != "Cube":
				if err := dec.Skip(); err != nil {
					rd.failf(n, "", ErrSyntax, "malformed XML: %v", err)
					return rd.result()
				}
				continue
			case t.Name.Local != "Cube" || depth > 3:
				rd.failf(n, "", ErrSyntax, "unexpected element <%s> inside <%s>", t.Name.Local, strings.Join(path[1:], "><"))
				return rd.result()
			case depth == 1: // the outer Cube
				ecbAttrs(rd, n, t)
			case depth == 2: // a day
				a := ecbAttrs(rd, n, t, "time")
				day, dayOK = readDate(rd, n, "time", a["time"])
			case depth == 3: // a rate
				a := ecbAttrs(rd, n, t, "currency", "rate")
				if !dayOK || !rd.wanted(money.EUR.Code(), a["currency"]) {
					break
				}
				c, okc := rd.currency(n, "currency", a["currency"])
				rate, okr := rd.rate(n, "rate", a["rate"])
				if okc && okr {
					rd.add(n, Rate{Date: day, From: money.EUR, To: c, Rate: rate, Source: ECBSource})
				}
			}
			path = append(path, t.Name.Local)
		case xml.EndElement:
			if len(path) == 3 { // a day ends
				dayOK = false
			}
			path = path[:len(path)-1]
		case xml.CharData:
			if len(path) >= 2 && strings.TrimSpace(string(t)) != "" && path[1] == "Cube" {
				rd.failf(line(), "", ErrSyntax, "text inside <Cube>")
				return rd.result()
			}
		}
	}
	if !root {
		rd.failf(1, "", ErrSyntax, "no gesmes:Envelope: not an ECB eurofxref file")
	}
	return rd.result()
}

// ecbAttrs returns the attributes of a Cube by local name, recording a
// problem for one the format does not have (those of want). Namespace
// declarations are allowed anywhere. A missing attribute is "", which
// the caller's parsing reports.
func ecbAttrs(rd *reader, n int, t xml.StartElement, want ...string) map[string]string {
	a := make(map[string]string, len(t.Attr))
	for _, at := range t.Attr {
		switch {
		case at.Name.Space == "xmlns" || at.Name.Space == "" && at.Name.Local == "xmlns":
		case at.Name.Space == "" && slices.Contains(want, at.Name.Local):
			a[at.Name.Local] = at.Value
		default:
			name := clip(at.Name.Local)
			rd.failf(n, name, ErrSyntax, "attribute %s is not in the eurofxref format", name)
		}
	}
	return a
}
