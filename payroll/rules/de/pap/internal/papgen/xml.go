package papgen

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// node is one element (or comment) of the PAP XML document.
type node struct {
	name     string // element name, or "#comment"
	attrs    map[string]string
	children []*node
	text     string // comment text for "#comment" nodes
}

func parseXML(b []byte) (*node, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	dec := xml.NewDecoder(bytes.NewReader(b))
	root := &node{name: "#root"}
	stack := []*node{root}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local, attrs: map[string]string{}}
			for _, a := range t.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.Comment:
			top.children = append(top.children, &node{name: "#comment", text: cleanComment(string(t))})
		}
	}
	for _, c := range root.children {
		if c.name == "PAP" {
			return c, nil
		}
	}
	return nil, errors.New("no PAP element")
}

var spaces = regexp.MustCompile(`[ \t]+`)

// cleanComment normalises a comment's whitespace, line by line.
func cleanComment(s string) string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
		l = strings.TrimSpace(spaces.ReplaceAllString(l, " "))
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// variable is an input, output or internal field of the PAP.
type variable struct {
	name  string // as in the XML
	typ   string // XML type: int, double, BigDecimal
	def   string // XML default, may be empty
	doc   string
	kind  string // "input", "output", "internal"
	group string // output group: STANDARD, DBA
}

type constant struct {
	name, typ, value, doc string
}

type method struct {
	name string
	doc  string
	body []*node
}

// pap is one parsed flow chart.
type pap struct {
	name    string // e.g. Lohnsteuer2026
	year    int
	stand   string // version comment, "Stand: ..."
	vars    []*variable
	byName  map[string]*variable
	consts  []*constant
	constBy map[string]*constant
	main    *method
	methods []*method
}

var yearRe = regexp.MustCompile(`(\d{4})$`)

func parsePAP(b []byte) (*pap, error) {
	root, err := parseXML(b)
	if err != nil {
		return nil, err
	}
	p := &pap{name: root.attrs["name"], byName: map[string]*variable{}, constBy: map[string]*constant{}}
	m := yearRe.FindStringSubmatch(p.name)
	if m == nil {
		return nil, fmt.Errorf("PAP name %q has no year", p.name)
	}
	p.year, _ = strconv.Atoi(m[1])
	for _, sec := range root.children {
		switch sec.name {
		case "VARIABLES":
			if err := p.parseVariables(sec); err != nil {
				return nil, err
			}
		case "CONSTANTS":
			pending := ""
			for _, c := range sec.children {
				if c.name == "#comment" {
					pending = c.text
					continue
				}
				k := &constant{name: c.attrs["name"], typ: c.attrs["type"], value: c.attrs["value"], doc: pending}
				pending = ""
				p.consts = append(p.consts, k)
				p.constBy[k.name] = k
			}
		case "METHODS":
			pending := ""
			for _, c := range sec.children {
				switch c.name {
				case "#comment":
					pending = c.text
				case "MAIN":
					p.main = &method{name: "MAIN", doc: pending, body: c.children}
					pending = ""
				case "METHOD":
					p.methods = append(p.methods, &method{name: c.attrs["name"], doc: pending, body: c.children})
					pending = ""
				default:
					return nil, fmt.Errorf("unexpected element %s in METHODS", c.name)
				}
			}
		}
	}
	if p.main == nil {
		return nil, errors.New("no MAIN")
	}
	return p, nil
}

func (p *pap) parseVariables(sec *node) error {
	pending := ""
	var walk func(n *node, kind, group string) error
	walk = func(n *node, kind, group string) error {
		for _, c := range n.children {
			switch c.name {
			case "#comment":
				if strings.HasPrefix(c.text, "Stand:") {
					p.stand = c.text
					continue
				}
				pending = c.text
			case "INPUTS":
				if err := walk(c, "input", ""); err != nil {
					return err
				}
			case "OUTPUTS":
				if err := walk(c, "output", c.attrs["type"]); err != nil {
					return err
				}
			case "INTERNALS":
				if err := walk(c, "internal", ""); err != nil {
					return err
				}
			case "INPUT", "OUTPUT", "INTERNAL":
				v := &variable{name: c.attrs["name"], typ: c.attrs["type"], def: c.attrs["default"], doc: pending, kind: kind, group: group}
				pending = ""
				if _, dup := p.byName[v.name]; dup {
					return fmt.Errorf("variable %s declared twice", v.name)
				}
				switch v.typ {
				case "int", "double", "BigDecimal":
				default:
					return fmt.Errorf("variable %s: unsupported type %q", v.name, v.typ)
				}
				p.vars = append(p.vars, v)
				p.byName[v.name] = v
			default:
				return fmt.Errorf("unexpected element %s in VARIABLES", c.name)
			}
		}
		return nil
	}
	return walk(sec, "", "")
}
