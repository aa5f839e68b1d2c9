package scim

import (
	"context"
	"log/slog"
	"time"

	"github.com/scimkit/scimkit/schema"
)

// Config configures a [Handler]. Only Users and Auth are required; the zero value of
// every other field is the documented default, which is what Entra ID and Okta need.
// [NewHandler] copies the Config: changing it afterwards has no effect.
type Config struct {
	// Users stores the users. Required.
	Users UserStore
	// Groups stores the groups. Nil means the service has no groups: a list of /Groups
	// is an empty ListResponse (so that Entra ID's start-of-cycle group probe succeeds),
	// every other /Groups request answers 404, and Group is left out of /ResourceTypes
	// and /Schemas. Entra ID and Okta provision
	// users without groups, though Entra gallery listings require them.
	Groups GroupStore

	// Auth authenticates every request and resolves its tenant; see [BearerTokens],
	// [StaticToken] and [NoAuth]. Required: a Config without Auth is refused.
	Auth Authenticator
	// PublicDiscovery serves /ServiceProviderConfig, /Schemas and /ResourceTypes
	// without authentication. By default they require credentials like every other
	// endpoint.
	PublicDiscovery bool

	// Events, if not nil, is called after every successful change, and after a PUT or
	// PATCH that changed nothing but skipped attributes (NothingChanged), synchronously,
	// before the response is written. It should be quick: hand slow work to a queue.
	// A panic in Events is recovered and logged; the change stands.
	Events func(ctx context.Context, e Event)
	// Failures, if not nil, is called for every request answered with a 4xx or 5xx
	// status, authentication failures included, synchronously, before the response is
	// written. It should be quick. A panic in Failures is recovered and logged.
	Failures func(ctx context.Context, f Failure)

	// PasswordHook, if not nil, receives the password of a user that a client sets on
	// create, PUT or PATCH (Okta sends one on every create, and password syncs by
	// PATCH). It runs before the change is stored, except on create where it runs
	// right after; an error fails the request (a *Error is sent as is, so a weak
	// password can be answered with 400 invalidValue) and, on create, the new user is
	// deleted again. Nil means passwords are accepted and discarded, and
	// /ServiceProviderConfig says changePassword is not supported. Passwords are
	// never stored by the Handler, never returned and never logged.
	PasswordHook func(ctx context.Context, userID, password string) error

	// BaseURL is the absolute URL at which the Handler is mounted, like
	// "https://app.example.com/scim/v2", used for meta.location, Location headers and
	// $ref values. Empty means it is derived from each request: scheme from the TLS
	// state, host from the Host header and path from the mount prefix that
	// http.StripPrefix removed.
	BaseURL string
	// TrustForwardedHeaders makes the derived base URL honour X-Forwarded-Proto and
	// X-Forwarded-Host. Set it only behind a proxy that sets those headers itself.
	TrustForwardedHeaders bool

	// MaxBodyBytes limits request bodies; larger ones get 413. Zero means 8 MiB,
	// enough for a PATCH that adds 10,000 members in one operation.
	MaxBodyBytes int64
	// MaxResults is the largest page a list request gets (filter.maxResults in
	// /ServiceProviderConfig); larger count values are clamped. Zero means 1000.
	MaxResults int
	// DefaultCount is the page size of a list request without count. Zero means 100.
	DefaultCount int
	// MaxFilterTerms limits the comparisons of a filter (each attrPath op value, and
	// each comparison inside a value path, counts one); a filter with more gets 400
	// invalidFilter. Zero means 50, many times what Entra ID and Okta send.
	MaxFilterTerms int
	// MaxValues limits the values of each multi-valued attribute of a resource
	// (emails, roles and so on) other than a group's members, whose number is bounded
	// by MaxBodyBytes; a resource with more gets 400 invalidValue. Zero means 1000,
	// far more than any identity provider sends.
	MaxValues int
	// RequestTimeout bounds the work of one request: the stores get a context with
	// this deadline, and a request still running then is answered with 503 and
	// Retry-After. Zero means 30 seconds; a negative value means no deadline
	// beyond the request's own context.
	RequestTimeout time.Duration

	// Strict turns off the leniency for identity-provider quirks: unknown attributes
	// in bodies and PATCH paths are rejected with 400 (invalidPath or invalidValue)
	// instead of being skipped, the Authorization header must name the Bearer
	// scheme, and a manager id that names no user of the tenant is refused with 400
	// invalidValue instead of being stored as sent. The default, lenient, behaviour is what Entra ID and Okta need.
	Strict bool
	// GroupPatchReturnsResource answers a group PATCH with 200 and the group, without
	// members unless the request asks for them with attributes=members. By default a
	// group PATCH is answered with 204 No Content, as Microsoft advises.
	GroupPatchReturnsResource bool
	// NoETags says that the stores do not fill Meta.Version: /ServiceProviderConfig
	// then says etag.supported false, and If-Match and If-None-Match are ignored. By
	// default the Handler sends ETags for the versions the stores return and checks
	// preconditions against them.
	NoETags bool

	// UserExtensions and GroupExtensions declare the host's own extension schemas of
	// User and Group resources. Their attributes are accepted, stored in
	// User.Extensions and Group.Extensions, and listed in /Schemas and /ResourceTypes.
	// The Enterprise User extension is always present and need not be listed.
	UserExtensions  []schema.Extension
	GroupExtensions []schema.Extension

	// Logger receives store failures (the cause of every 500), recovered panics and
	// skipped attributes. Nil means slog.Default(), as net/http logs by default.
	Logger *slog.Logger
	// NewID returns the id of a new resource. Nil means a UUIDv7 (time-ordered, so
	// that ids sort in creation order).
	NewID func() string
	// Now returns the current time for meta.created and meta.lastModified. Nil means
	// time.Now.
	Now func() time.Time
}

// Defaults of the Config fields whose zero value stands for a number.
const (
	DefaultMaxBodyBytes   = 8 << 20
	DefaultMaxResults     = 1000
	DefaultPageSize       = 100
	DefaultMaxFilterTerms = 50
	DefaultMaxValues      = 1000
	DefaultRequestTimeout = 30 * time.Second
)
