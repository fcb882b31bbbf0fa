package papgen

import (
	"fmt"
	"strings"
	"unicode"
)

// typ is the Java type of a translated expression.
type typ int

const (
	tInt typ = iota + 1
	tLong
	tDouble
	tDec
	tBool
	tMode
	tDecArray
)

func (t typ) String() string {
	return [...]string{"?", "int", "long", "double", "BigDecimal", "boolean", "RoundingMode", "BigDecimal[]"}[t]
}

// gexpr is a translated expression: Go code and its Java type. lit is the
// literal's text if the expression is a numeric literal.
type gexpr struct {
	code string
	t    typ
	lit  string
}

// roundingModes maps every Java rounding mode the translator accepts to the
// helper constant in package pap. ROUND_UNNECESSARY is deliberately absent.
var roundingModes = map[string]string{
	"ROUND_UP": "roundUp", "ROUND_DOWN": "roundDown",
	"ROUND_CEILING": "roundCeiling", "ROUND_FLOOR": "roundFloor",
	"ROUND_HALF_UP": "roundHalfUp", "ROUND_HALF_DOWN": "roundHalfDown",
	"ROUND_HALF_EVEN": "roundHalfEven",
}

type token struct {
	kind byte // 'i' identifier, 'n' number, 'p' punctuation, 0 end
	s    string
}

func tokenize(s string) ([]token, error) {
	var toks []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case unicode.IsLetter(r) || r == '_':
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_') {
				j++
			}
			toks = append(toks, token{'i', string(rs[i:j])})
			i = j
		case unicode.IsDigit(r):
			j := i
			for j < len(rs) && (unicode.IsDigit(rs[j]) || rs[j] == '.') {
				j++
			}
			toks = append(toks, token{'n', string(rs[i:j])})
			i = j
		default:
			if i+1 < len(rs) {
				two := string(rs[i : i+2])
				switch two {
				case "==", "!=", "<=", ">=", "&&", "||":
					toks = append(toks, token{'p', two})
					i += 2
					continue
				}
			}
			if !strings.ContainsRune("()[],.+-*/<>!", r) {
				return nil, fmt.Errorf("unexpected character %q", r)
			}
			toks = append(toks, token{'p', string(r)})
			i++
		}
	}
	return toks, nil
}

// translator turns Java expressions of one PAP into Go.
type translator struct {
	p    *pap
	lits *literalPool
	toks []token
	pos  int
}

func (tr *translator) peek() token {
	if tr.pos < len(tr.toks) {
		return tr.toks[tr.pos]
	}
	return token{}
}

func (tr *translator) next() token {
	t := tr.peek()
	if tr.pos < len(tr.toks) {
		tr.pos++
	}
	return t
}

func (tr *translator) expect(s string) error {
	if t := tr.next(); t.s != s {
		return fmt.Errorf("expected %q, got %q", s, t.s)
	}
	return nil
}

// expr translates a complete Java expression.
func (tr *translator) expr(s string) (gexpr, error) {
	toks, err := tokenize(s)
	if err != nil {
		return gexpr{}, err
	}
	tr.toks, tr.pos = toks, 0
	e, err := tr.parseOr()
	if err != nil {
		return gexpr{}, fmt.Errorf("%s: %w", s, err)
	}
	if tr.pos != len(tr.toks) {
		return gexpr{}, fmt.Errorf("%s: trailing %q", s, tr.peek().s)
	}
	return e, nil
}

func (tr *translator) parseOr() (gexpr, error) {
	return tr.parseBinary([]string{"||"}, tr.parseAnd, func(op string, a, b gexpr) (gexpr, error) {
		return boolOp(op, a, b)
	})
}

func (tr *translator) parseAnd() (gexpr, error) {
	return tr.parseBinary([]string{"&&"}, tr.parseCmp, func(op string, a, b gexpr) (gexpr, error) {
		return boolOp(op, a, b)
	})
}

func boolOp(op string, a, b gexpr) (gexpr, error) {
	if a.t != tBool || b.t != tBool {
		return gexpr{}, fmt.Errorf("%s on %s and %s", op, a.t, b.t)
	}
	return gexpr{code: a.code + " " + op + " " + b.code, t: tBool}, nil
}

func isIntegral(t typ) bool { return t == tInt || t == tLong }

func (tr *translator) parseCmp() (gexpr, error) {
	a, err := tr.parseAdd()
	if err != nil {
		return a, err
	}
	switch op := tr.peek().s; op {
	case "==", "!=", "<", ">", "<=", ">=":
		tr.next()
		b, err := tr.parseAdd()
		if err != nil {
			return b, err
		}
		if !(isIntegral(a.t) && isIntegral(b.t)) && !(a.t == tDouble && (b.t == tDouble || b.lit != "")) {
			return gexpr{}, fmt.Errorf("comparison %s on %s and %s", op, a.t, b.t)
		}
		return gexpr{code: a.code + " " + op + " " + b.code, t: tBool}, nil
	}
	return a, nil
}

func (tr *translator) parseAdd() (gexpr, error) {
	return tr.parseBinary([]string{"+", "-"}, tr.parseMul, intOp)
}

func (tr *translator) parseMul() (gexpr, error) {
	return tr.parseBinary([]string{"*", "/"}, tr.parseUnary, intOp)
}

// intOp is Java int arithmetic; the PAP uses it only for table indices.
func intOp(op string, a, b gexpr) (gexpr, error) {
	if a.t != tInt || b.t != tInt {
		return gexpr{}, fmt.Errorf("arithmetic %s on %s and %s (only int is supported)", op, a.t, b.t)
	}
	return gexpr{code: a.code + " " + op + " " + b.code, t: tInt}, nil
}

func (tr *translator) parseBinary(ops []string, sub func() (gexpr, error), combine func(string, gexpr, gexpr) (gexpr, error)) (gexpr, error) {
	a, err := sub()
	if err != nil {
		return a, err
	}
	for {
		op := tr.peek().s
		found := false
		for _, o := range ops {
			if tr.peek().kind == 'p' && op == o {
				found = true
			}
		}
		if !found {
			return a, nil
		}
		tr.next()
		b, err := sub()
		if err != nil {
			return b, err
		}
		if a, err = combine(op, a, b); err != nil {
			return a, err
		}
	}
}

func (tr *translator) parseUnary() (gexpr, error) {
	if t := tr.peek(); t.kind == 'p' && t.s == "-" {
		tr.next()
		e, err := tr.parseUnary()
		if err != nil {
			return e, err
		}
		switch {
		case e.lit != "":
			return gexpr{code: "-" + e.code, t: e.t, lit: "-" + e.lit}, nil
		case isIntegral(e.t) || e.t == tDouble:
			return gexpr{code: "-" + e.code, t: e.t}, nil
		case e.t == tDec:
			return gexpr{code: e.code + ".Neg()", t: tDec}, nil
		}
		return gexpr{}, fmt.Errorf("unary minus on %s", e.t)
	}
	if t := tr.peek(); t.kind == 'p' && t.s == "!" {
		tr.next()
		e, err := tr.parseUnary()
		if err != nil || e.t != tBool {
			return e, fmt.Errorf("! on %s: %v", e.t, err)
		}
		return gexpr{code: "!(" + e.code + ")", t: tBool}, nil
	}
	return tr.parsePostfix()
}

func (tr *translator) parsePostfix() (gexpr, error) {
	e, err := tr.parsePrimary()
	if err != nil {
		return e, err
	}
	for {
		switch t := tr.peek(); {
		case t.kind == 'p' && t.s == "[":
			tr.next()
			idx, err := tr.parseOr()
			if err != nil {
				return idx, err
			}
			if err := tr.expect("]"); err != nil {
				return e, err
			}
			if e.t != tDecArray || idx.t != tInt {
				return e, fmt.Errorf("index %s[%s]", e.t, idx.t)
			}
			e = gexpr{code: e.code + "[" + idx.code + "]", t: tDec}
		case t.kind == 'p' && t.s == ".":
			tr.next()
			name := tr.next()
			if name.kind != 'i' {
				return e, fmt.Errorf("expected method name after '.', got %q", name.s)
			}
			args, err := tr.parseArgs()
			if err != nil {
				return e, err
			}
			if e, err = tr.method(e, name.s, args); err != nil {
				return e, err
			}
		default:
			return e, nil
		}
	}
}

func (tr *translator) parseArgs() ([]gexpr, error) {
	if err := tr.expect("("); err != nil {
		return nil, err
	}
	var args []gexpr
	if tr.peek().s == ")" {
		tr.next()
		return nil, nil
	}
	for {
		a, err := tr.parseOr()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		switch t := tr.next(); t.s {
		case ",":
		case ")":
			return args, nil
		default:
			return nil, fmt.Errorf("expected ',' or ')', got %q", t.s)
		}
	}
}

// method translates a call on a BigDecimal receiver.
func (tr *translator) method(recv gexpr, name string, args []gexpr) (gexpr, error) {
	if recv.t != tDec {
		return gexpr{}, fmt.Errorf("method %s on %s", name, recv.t)
	}
	argc := func(n int, types ...typ) error {
		if len(args) != n {
			return fmt.Errorf("%s: want %d arguments, got %d", name, n, len(args))
		}
		for i, t := range types {
			if args[i].t != t {
				return fmt.Errorf("%s: argument %d is %s, want %s", name, i+1, args[i].t, t)
			}
		}
		return nil
	}
	switch name {
	case "add", "subtract", "multiply":
		if err := argc(1, tDec); err != nil {
			return gexpr{}, err
		}
		g := map[string]string{"add": "Add", "subtract": "Sub", "multiply": "Mul"}[name]
		return gexpr{code: recv.code + "." + g + "(" + args[0].code + ")", t: tDec}, nil
	case "divide":
		if len(args) == 1 {
			if err := argc(1, tDec); err != nil {
				return gexpr{}, err
			}
			return gexpr{code: "c.divide(" + recv.code + ", " + args[0].code + ")", t: tDec}, nil
		}
		if err := argc(3, tDec, tInt, tMode); err != nil {
			return gexpr{}, err
		}
		return gexpr{code: "c.divScale(" + recv.code + ", " + args[0].code + ", " + args[1].code + ", " + args[2].code + ")", t: tDec}, nil
	case "setScale":
		if err := argc(2, tInt, tMode); err != nil {
			return gexpr{}, err
		}
		return gexpr{code: "setScale(" + recv.code + ", " + args[0].code + ", " + args[1].code + ")", t: tDec}, nil
	case "compareTo":
		if err := argc(1, tDec); err != nil {
			return gexpr{}, err
		}
		return gexpr{code: recv.code + ".Cmp(" + args[0].code + ")", t: tInt}, nil
	case "longValue":
		if err := argc(0); err != nil {
			return gexpr{}, err
		}
		return gexpr{code: recv.code + ".IntPart()", t: tLong}, nil
	}
	return gexpr{}, fmt.Errorf("unsupported BigDecimal method %s", name)
}

func (tr *translator) parsePrimary() (gexpr, error) {
	t := tr.next()
	switch {
	case t.kind == 'n':
		if strings.Contains(t.s, ".") {
			return gexpr{code: t.s, t: tDouble, lit: t.s}, nil
		}
		return gexpr{code: t.s, t: tInt, lit: t.s}, nil
	case t.kind == 'p' && t.s == "(":
		e, err := tr.parseOr()
		if err != nil {
			return e, err
		}
		if err := tr.expect(")"); err != nil {
			return e, err
		}
		if e.t == tDec || e.lit != "" {
			return e, nil // calls need no parentheses in Go
		}
		return gexpr{code: "(" + e.code + ")", t: e.t}, nil
	case t.kind == 'i' && t.s == "new":
		if err := tr.expect("BigDecimal"); err != nil {
			return gexpr{}, err
		}
		args, err := tr.parseArgs()
		if err != nil {
			return gexpr{}, err
		}
		if len(args) != 1 || args[0].t != tInt || args[0].lit == "" {
			return gexpr{}, fmt.Errorf("new BigDecimal: only an int literal argument is supported")
		}
		return tr.decLiteral(args[0].lit)
	case t.kind == 'i' && t.s == "BigDecimal":
		if err := tr.expect("."); err != nil {
			return gexpr{}, err
		}
		member := tr.next()
		switch member.s {
		case "ZERO":
			return tr.decLiteral("0")
		case "ONE":
			return tr.decLiteral("1")
		case "TEN":
			return tr.decLiteral("10")
		case "valueOf":
			args, err := tr.parseArgs()
			if err != nil {
				return gexpr{}, err
			}
			if len(args) != 1 {
				return gexpr{}, fmt.Errorf("valueOf: want 1 argument")
			}
			a := args[0]
			switch {
			case a.lit != "":
				// valueOf(long) is exact; valueOf(double) uses Double.toString,
				// which for a literal written in shortest form is its text.
				return tr.decLiteral(a.lit)
			case a.t == tInt:
				return gexpr{code: "decimal.NewFromInt(int64(" + a.code + "))", t: tDec}, nil
			case a.t == tLong:
				return gexpr{code: "decimal.NewFromInt(" + a.code + ")", t: tDec}, nil
			case a.t == tDouble:
				return gexpr{code: "valueOfDouble(" + a.code + ")", t: tDec}, nil
			}
			return gexpr{}, fmt.Errorf("valueOf(%s)", a.t)
		}
		if g, ok := roundingModes[member.s]; ok {
			return gexpr{code: g, t: tMode}, nil
		}
		return gexpr{}, fmt.Errorf("unsupported BigDecimal.%s", member.s)
	case t.kind == 'i':
		if v, ok := tr.p.byName[t.s]; ok {
			return gexpr{code: "c." + v.name, t: javaType(v.typ)}, nil
		}
		if k, ok := tr.p.constBy[t.s]; ok {
			return gexpr{code: constName(tr.p, k.name), t: javaType(k.typ)}, nil
		}
		return gexpr{}, fmt.Errorf("undeclared identifier %s", t.s)
	}
	return gexpr{}, fmt.Errorf("unexpected %q", t.s)
}

func (tr *translator) decLiteral(lit string) (gexpr, error) {
	name, err := tr.lits.add(lit)
	if err != nil {
		return gexpr{}, err
	}
	return gexpr{code: name, t: tDec}, nil
}

func javaType(s string) typ {
	switch s {
	case "int":
		return tInt
	case "long":
		return tLong
	case "double":
		return tDouble
	case "BigDecimal":
		return tDec
	case "BigDecimal[]":
		return tDecArray
	}
	return 0
}

func constName(p *pap, name string) string {
	return fmt.Sprintf("lst%d%s", p.year, name)
}

// literalPool collects BigDecimal literals shared by all generated years.
type literalPool struct {
	byText map[string]string // normalised literal -> Go name
}

func (lp *literalPool) add(lit string) (string, error) {
	neg := strings.HasPrefix(lit, "-")
	digits := strings.TrimPrefix(lit, "-")
	intPart, frac, _ := strings.Cut(digits, ".")
	unscaled := strings.TrimLeft(intPart+frac, "0")
	if unscaled == "" {
		unscaled = "0"
	}
	if len(unscaled) > 18 {
		return "", fmt.Errorf("literal %s too long", lit)
	}
	exp := -len(frac)
	name := "lit" + strings.ReplaceAll(digits, ".", "_")
	if neg {
		name = "litMinus" + name[3:]
		unscaled = "-" + unscaled
	}
	if lp.byText == nil {
		lp.byText = map[string]string{}
	}
	lp.byText[name] = fmt.Sprintf("decimal.New(%s, %d)", unscaled, exp)
	return name, nil
}
