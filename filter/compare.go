package filter

import (
	"unicode"
	"unicode/utf8"

	"github.com/scimkit/scimkit/internal/jsonlex"
	"github.com/scimkit/scimkit/schema"
)

// Case-insensitive string comparison. Every character of the resource value is
// lower-cased with unicode.ToLower (as SQL lower() does) and compared with an operand
// that was lower-cased once, when the filter was compiled. None of these functions
// allocates.

// lowerRune returns the first rune of s lower-cased, and its width in s.
func lowerRune(s string) (rune, int) {
	c := s[0]
	if c < utf8.RuneSelf {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		return rune(c), 1
	}
	r, n := utf8.DecodeRuneInString(s)
	return unicode.ToLower(r), n
}

// lowerHasPrefix reports how many bytes of s match the lower-case string low when s
// is lower-cased, or -1 if s does not start with low in that sense.
func lowerHasPrefix(s, low string) int {
	i, j := 0, 0
	for j < len(low) {
		if i >= len(s) {
			return -1
		}
		// Both sides are ASCII most of the time.
		if c, d := s[i], low[j]; c < utf8.RuneSelf && d < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != d {
				return -1
			}
			i++
			j++
			continue
		}
		r, n := lowerRune(s[i:])
		q, m := utf8.DecodeRuneInString(low[j:])
		if r != q {
			return -1
		}
		i += n
		j += m
	}
	return i
}

// lowerContains reports whether lower-cased s contains low.
func lowerContains(s, low string) bool {
	if low == "" {
		return true
	}
	for i := 0; i < len(s); {
		if lowerHasPrefix(s[i:], low) >= 0 {
			return true
		}
		if s[i] < utf8.RuneSelf {
			i++
		} else {
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
		}
	}
	return false
}

// lowerHasSuffix reports whether lower-cased s ends with low.
func lowerHasSuffix(s, low string) bool {
	i, j := len(s), len(low)
	for j > 0 {
		if i == 0 {
			return false
		}
		r, n := utf8.DecodeLastRuneInString(s[:i])
		q, m := utf8.DecodeLastRuneInString(low[:j])
		if unicode.ToLower(r) != q {
			return false
		}
		i -= n
		j -= m
	}
	return true
}

// lowerCompare compares lower-cased s with low by code point.
func lowerCompare(s, low string) int {
	i, j := 0, 0
	for i < len(s) && j < len(low) {
		r, n := lowerRune(s[i:])
		q, m := utf8.DecodeRuneInString(low[j:])
		if r != q {
			if r < q {
				return -1
			}
			return 1
		}
		i += n
		j += m
	}
	switch {
	case i < len(s):
		return 1
	case j < len(low):
		return -1
	}
	return 0
}

// A decimal is a JSON number prepared for exact comparison: its value is
// ±0.d₁d₂…dₙ × 10^point, where the digits d are digits[lead:end] of the
// concatenation ip+fp, without leading and trailing zeros.
type decimal struct {
	neg       bool
	zero      bool
	ip, fp    string // integer and fraction digits as written
	lead, end int    // significant digits, as indexes into ip+fp
	point     int64
}

// maxExponent bounds exponents: numbers beyond 10^±maxExponent compare as if their
// exponent were clamped, which only matters for absurd inputs.
const maxExponent = 1 << 40

// parseDecimal parses a JSON number. It reports false for anything else.
func parseDecimal(s string) (decimal, bool) {
	if !jsonlex.ValidNumber(s) {
		return decimal{}, false
	}
	var d decimal
	i := 0
	if s[0] == '-' {
		d.neg = true
		i++
	}
	start := i
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	d.ip = s[start:i]
	if i < len(s) && s[i] == '.' {
		i++
		start = i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		d.fp = s[start:i]
	}
	var exp int64
	if i < len(s) {
		i++ // e or E
		expNeg := false
		if s[i] == '+' || s[i] == '-' {
			expNeg = s[i] == '-'
			i++
		}
		for ; i < len(s); i++ {
			if exp < maxExponent {
				exp = exp*10 + int64(s[i]-'0')
			}
		}
		if expNeg {
			exp = -exp
		}
	}
	n := len(d.ip) + len(d.fp)
	d.lead, d.end = 0, n
	for d.lead < n && d.digit(d.lead) == '0' {
		d.lead++
	}
	if d.lead == n {
		d.zero = true
		return d, true
	}
	for d.digit(d.end-1) == '0' {
		d.end--
	}
	d.point = int64(len(d.ip)) + exp - int64(d.lead)
	return d, true
}

func (d *decimal) digit(i int) byte {
	if i < len(d.ip) {
		return d.ip[i]
	}
	return d.fp[i-len(d.ip)]
}

func (d *decimal) sign() int {
	switch {
	case d.zero:
		return 0
	case d.neg:
		return -1
	}
	return 1
}

// compareDecimal returns -1, 0 or +1 as a is less than, equal to or greater than b.
func compareDecimal(a, b decimal) int {
	sa, sb := a.sign(), b.sign()
	if sa != sb {
		if sa < sb {
			return -1
		}
		return 1
	}
	if sa == 0 {
		return 0
	}
	c := compareMagnitude(&a, &b)
	if sa < 0 {
		return -c
	}
	return c
}

func compareMagnitude(a, b *decimal) int {
	if a.point != b.point {
		if a.point < b.point {
			return -1
		}
		return 1
	}
	i, j := a.lead, b.lead
	for i < a.end && j < b.end {
		x, y := a.digit(i), b.digit(j)
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
		i++
		j++
	}
	switch {
	case i < a.end:
		return 1
	case j < b.end:
		return -1
	}
	return 0
}

// An instant is a point in time with nanosecond precision, for comparing dateTimes
// without allocating.
type instant struct {
	sec  int64 // seconds since 1970-01-01T00:00:00Z
	nsec int32
}

func (t instant) compare(u instant) int {
	switch {
	case t.sec < u.sec:
		return -1
	case t.sec > u.sec:
		return 1
	case t.nsec < u.nsec:
		return -1
	case t.nsec > u.nsec:
		return 1
	}
	return 0
}

// instantOf parses a dateTime as [schema.ParseDateTime] does. The common forms are
// handled by parseInstant without allocating.
func instantOf(s string) (instant, bool) {
	if t, ok := parseInstant(s); ok {
		return t, true
	}
	t, err := schema.ParseDateTime(s)
	if err != nil {
		return instant{}, false
	}
	return instant{sec: t.Unix(), nsec: int32(t.Nanosecond())}, true
}

// parseInstant parses an xsd:dateTime as RFC 7643 section 2.3.5 requires
// (2008-01-23T04:56:22Z): a four-digit year, month, day, "T", hours, minutes,
// seconds, an optional fraction, and an optional "Z" or ±hh:mm offset. A value
// without offset is taken as UTC. "t" and "z" may be lower case (RFC 3339).
func parseInstant(s string) (instant, bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' {
		return instant{}, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	min, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 ||
		day > daysIn(month, year) || hour > 23 || min > 59 || sec > 59 {
		return instant{}, false
	}
	i := 19
	var nsec int32
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		scale := int32(100000000)
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			nsec += int32(s[i]-'0') * scale
			scale /= 10
			i++
		}
		if i == start {
			return instant{}, false
		}
	}
	var offset int64
	switch {
	case i == len(s):
	case (s[i] == 'Z' || s[i] == 'z') && i+1 == len(s):
	case (s[i] == '+' || s[i] == '-') && i+6 == len(s) && s[i+3] == ':':
		oh, ok1 := digits(s[i+1 : i+3])
		om, ok2 := digits(s[i+4 : i+6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return instant{}, false
		}
		offset = int64(oh*3600 + om*60)
		if s[i] == '-' {
			offset = -offset
		}
	default:
		return instant{}, false
	}
	days := daysFromCivil(int64(year), month, day)
	return instant{sec: days*86400 + int64(hour*3600+min*60+sec) - offset, nsec: nsec}, true
}

// digits parses a short run of decimal digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the number of days from 1970-01-01 to the given date of the
// proleptic Gregorian calendar.
func daysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400 // y >= -1, so truncation is flooring except for y = -1
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
