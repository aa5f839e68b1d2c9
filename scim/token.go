package scim

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
)

// A Token is a bearer token. Its String, GoString and LogValue methods print
// "[redacted]", so a token that slips into a log line or an error message is not
// disclosed; convert it with string(t) where the secret itself is needed.
type Token string

// String returns "[redacted]".
func (Token) String() string { return "[redacted]" }

// GoString returns "[redacted]".
func (Token) GoString() string { return "[redacted]" }

// LogValue returns "[redacted]" for [log/slog].
func (Token) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// TokenPrefix starts every token made by [GenerateToken], so that secret scanners and
// people can recognise one.
const TokenPrefix = "scimkit_"

// GenerateToken returns a new random bearer token: [TokenPrefix] followed by 256 bits
// from crypto/rand in unpadded URL-safe base64 (51 characters in all). Show it to the
// administrator once, to paste into Entra ID (Secret Token) or Okta (API token), and
// store only [HashToken] of it.
func GenerateToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// HashToken returns the hex-encoded SHA-256 of token, the form in which to store it.
//
// A fast unsalted hash is the right tool here, unlike for passwords: a token from
// [GenerateToken] carries 256 random bits, so there is nothing to guess and no
// dictionary to precompute, and hashing per request must stay cheap. The hash lets a
// database look a token up by an indexed column, and a stolen table yields no usable
// token.
func HashToken(token string) string {
	h := sumToken(token)
	return hex.EncodeToString(h[:])
}

// sumToken returns the SHA-256 of token. A token of up to 64 bytes is hashed from a
// buffer on the stack, so that checking the token of a request allocates nothing.
func sumToken(token string) [sha256.Size]byte {
	var buf [64]byte
	return sha256.Sum256(append(buf[:0], token...))
}

// TokenHashes is an in-memory [TokenVerifier] over token hashes ([HashToken]), for
// tests, examples and small single-process apps. Every lookup compares the presented
// token's hash with every registered hash in constant time, so it suits a few hundred
// tokens, not millions; a database-backed verifier looks the hash up by index
// instead. The zero value holds no tokens and is ready to use; TokenHashes is safe for
// concurrent use.
type TokenHashes struct {
	mu      sync.RWMutex
	entries []tokenEntry
}

type tokenEntry struct {
	hash   [sha256.Size]byte
	tenant string
}

// Add registers the token with that hash (as returned by [HashToken]) for tenant. A
// tenant may have several tokens; adding a hash again moves it to the new tenant.
func (th *TokenHashes) Add(tenant, hash string) error {
	raw, err := hex.DecodeString(hash)
	if err != nil || len(raw) != sha256.Size {
		return errors.New("scim: TokenHashes.Add: not a hex SHA-256 hash (use HashToken)")
	}
	var e tokenEntry
	copy(e.hash[:], raw)
	e.tenant = tenant
	th.mu.Lock()
	defer th.mu.Unlock()
	for i := range th.entries {
		if th.entries[i].hash == e.hash {
			th.entries[i].tenant = tenant
			return nil
		}
	}
	th.entries = append(th.entries, e)
	return nil
}

// Remove revokes the token with that hash. Removing an unknown hash does nothing.
func (th *TokenHashes) Remove(hash string) {
	raw, err := hex.DecodeString(hash)
	if err != nil || len(raw) != sha256.Size {
		return
	}
	th.mu.Lock()
	defer th.mu.Unlock()
	for i := range th.entries {
		if subtle.ConstantTimeCompare(th.entries[i].hash[:], raw) == 1 {
			th.entries = append(th.entries[:i], th.entries[i+1:]...)
			return
		}
	}
}

// VerifyToken returns the tenant of token, or an error wrapping [ErrUnauthenticated].
func (th *TokenHashes) VerifyToken(_ context.Context, token Token) (string, error) {
	h := sumToken(string(token))
	th.mu.RLock()
	defer th.mu.RUnlock()
	found, tenant := 0, ""
	for i := range th.entries {
		// No early exit: the time taken does not depend on where, or whether, the
		// hash matches.
		m := subtle.ConstantTimeCompare(th.entries[i].hash[:], h[:])
		if m == 1 {
			tenant = th.entries[i].tenant
		}
		found |= m
	}
	if found != 1 {
		return "", ErrUnauthenticated
	}
	return tenant, nil
}
