package money

// isoTable is the ISO 4217 table: one 4-byte entry per currency, the
// three-letter code followed by its minor units as one digit, sorted by
// code. A constant string needs no initialisation at start-up and cannot
// be modified; isoLookup binary-searches it.
//
// Source: ISO 4217 List One as published by SIX on 2026-01-01. Codes whose
// minor units the standard gives as "N.A." (XAG, XAU, XBA, XBB, XBC, XBD,
// XDR, XPD, XPT, XSU, XTS, XUA, XXX) are left out: an amount needs a
// definite number of decimals. Register them on a Registry with the minor
// units you use.
//
// Also kept, although withdrawn recently, so that books kept in them still
// read: ANG (replaced by XCG, 2025), BGN (euro, 2026), CUC (2021),
// HRK (euro, 2023), SLL (replaced by SLE), ZWL (replaced by ZWG, 2024).
const isoTable = "" +
	"AED2AFN2ALL2AMD2ANG2AOA2ARS2AUD2AWG2AZN2BAM2BBD2BDT2BGN2BHD3BIF0" +
	"BMD2BND2BOB2BOV2BRL2BSD2BTN2BWP2BYN2BZD2CAD2CDF2CHE2CHF2CHW2CLF4" +
	"CLP0CNY2COP2COU2CRC2CUC2CUP2CVE2CZK2DJF0DKK2DOP2DZD2EGP2ERN2ETB2" +
	"EUR2FJD2FKP2GBP2GEL2GHS2GIP2GMD2GNF0GTQ2GYD2HKD2HNL2HRK2HTG2HUF2" +
	"IDR2ILS2INR2IQD3IRR2ISK0JMD2JOD3JPY0KES2KGS2KHR2KMF0KPW2KRW0KWD3" +
	"KYD2KZT2LAK2LBP2LKR2LRD2LSL2LYD3MAD2MDL2MGA2MKD2MMK2MNT2MOP2MRU2" +
	"MUR2MVR2MWK2MXN2MXV2MYR2MZN2NAD2NGN2NIO2NOK2NPR2NZD2OMR3PAB2PEN2" +
	"PGK2PHP2PKR2PLN2PYG0QAR2RON2RSD2RUB2RWF0SAR2SBD2SCR2SDG2SEK2SGD2" +
	"SHP2SLE2SLL2SOS2SRD2SSP2STN2SVC2SYP2SZL2THB2TJS2TMT2TND3TOP2TRY2" +
	"TTD2TWD2TZS2UAH2UGX0USD2USN2UYI0UYU2UYW4UZS2VED2VES2VND0VUV0WST2" +
	"XAD2XAF0XCD2XCG2XOF0XPF0YER2ZAR2ZMW2ZWG2ZWL2"

const isoEntry = 4 // bytes per isoTable entry

// isoLookup returns the minor units of the ISO 4217 currency code, and
// whether code is in the table. It is case-sensitive.
func isoLookup(code string) (int, bool) {
	if len(code) != 3 {
		return 0, false
	}
	lo, hi := 0, len(isoTable)/isoEntry
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		e := isoTable[mid*isoEntry : mid*isoEntry+3]
		switch {
		case e == code:
			return int(isoTable[mid*isoEntry+3] - '0'), true
		case e < code:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0, false
}

// ISOCurrencies returns every currency of the ISO 4217 table, sorted by
// code, in a new slice the caller may modify. It is safe for concurrent use.
func ISOCurrencies() []Currency {
	n := len(isoTable) / isoEntry
	cs := make([]Currency, n)
	for i := range cs {
		e := isoTable[i*isoEntry : (i+1)*isoEntry]
		cs[i] = makeCurrency(e[:3], int(e[3]-'0'))
	}
	return cs
}
