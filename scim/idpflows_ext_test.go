package scim_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
	"github.com/scimkit/scimkit/scim/scimtest"
)

// TestIdPFlows replays the Entra ID and Okta sequences of scimtest against the
// Handler over memstore, whose MemberPatcher takes group membership PATCHes.
func TestIdPFlows(t *testing.T) {
	scimtest.RunIdPFlows(t, func(t *testing.T) (http.Handler, string) {
		h, _ := newHandler(t)
		return h, token
	})
}

// declining is a MemberPatcher that always declines with errors.ErrUnsupported.
type declining struct{ *memstore.Store }

func (declining) PatchMembers(context.Context, string, scim.MemberChange, string) (string, error) {
	return "", errUnsupported
}

// TestIdPFlowsGroupFallback runs the flows with group PATCHes applied by the
// Handler itself: once without MemberPatcher, once with one that declines.
func TestIdPFlowsGroupFallback(t *testing.T) {
	t.Run("NoMemberPatcher", func(t *testing.T) {
		scimtest.RunIdPFlows(t, func(t *testing.T) (http.Handler, string) {
			st := memstore.New(memstore.Options{})
			var gs scim.GroupStore = noPatcher{st}
			if _, ok := gs.(scim.MemberPatcher); ok {
				t.Fatal("noPatcher still implements MemberPatcher")
			}
			h, err := scim.NewHandler(scim.Config{Users: st, Groups: gs, Auth: scim.StaticToken(token)})
			if err != nil {
				t.Fatal(err)
			}
			return h, token
		})
	})
	t.Run("DecliningMemberPatcher", func(t *testing.T) {
		scimtest.RunIdPFlows(t, func(t *testing.T) (http.Handler, string) {
			st := memstore.New(memstore.Options{})
			h, err := scim.NewHandler(scim.Config{Users: st, Groups: declining{st}, Auth: scim.StaticToken(token)})
			if err != nil {
				t.Fatal(err)
			}
			return h, token
		})
	})
}

var errUnsupported = fmt.Errorf("test store declines: %w", errors.ErrUnsupported)

// TestIdPFlowsUsersOnly runs the flows against a Handler without a GroupStore: every
// user step must pass and the group steps must be skipped, not fail.
func TestIdPFlowsUsersOnly(t *testing.T) {
	scimtest.RunIdPFlows(t, func(t *testing.T) (http.Handler, string) {
		h, err := scim.NewHandler(scim.Config{Users: memstore.New(memstore.Options{}), Auth: scim.StaticToken(token)})
		if err != nil {
			t.Fatal(err)
		}
		return h, token
	})
}
