package scim

import "context"

type tenantKey struct{}

// WithTenant returns a copy of ctx that carries tenant. Authenticators call it; stores
// read it back with [TenantFrom].
func WithTenant(ctx context.Context, tenant string) context.Context {
	return context.WithValue(ctx, tenantKey{}, tenant)
}

// TenantFrom returns the tenant carried by ctx. A context without one yields "" and false;
// a single-tenant host can treat "" as its only tenant.
func TenantFrom(ctx context.Context) (string, bool) {
	t, ok := ctx.Value(tenantKey{}).(string)
	return t, ok
}
