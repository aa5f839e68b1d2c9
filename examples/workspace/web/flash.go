package web

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"
)

// flashTTL is how long a one-time value (a new token's secret) waits for the page
// that shows it, after the POST that made it redirected there.
const flashTTL = 2 * time.Minute

// setFlash keeps v for the next page the session's browser loads (post/redirect/get).
// It is stored sealed with a key derived from the session's cookie secret, which only
// the browser holds: the database never holds a token's secret readably.
func (s *Server) setFlash(ctx context.Context, v string) error {
	secret := sessionSecretFrom(ctx)
	aead := flashCipher(secret)
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	sealed := aead.Seal(nonce, nonce, []byte(v), nil)
	return s.db.SetFlash(ctx, secret, base64.StdEncoding.EncodeToString(sealed), flashTTL)
}

// takeFlash returns the session's flash once, or "".
func (s *Server) takeFlash(ctx context.Context) (string, error) {
	secret := sessionSecretFrom(ctx)
	stored, err := s.db.TakeFlash(ctx, secret)
	if err != nil || stored == "" {
		return "", err
	}
	sealed, err := base64.StdEncoding.DecodeString(stored)
	aead := flashCipher(secret)
	if err != nil || len(sealed) < aead.NonceSize() {
		return "", nil
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], nil)
	if err != nil {
		return "", nil
	}
	return string(plain), nil
}

func flashCipher(sessionSecret string) cipher.AEAD {
	key := sha256.Sum256([]byte("workspace flash\x00" + sessionSecret))
	block, _ := aes.NewCipher(key[:]) // a 32-byte key never fails
	aead, _ := cipher.NewGCM(block)
	return aead
}
