package jsonlex

// ScanNumber reads the JSON number (RFC 8259 section 6) that starts at s[i]. When
// ok, end is the index just past it; what follows is not looked at, so "01" scans as
// "0". When not ok, end is the index where a digit was expected.
func ScanNumber(s string, i int) (end int, ok bool) {
	digits := func() bool {
		j := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case !digits():
		return i, false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			return i, false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			return i, false
		}
	}
	return i, true
}

// ValidNumber reports whether the whole of s is a JSON number.
func ValidNumber(s string) bool {
	end, ok := ScanNumber(s, 0)
	return ok && end == len(s)
}
