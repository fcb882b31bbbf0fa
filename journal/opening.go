package journal

import "strings"

// IsOpeningAccount reports whether name is the account hledger posts
// opening balances against ("equity:opening balances", or
// "equity:opening/closing balances" as hledger close writes it; any case).
// Importers give it meta.role opening_balances (ledger.RoleOpeningBalances),
// so that the entries against it count as the year's openings, not its
// flows.
func IsOpeningAccount(name string) bool {
	switch strings.ToLower(name) {
	case "equity:opening balances", "equity:opening/closing balances", "equity:opening balance":
		return true
	}
	return false
}
