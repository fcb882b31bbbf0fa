package reconcile

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
)

// RuleKind says how a rule matches.
type RuleKind string

// The kinds of rules; see the package doc.
const (
	RuleEndToEnd  RuleKind = "end_to_end"
	RuleBookLines RuleKind = "book_lines"
	RuleOpenItems RuleKind = "open_items"
	RuleText      RuleKind = "text"
)

// Rule is one matching rule, as data. Rules are read from JSON by
// ReadRules:
//
//	{"rules": [
//	  {"name": "e2e", "kind": "end_to_end"},
//	  {"name": "books", "kind": "book_lines", "days": 5},
//	  {"name": "items", "kind": "open_items", "days": 120},
//	  {"name": "fees", "kind": "text", "pattern": "(?i)entgelt|gebühr", "direction": "debit",
//	   "account": "6855", "description": "Bank fees"}
//	]}
type Rule struct {
	// Name names the rule in matches and reports; unique.
	Name string   `json:"name"`
	Kind RuleKind `json:"kind"`
	// Days is the date window: book lines dated within Days of the
	// statement line; open items due at most Days before it.
	Days int `json:"days,omitempty"`
	// Pattern (RuleText) is a regular expression (RE2) searched in the
	// line's text and counterparty.
	Pattern string `json:"pattern,omitempty"`
	// Direction restricts a rule to "credit" (money in) or "debit" lines;
	// empty means both.
	Direction string `json:"direction,omitempty"`
	// Account (RuleText) is the account the line is posted against;
	// Description the posted entry's description (default: the line's
	// text).
	Account     string `json:"account,omitempty"`
	Description string `json:"description,omitempty"`

	re *regexp.Regexp
}

// Rules are applied in order.
type Rules []Rule

// DefaultRules are the rules that need no configuration: end-to-end IDs,
// book lines within 5 days, open items due at most 120 days before the
// line. Text rules name accounts of a chart and so are the caller's.
func DefaultRules() Rules {
	return Rules{
		{Name: "end-to-end", Kind: RuleEndToEnd},
		{Name: "book-lines", Kind: RuleBookLines, Days: 5},
		{Name: "open-items", Kind: RuleOpenItems, Days: 120},
	}
}

// ReadRules reads rules from JSON (see Rule) and checks them: unknown
// keys, kinds and directions, duplicate names, negative windows, bad
// patterns and text rules without an account are errors wrapping
// ErrInvalid that name the rule.
func ReadRules(r io.Reader) (Rules, error) {
	var doc struct {
		Rules Rules `json:"rules"`
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("reconcile: rules: %w: %v", ErrInvalid, err)
	}
	if err := doc.Rules.compile(); err != nil {
		return nil, err
	}
	return doc.Rules, nil
}

// compile checks the rules and compiles their patterns.
func (rs Rules) compile() error {
	seen := map[string]bool{}
	for i := range rs {
		ru := &rs[i]
		bad := func(reason string) error {
			return fmt.Errorf("reconcile: rule %d (%s): %w: %s", i+1, ru.Name, ErrInvalid, reason)
		}
		switch {
		case ru.Name == "":
			return bad("no name")
		case seen[ru.Name]:
			return bad("name used twice")
		case ru.Days < 0:
			return bad("negative days")
		case ru.Direction != "" && ru.Direction != "credit" && ru.Direction != "debit":
			return bad("direction is neither credit nor debit")
		}
		seen[ru.Name] = true
		switch ru.Kind {
		case RuleEndToEnd, RuleBookLines, RuleOpenItems:
			if ru.Pattern != "" || ru.Account != "" {
				return bad("pattern and account belong to text rules")
			}
		case RuleText:
			if ru.Pattern == "" || ru.Account == "" {
				return bad("a text rule needs a pattern and an account")
			}
			re, err := regexp.Compile(ru.Pattern)
			if err != nil {
				return bad("pattern: " + err.Error())
			}
			ru.re = re
		default:
			return bad(fmt.Sprintf("unknown kind %q", ru.Kind))
		}
	}
	return nil
}

func (ru *Rule) wants(credit bool) bool {
	return ru.Direction == "" || ru.Direction == "credit" && credit || ru.Direction == "debit" && !credit
}
