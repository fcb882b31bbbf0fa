module github.com/openbackoffice/backoffice

go 1.25

require (
	github.com/google/go-cmp v0.7.0
	github.com/shopspring/decimal v1.4.0
	pgregory.net/rapid v1.2.0
)
