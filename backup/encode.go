package backup

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"hash"
	"io"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// rawLine is a member line encoded already, without its newline.
type rawLine []byte

// appendEntry appends the line of entries.jsonl for p: byte for byte what
// encoding/json writes for its entryRecord (with HTML escaping off), which
// TestAppendEntry checks on random entries, written without reflection.
// It returns false, and b as it was, for what it does not encode itself (a
// recording time outside the years 0–9999, an amount without a currency),
// which the caller then encodes with encoding/json.
func appendEntry(b []byte, p *ledger.Posted) ([]byte, bool) {
	if y := p.RecordedAt.UTC().Year(); y < 0 || y > 9999 {
		return b, false
	}
	start := len(b)
	b = append(b, `{"Book":`...)
	b = appendJSONString(b, p.Book)
	b = append(b, `,"Key":`...)
	b = appendJSONString(b, p.Key)
	b = append(b, `,"Date":"`...)
	if !p.Date.IsZero() {
		b = p.Date.AppendText(b)
	}
	b = append(b, `","Description":`...)
	b = appendJSONString(b, p.Description)
	b = append(b, `,"Voucher":`...)
	b = appendJSONString(b, p.Voucher)
	b = append(b, `,"Journal":`...)
	b = appendJSONString(b, p.Journal)
	b = append(b, `,"Reverses":`...)
	b = strconv.AppendUint(b, p.Reverses, 10)
	b = append(b, `,"Adjusts":`...)
	b = strconv.AppendUint(b, p.Adjusts, 10)
	b = append(b, `,"Metadata":`...)
	b = appendJSONMap(b, p.Metadata)
	b = append(b, `,"Lines":`...)
	if p.Lines == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range p.Lines {
			ln := &p.Lines[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"Account":`...)
			b = appendJSONString(b, ln.Account)
			var ok bool
			b = append(b, `,"Amount":`...)
			if b, ok = appendAmount(b, ln.Amount); !ok {
				return b[:start], false
			}
			b = append(b, `,"Base":`...)
			if b, ok = appendAmount(b, ln.Base); !ok {
				return b[:start], false
			}
			b = append(b, `,"Memo":`...)
			b = appendJSONString(b, ln.Memo)
			b = append(b, `,"Dimensions":`...)
			b = appendJSONMap(b, ln.Dimensions)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"Seq":`...)
	b = strconv.AppendUint(b, p.Seq, 10)
	b = append(b, `,"RecordedAt":"`...)
	b = p.RecordedAt.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","Digest":"`...)
	b = hex.AppendEncode(b, p.Digest[:])
	b = append(b, `","Hash":"`...)
	b = hex.AppendEncode(b, p.Hash[:])
	b = append(b, `"}`...)
	return b, true
}

// appendAmount appends a's JSON (money.Amount.MarshalJSON).
func appendAmount(b []byte, a money.Amount) ([]byte, bool) {
	j, err := a.MarshalJSON()
	if err != nil {
		return b, false
	}
	return append(b, j...), true
}

// appendJSONMap appends m as encoding/json does: null for nil, keys sorted.
func appendJSONMap(b []byte, m map[string]string) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	var buf [8]string
	keys := buf[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, m[k])
	}
	return append(b, '}')
}

// appendJSONString appends s quoted as encoding/json quotes it without
// HTML escaping. Printable text, ASCII or valid UTF-8, is copied; anything
// that needs an escape (a quote, a backslash, a control character, U+2028,
// U+2029, invalid UTF-8) goes through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' {
				return appendJSONStringSlow(b, s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return appendJSONStringSlow(b, s)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendJSONStringSlow(b []byte, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // a string always encodes
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// asyncWriter hashes what is written to it and hands it, in chunks, to a
// goroutine that writes it to w (the compressor of a zip member), so that
// encoding and compressing run on two cores. Errors of w are returned by
// Close. It is not safe for concurrent use.
type asyncWriter struct {
	w    io.Writer
	h    hash.Hash
	buf  []byte
	full chan []byte
	free chan []byte
	done chan error
}

const asyncChunk = 128 << 10

// asyncBuffers returns the buffers asyncWriters share: one being filled,
// two being written or waiting.
func asyncBuffers() chan []byte {
	free := make(chan []byte, 3)
	for range 3 {
		free <- make([]byte, 0, asyncChunk+asyncChunk/4)
	}
	return free
}

// newAsyncWriter starts writing to w with buffers from free (made by
// asyncBuffers), which Close gives back.
func newAsyncWriter(w io.Writer, h hash.Hash, free chan []byte) *asyncWriter {
	a := &asyncWriter{w: w, h: h, full: make(chan []byte, 2), free: free, done: make(chan error, 1)}
	a.buf = <-free
	go func() {
		var err error
		for c := range a.full {
			if err == nil {
				_, err = a.w.Write(c)
			}
			a.free <- c[:0]
		}
		a.done <- err
	}()
	return a
}

func (a *asyncWriter) Write(p []byte) (int, error) {
	a.buf = append(a.buf, p...)
	if len(a.buf) >= asyncChunk {
		a.flush()
	}
	return len(p), nil
}

func (a *asyncWriter) flush() {
	a.h.Write(a.buf)
	a.full <- a.buf
	a.buf = <-a.free
}

// Close writes what is left and waits for the goroutine.
func (a *asyncWriter) Close() error {
	if len(a.buf) > 0 {
		a.flush()
	}
	close(a.full)
	err := <-a.done
	a.free <- a.buf[:0]
	return err
}
