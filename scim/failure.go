package scim

import (
	"fmt"
	"log/slog"
	"time"
)

// An Operation names what a request asked the Handler to do.
type Operation string

// The operations of a [Failure].
const (
	OpAuthenticate Operation = "authenticate" // the request's credentials were refused
	OpCreate       Operation = "create"       // POST /Users, POST /Groups
	OpGet          Operation = "get"          // GET /Users/{id}, GET /Groups/{id}
	OpList         Operation = "list"         // GET /Users, GET /Groups
	OpSearch       Operation = "search"       // POST /.search, POST /Users/.search, …
	OpReplace      Operation = "replace"      // PUT
	OpPatch        Operation = "patch"        // PATCH
	OpDelete       Operation = "delete"       // DELETE
	OpDiscovery    Operation = "discovery"    // /ServiceProviderConfig, /Schemas, /ResourceTypes
	OpOther        Operation = "other"        // anything else: unknown paths, /Bulk, /Me
)

// A Failure reports one request that the Handler answered with an error status
// (4xx or 5xx), so that a host can show an administrator why provisioning failed,
// as Entra ID's provisioning logs do. See Config.Failures. A Failure never carries a
// secret: no token and no password.
type Failure struct {
	Operation    Operation
	Tenant       string // the tenant of the request; "" when authentication failed
	ResourceType string // "User", "Group", or "" for other endpoints
	ID           string // the resource id named by the path, if any
	// Name is the userName or displayName that the request body carried, when the
	// Handler read one: it tells an administrator whom a failed create concerned.
	Name     string
	Method   string
	Path     string // the request path as the Handler saw it, below its mount point
	Status   int
	ScimType string // the SCIM error type, such as "uniqueness", or ""
	Detail   string // the detail the client was sent
	// TokenHint identifies the bearer token of a request whose authentication failed
	// without revealing it: the first 8 hex digits of [HashToken] of the token, so that
	// a host can match it against the hashes it stores. "" when no token was sent.
	TokenHint string
	UserAgent string
	Time      time.Time
}

// reportFailure calls Config.Failures for the request, which is being answered with
// an error status.
func (c *call) reportFailure(status int, scimType, detail string) {
	if c.h.failures == nil {
		return
	}
	f := Failure{
		Name: clip(c.name), Method: c.r.Method, Path: clip(c.path),
		Status: status, ScimType: scimType, Detail: detail,
		TokenHint: c.tokenHint, UserAgent: c.r.UserAgent(), Time: c.h.now(),
	}
	f.Tenant, _ = TenantFrom(c.ctx)
	f.Operation, f.ResourceType, f.ID = c.op, c.rtype, clip(c.id)
	if c.authFail {
		f.Operation, f.Tenant, f.ResourceType, f.ID = OpAuthenticate, "", "", ""
	}
	defer func() {
		if v := recover(); v != nil {
			c.h.log.LogAttrs(c.ctx, slog.LevelError, "scim: panic in Config.Failures", slog.String("panic", fmt.Sprint(v)))
		}
	}()
	c.h.failures(c.ctx, f)
}
