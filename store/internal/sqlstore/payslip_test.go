package sqlstore

import (
	"reflect"
	"testing"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/payroll"
)

// TestPayslipFormCoversTypes fails when a type the stored payslip form
// mirrors gains or loses a field: extend slipJSON and its encoder and
// decoder (payslip.go), then the count here.
func TestPayslipFormCoversTypes(t *testing.T) {
	for _, tc := range []struct {
		typ    reflect.Type
		fields int
	}{
		{reflect.TypeFor[payroll.Payslip](), 17},
		{reflect.TypeFor[payroll.Period](), 8},
		{reflect.TypeFor[payroll.Segment](), 5},
		{reflect.TypeFor[payroll.Line](), 16},
		{reflect.TypeFor[payroll.Step](), 2},
		{reflect.TypeFor[payroll.Accumulators](), 6},
		{reflect.TypeFor[payroll.Figures](), 3},
		{reflect.TypeFor[payroll.Problem](), 4},
		{reflect.TypeFor[payroll.Run](), 20},
		{reflect.TypeFor[hr.Contract](), 8},
		{reflect.TypeFor[hr.Effective](), 4},
		{reflect.TypeFor[hr.PayItem](), 3},
	} {
		if n := tc.typ.NumField(); n != tc.fields {
			t.Errorf("%s has %d fields, the stored form mirrors %d", tc.typ, n, tc.fields)
		}
	}
}
