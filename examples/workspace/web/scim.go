package web

import "net/http"

// newSCIMHandler is replaced by the scim.Handler once package scim provides it.
func (s *Server) newSCIMHandler() (http.Handler, error) {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/scim+json")
		w.WriteHeader(http.StatusNotImplemented)
		w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"501","detail":"not yet"}`))
	}), nil
}
