package bench

import (
	"net/http"
	"testing"
)

const (
	groupMembers = 10_000 // members of the group the PATCH benchmark changes
	memberPool   = 1_000  // users that the benchmark adds, one per request
)

// BenchmarkPatchGroupAdd compares the PATCH Entra ID and Okta send to add one
// member to a group, on a group of 10,000 members: scimkit over memstore
// (which applies it by push-down, scim.MemberPatcher) against elimity, whose
// ElimityGroups.Patch applies it to the stored member list (duplicate check,
// append) and, as elimity's contract requires for a change, returns the group.
//
// Each request adds a different user from a pool of 1,000; after every 1,000
// requests the group is put back to its 10,000 members by PUT, with the timer
// stopped, so that the group stays between 10,000 and 11,000 members.
func BenchmarkPatchGroupAdd(b *testing.B) {
	sk, el, ids := newPair(b, groupMembers+memberPool)
	members := ids[:groupMembers]
	pool := ids[groupMembers:]
	adds := make([][]byte, len(pool))
	for i, id := range pool {
		adds[i] = AddMemberJSON(id)
	}
	for _, c := range []struct {
		s    *Server
		want int
	}{
		{sk, http.StatusNoContent},
		{el, http.StatusOK},
	} {
		b.Run(c.s.Name, func(b *testing.B) {
			gid, err := CreateGroup(c.s.Handler, c.s.Header, "Engineering", members)
			if err != nil {
				b.Fatal(err)
			}
			reset := GroupJSON("Engineering", members)
			requestLoop(b, c.s, http.MethodPatch, "/Groups/"+gid, c.want,
				func(i int) []byte { return adds[i%memberPool] },
				memberPool, func() { doOK(b, c.s, http.MethodPut, "/Groups/"+gid, reset, http.StatusOK) })
		})
	}
}
