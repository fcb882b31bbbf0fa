//go:build race

package main

// raceBuild: the test binary runs under the race detector, so the
// closebatch binary it drives is built with it too (its workers run
// concurrently; a race makes it exit 66, which the tests see).
const raceBuild = true
