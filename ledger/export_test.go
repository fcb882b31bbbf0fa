package ledger

// CanonicalPayload returns e's canonical payload, what its digest hashes;
// benchmarks hash it alone as the floor of Verify's hashing.
func CanonicalPayload(e *Entry) []byte { return e.appendCanonical(nil) }
