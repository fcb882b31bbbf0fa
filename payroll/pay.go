package payroll

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
)

var (
	twelve   = decimal.NewFromInt(12)
	fiftyTwo = decimal.NewFromInt(52)
	decOne   = decimal.NewFromInt(1)
)

// PeriodSalary returns the salary a salaried contract pays for one whole
// period of a frequency with perYear periods a year (see PeriodsPerYear):
//
//   - Annual: Amount ÷ perYear, rounded with m (60,000.00 a year is
//     5,000.00 a month, 1,153.85 a week with HalfUp).
//   - Monthly: Amount for monthly periods, else Amount × 12 ÷ perYear,
//     rounded once with m (a monthly 4,800.00 is 2,400.00 semimonthly and
//     1,107.69 weekly with HalfUp).
//
// It fails with ErrInvalidInput for an hourly contract or perYear ≤ 0, and
// with a money error for an invalid mode.
func PeriodSalary(ct hr.Contract, perYear int, m money.RoundingMode) (money.Amount, error) {
	if perYear <= 0 {
		return money.Amount{}, fmt.Errorf("%w: %d periods a year", ErrInvalidInput, perYear)
	}
	switch ct.PayType {
	case hr.Annual:
		return ct.Amount.Div(int64(perYear), m)
	case hr.Monthly:
		if perYear == 12 {
			if _, err := ct.Amount.Div(1, m); err != nil { // checks the mode
				return money.Amount{}, err
			}
			return ct.Amount, nil
		}
		return MulDiv(ct.Amount, twelve, decimal.NewFromInt(int64(perYear)), m)
	}
	return money.Amount{}, fmt.Errorf("%w: contract version from %s is not salaried", ErrInvalidInput, ct.ValidFrom)
}

// HoursPay returns the pay for hours at a multiplier (1 for plain hours,
// 1.5 for overtime at time and a half), rounded once with m:
//
//   - Hourly: Amount × hours × multiplier.
//   - Annual: the hourly equivalent Amount ÷ (52 × WeeklyHours), so
//     Amount × hours × multiplier ÷ (52 × WeeklyHours).
//   - Monthly: Amount × 12 × hours × multiplier ÷ (52 × WeeklyHours).
//
// It fails with ErrInvalidInput for a salaried contract without weekly
// hours, and with a money error for an invalid mode or an overflow.
func HoursPay(ct hr.Contract, hours, multiplier decimal.Decimal, m money.RoundingMode) (money.Amount, error) {
	num := hours.Mul(multiplier)
	switch ct.PayType {
	case hr.Hourly:
		return MulDiv(ct.Amount, num, decOne, m)
	case hr.Annual, hr.Monthly:
		if !ct.WeeklyHours.IsPositive() {
			return money.Amount{}, fmt.Errorf("%w: contract version from %s has no weekly hours for an hourly equivalent", ErrInvalidInput, ct.ValidFrom)
		}
		if ct.PayType == hr.Monthly {
			num = num.Mul(twelve)
		}
		return MulDiv(ct.Amount, num, fiftyTwo.Mul(ct.WeeklyHours), m)
	}
	return money.Amount{}, fmt.Errorf("%w: contract version from %s has an unknown pay type", ErrInvalidInput, ct.ValidFrom)
}
