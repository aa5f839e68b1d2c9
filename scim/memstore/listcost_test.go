package memstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// costlyFilter has no index to use, so ListUsers scans every user.
const costlyFilter = `title co "nobody" or name.familyName ew "nothing" or emails[type eq "none" and value co "x"]`

// TestListStopsAtDeadline lets a scan's deadline pass after its first chunk and checks
// that the scan stops there with the context's error instead of reading the rest.
// TRAP-19: a costly list stops at the request deadline.
func TestListStopsAtDeadline(t *testing.T) {
	s := memstore.New(memstore.Options{})
	ctx := context.Background()
	load(t, s, ctx, 5000)
	ctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	chunks := 0
	defer memstore.OnScanChunk(func() {
		chunks++
		if chunks == 1 {
			<-ctx.Done()
		}
	})()
	_, err := s.ListUsers(ctx, scim.Query{Filter: mustFilter(t, schema.UserResourceType, costlyFilter), StartIndex: 1, Count: 10})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("ListUsers past its deadline: %v, want an error wrapping context.DeadlineExceeded", err)
	}
	if chunks != 1 {
		t.Errorf("the scan read %d chunks, want it to stop after the first, when the deadline passed", chunks)
	}
}

// TestWriteProceedsDuringCostlyList pauses a scan between two chunks and checks that a
// create, a replace and a delete in the same tenant complete meanwhile: the scan holds
// the tenant's lock only while it reads a chunk, not for the whole evaluation.
func TestWriteProceedsDuringCostlyList(t *testing.T) {
	s := memstore.New(memstore.Options{})
	ctx := context.Background()
	ids := load(t, s, ctx, 3000)
	paused, resume := make(chan struct{}), make(chan struct{})
	first := true
	defer memstore.OnScanChunk(func() {
		if first {
			first = false
			close(paused)
			<-resume
		}
	})()
	listed := make(chan error, 1)
	go func() {
		p, err := s.ListUsers(ctx, scim.Query{Filter: mustFilter(t, schema.UserResourceType, `title eq "Software Engineer"`), StartIndex: 1, Count: 10})
		if err == nil && (p.Total < 2999 || p.Total > 3000) {
			err = fmt.Errorf("total %d, want 3000 less the user deleted during the scan at most", p.Total)
		}
		listed <- err
	}()
	<-paused
	wrote := make(chan error, 1)
	go func() {
		_, err := s.CreateUser(ctx, typicalUser(99999, ""))
		if err == nil {
			u := typicalUser(1, "")
			u.ID = ids[1]
			_, err = s.ReplaceUser(ctx, u, "")
		}
		if err == nil {
			err = s.DeleteUser(ctx, ids[2999], "")
		}
		wrote <- err
	}()
	select {
	case err := <-wrote:
		if err != nil {
			t.Errorf("write during the scan: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("writes waited for a paused scan: the scan holds the tenant's lock between chunks")
	}
	close(resume)
	if err := <-listed; err != nil {
		t.Error(err)
	}
}
