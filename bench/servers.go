package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// BareHandler returns the baseline of the load test: a plain net/http handler
// that answers every request with body and the headers a SCIM GET /Users/{id}
// response carries (Content-Type and ETag), doing no other work.
func BareHandler(body []byte, etag string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/scim+json")
		if etag != "" {
			h.Set("Etag", etag)
		}
		_, _ = w.Write(body)
	})
}

// CreateUsers POSTs the workload users first..first+n-1 ([EntraUserJSON]) to
// h and returns their ids in order. When ids is not nil, the i-th new user
// asks for ids[i] through the request context ([WithID]); only the elimity
// handlers of this package honour that.
func CreateUsers(h http.Handler, hdr http.Header, first, n int, ids []string) ([]string, error) {
	out := make([]string, n)
	for i := range n {
		ctx := context.Background()
		if ids != nil {
			ctx = WithID(ctx, ids[i])
		}
		id, err := create(ctx, h, hdr, "/Users", EntraUserJSON(first+i))
		if err != nil {
			return nil, fmt.Errorf("create user %d: %w", first+i, err)
		}
		out[i] = id
	}
	return out, nil
}

// CreateGroup POSTs a group with the given members to h and returns its id.
func CreateGroup(h http.Handler, hdr http.Header, displayName string, memberIDs []string) (string, error) {
	return create(context.Background(), h, hdr, "/Groups", GroupJSON(displayName, memberIDs))
}

func create(ctx context.Context, h http.Handler, hdr http.Header, path string, body []byte) (string, error) {
	rec := DoContext(ctx, h, http.MethodPost, path, body, hdr)
	if rec.Code != http.StatusCreated {
		return "", fmt.Errorf("POST %s: status %d: %s", path, rec.Code, rec.Body.Bytes())
	}
	var res struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || res.ID == "" {
		return "", fmt.Errorf("POST %s: no id in response %s", path, rec.Body.Bytes())
	}
	return res.ID, nil
}

// A Server is one SCIM server under test.
type Server struct {
	Name    string
	Handler http.Handler
	// Header holds the headers every request needs (the bearer token).
	Header http.Header
}

// Token is the bearer token of the scimkit server under test. It guards
// nothing but a benchmark.
const Token = "bench-7Qx2mV9pK4sL8dF3hJ6nB1cZ5wR0tY"

// NewServer returns a new, empty server under test: "scimkit" (scim.Handler
// over a scim/memstore Store, with scim.StaticToken authentication and
// meta.location under [BaseURL]) or "elimity" (an elimity scim.Server over
// [ElimityUsers] and [ElimityGroups], see [NewElimityServer]).
func NewServer(name string) (*Server, error) {
	switch name {
	case "scimkit":
		st := memstore.New(memstore.Options{})
		h, err := scim.NewHandler(scim.Config{
			Users:   st,
			Groups:  st,
			Auth:    scim.StaticToken(Token),
			BaseURL: BaseURL,
		})
		if err != nil {
			return nil, err
		}
		return &Server{Name: name, Handler: h, Header: http.Header{"Authorization": {"Bearer " + Token}}}, nil
	case "elimity":
		h, err := NewElimityServer(NewElimityUsers(), NewElimityGroups())
		if err != nil {
			return nil, err
		}
		return &Server{Name: name, Handler: h}, nil
	}
	return nil, fmt.Errorf("bench: unknown server %q", name)
}
