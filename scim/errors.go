package scim

import (
	"errors"
	"strconv"
	"time"
)

// Sentinel errors that stores return, wrapped as they like; the Handler maps them to
// SCIM error responses with errors.Is.
var (
	// ErrNotFound: no resource with that id in the tenant (404).
	ErrNotFound = errors.New("scim: resource not found")
	// ErrUniqueness: a unique attribute value is taken (409, scimType uniqueness).
	ErrUniqueness = errors.New("scim: value not unique")
	// ErrPreconditionFailed: the resource's version differs from If-Match (412).
	ErrPreconditionFailed = errors.New("scim: version mismatch")
	// ErrInvalidReference: a member or manager id names no resource of the tenant
	// (400, scimType invalidValue).
	ErrInvalidReference = errors.New("scim: reference to unknown resource")
)

// Sentinel errors that authenticators return, wrapped as they like (see [Authenticator]).
var (
	// ErrUnauthenticated: missing, malformed, unknown or expired credentials (401).
	ErrUnauthenticated = errors.New("scim: invalid credentials")
	// ErrForbidden: valid credentials that may not use the SCIM endpoint, such as a
	// tenant whose provisioning is disabled (403).
	ErrForbidden = errors.New("scim: forbidden")
)

// An Error is a SCIM error response (RFC 7644 section 3.12). A store or authenticator
// may return one (or wrap one) to choose the response itself; the Handler sends it
// unchanged. Detail is shown to the client.
//
// To throttle a client, return an Error with Status 429 (Too Many Requests) or 503
// and RetryAfter set: Entra ID then pauses the provisioning job and retries only the
// failed requests after that delay, instead of counting them as failures towards
// quarantine.
type Error struct {
	Status   int    // HTTP status code
	ScimType string // "" for none
	Detail   string
	// RetryAfter, when positive, is sent as the Retry-After header (RFC 9110
	// section 10.2.3) in whole seconds, rounded up: how long the client should wait
	// before it sends the request again. Zero or negative sends no header.
	RetryAfter time.Duration
}

// Error implements the error interface.
func (e *Error) Error() string {
	s := "scim: " + strconv.Itoa(e.Status)
	if e.ScimType != "" {
		s += " " + e.ScimType
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}
