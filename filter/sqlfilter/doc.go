// Package sqlfilter translates SCIM filters into parameterised SQL WHERE clauses, for
// hosts that keep their users and groups in PostgreSQL, MySQL, MariaDB or SQLite.
//
// A [Mapping] describes how the attributes of a resource type are stored: which
// column expression holds each single-valued attribute, and which child table holds
// the values of each multi-valued attribute. [Mapping.Where] then turns a filter into
// one SQL boolean expression plus its arguments:
//
//	users := &sqlfilter.Mapping{
//		ResourceType: schema.UserResourceType,
//		Columns: map[string]string{
//			"userName":   "u.user_name",
//			"externalId": "u.external_id",
//		},
//		Tables: map[string]sqlfilter.Table{
//			"emails": {From: "user_emails e", Join: "e.user_id = u.id",
//				Columns: map[string]string{"value": "e.address", "type": "e.kind"}},
//		},
//	}
//	where, args, err := users.Where(expr, nil)
//	// where: lower(u.user_name) = lower($1)    args: [bjensen@example.com]
//
// Values are always passed as arguments, never written into the SQL text. The
// translation agrees with [filter.Matcher] on the same data (see [Mapping.Where] for
// the rules and the few places where databases differ), and an attribute the Mapping
// does not cover makes Where fail with scimType "invalidFilter" rather than drop part
// of the filter. Run [Mapping.Check] in a test to catch misspelled keys early.
//
// Filters of thousands of terms stay within the databases' limits on expression
// depth. A database that still refuses a statement as too complex reports an error
// that [TooComplex] turns into a [*TooComplexError], which a SCIM handler answers
// with 400 invalidFilter.
package sqlfilter
