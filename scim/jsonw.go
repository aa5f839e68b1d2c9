package scim

import (
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// This file holds the append-style JSON primitives of the response encoder. They write
// into a byte slice, in the order the caller chooses, so that a resource comes out in
// schema attribute order without building a map first.

// bufPool recycles response buffers. Buffers that grew past maxPooledBuf are dropped so
// that one huge group listing does not pin memory forever.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

const maxPooledBuf = 1 << 20

func getBuf() *[]byte { return bufPool.Get().(*[]byte) }

func putBuf(b *[]byte) {
	if cap(*b) > maxPooledBuf {
		return
	}
	*b = (*b)[:0]
	bufPool.Put(b)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD, as in
// encoding/json; U+2028 and U+2029 are escaped so the output is also valid JavaScript.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	i := plainPrefix(s)
	if i == len(s) {
		b = append(b, s...)
		return append(b, '"')
	}
	start := 0
	for i < len(s) {
		c := s[i]
		if plainByte[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainByte tells the bytes that go into a JSON string as they are: ASCII from
// space on, except the quote and the backslash.
var plainByte = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plainPrefix returns the length of the longest prefix of s made of plain bytes
// (see plainByte). It tests eight bytes at a time, since most strings of a resource
// need no escaping at all.
func plainPrefix(s string) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; len(s)-i >= 8; i += 8 {
		t := s[i : i+8]
		w := uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
			uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
		// With no high bit set in w, subtracting n from every byte sets some high
		// bit exactly when a byte is below n, and b^c is zero exactly where b == c.
		special := (w - ones*' ') | ((w ^ (ones * '"')) - ones) | ((w ^ (ones * '\\')) - ones)
		if (special|w)&highs != 0 {
			break
		}
	}
	for i < len(s) && plainByte[s[i]] {
		i++
	}
	return i
}

// appendTime appends t as a JSON string in RFC 3339 form, in UTC with a "Z": what
// time.RFC3339Nano gives (a fraction without trailing zeros, none for whole
// seconds). The years 0 to 9999 are written digit by digit, without AppendFormat's
// layout machinery: every resource has two timestamps.
func appendTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		b = append(b, '"')
		b = t.AppendFormat(b, time.RFC3339Nano)
		return append(b, '"')
	}
	hour, minute, second := t.Clock()
	b = append(b, '"', byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-')
	b = appendTwoDigits(b, int(month), '-')
	b = appendTwoDigits(b, day, 'T')
	b = appendTwoDigits(b, hour, ':')
	b = appendTwoDigits(b, minute, ':')
	b = appendTwoDigits(b, second, '.')
	ns := t.Nanosecond()
	if ns == 0 {
		b[len(b)-1] = 'Z'
		return append(b, '"')
	}
	n := len(b)
	b = append(b, "000000000"...)
	for i := len(b) - 1; i >= n; i-- {
		b[i] = byte('0' + ns%10)
		ns /= 10
	}
	for b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	return append(b, 'Z', '"')
}

// appendTwoDigits appends v (0 to 99) in two digits, and then sep.
func appendTwoDigits(b []byte, v int, sep byte) []byte {
	return append(b, byte('0'+v/10), byte('0'+v%10), sep)
}

// appendValue appends a value of a canonical resource tree (see package schema):
// string, bool, json.Number, map[string]any, []any. It also accepts the numeric types
// and nil, so that a hand-built tree from a host store never makes the encoder fail.
// Map keys come out sorted, like encoding/json; schema-ordered output of complex
// values is the job of the callers that know the schema.
func appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendString(b, v)
	case bool:
		return strconv.AppendBool(b, v)
	case json.Number:
		if _, err := strconv.ParseFloat(string(v), 64); err != nil {
			return appendString(b, string(v))
		}
		return append(b, v...)
	case int:
		return strconv.AppendInt(b, int64(v), 10)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return append(b, "null"...)
		}
		return strconv.AppendFloat(b, v, 'g', -1, 64)
	case []any:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, e)
		}
		return append(b, ']')
	case map[string]any:
		b = append(b, '{')
		for i, k := range sortedKeys(v) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendValue(b, v[k])
		}
		return append(b, '}')
	default:
		// Anything else goes through encoding/json; a value it cannot encode
		// becomes null rather than a broken document.
		j, err := json.Marshal(v)
		if err != nil {
			return append(b, "null"...)
		}
		return append(b, j...)
	}
}

// obj writes the members of one JSON object, inserting commas as needed.
type obj struct {
	b     []byte
	first bool
}

func (o *obj) key(k string) {
	if o.first {
		o.first = false
	} else {
		o.b = append(o.b, ',')
	}
	o.b = append(o.b, '"')
	o.b = append(o.b, k...) // keys are canonical schema names: no escaping needed
	o.b = append(o.b, '"', ':')
}

// str writes k:v when v is not empty.
func (o *obj) str(k, v string) {
	if v == "" {
		return
	}
	o.key(k)
	o.b = appendString(o.b, v)
}

func (o *obj) boolean(k string, v bool) {
	o.key(k)
	o.b = strconv.AppendBool(o.b, v)
}

func sortedKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m))
}
