package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/scimkit/scimkit/examples/workspace/internal/testdb"
)

// TestFlashIsTakenOnceByItsSessionBeforeItExpires: a flash is read by the session it
// was set for, once; an expired one reads as none.
func TestFlashIsTakenOnceByItsSessionBeforeItExpires(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			db := testdb.Open(t, d)
			ctx := context.Background()
			if err := db.SetFlash(ctx, "session-a", "sealed-1", time.Minute); err != nil {
				t.Fatal(err)
			}
			if v, err := db.TakeFlash(ctx, "session-b"); err != nil || v != "" {
				t.Errorf("another session took %q %v", v, err)
			}
			if v, err := db.TakeFlash(ctx, "session-a"); err != nil || v != "sealed-1" {
				t.Errorf("take: %q %v", v, err)
			}
			if v, err := db.TakeFlash(ctx, "session-a"); err != nil || v != "" {
				t.Errorf("second take: %q %v, want nothing", v, err)
			}
			db.SetFlash(ctx, "session-a", "sealed-2", -time.Second)
			if v, err := db.TakeFlash(ctx, "session-a"); err != nil || v != "" {
				t.Errorf("expired flash: %q %v, want nothing", v, err)
			}
		})
	}
}

// TestTokenByHashPrefixFindsRevokedTokensAndRefusesPatterns: the hint of a refused
// token finds it even when revoked, and a prefix that is not hex finds nothing
// (it must not act as a LIKE pattern).
func TestTokenByHashPrefixFindsRevokedTokensAndRefusesPatterns(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			db := testdb.Open(t, d)
			ctx := context.Background()
			ws, _ := db.CreateWorkspace(ctx, "Contoso")
			secret, tok, err := db.CreateLabeledToken(ctx, ws.ID, "Okta")
			if err != nil {
				t.Fatal(err)
			}
			db.RevokeToken(ctx, ws.ID, tok.ID)
			var hash string
			db.SQL.QueryRow(`SELECT hash FROM scim_tokens WHERE id = $1`, tok.ID).Scan(&hash)
			got, err := db.TokenByHashPrefix(ctx, hash[:8])
			if err != nil || got.ID != tok.ID || !got.Revoked || got.Label != "Okta" || got.Name() != "Okta" {
				t.Errorf("by hint: %+v %v", got, err)
			}
			for _, p := range []string{"%", "_", "", secret[:8]} {
				if got, err := db.TokenByHashPrefix(ctx, p); err == nil {
					t.Errorf("prefix %q found %+v", p, got)
				}
			}
		})
	}
}
