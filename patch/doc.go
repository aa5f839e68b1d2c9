// Package patch parses and applies SCIM PATCH requests (RFC 7644 section 3.5.2) the
// way Microsoft Entra ID and Okta send them.
//
// # Parsing
//
// [Parse] decodes a request body into a [Request]: its operations in order, each with
// its op in canonical lower case, its path parsed by [filter.ParsePath] and its value
// kept exactly (numbers as json.Number). Parse bounds its input: JSON nested deeper
// than [MaxDepth] levels is rejected before it costs anything.
//
// # Applying
//
// [Apply] applies a request to a resource in the canonical tree form of package
// schema, checking every path and value against the resource type:
//
//	req, err := patch.Parse(body)
//	if err != nil {
//		return err // a *patch.Error: 400 with its scimType
//	}
//	user, res, err := patch.Apply(schema.UserResourceType, user, req, patch.Options{})
//
// Apply is copy-on-write: it never modifies the resource it is given, copies only the
// maps and lists along the paths it changes and shares everything else. A PATCH is
// therefore atomic by construction: on error the caller still holds the resource
// exactly as it was. [Result] says whether anything changed (so that the version is
// bumped only then), which top-level attributes did, and which operations were skipped.
//
// # Identity-provider behaviour
//
// By default Apply accepts what Entra ID and Okta send, including what RFC 7644 does
// not define: operation names in any letter case, the strings "True" and "False" for
// booleans, a manager given as a bare id or a one-element array, Add and Replace on
// emails[type eq "work"].value creating the work email when it is missing, path-less
// operations whose value members are paths ("name.givenName") and carry the resource's
// own id, Remove of a multi-valued attribute with a value list that removes only the
// listed values, and value-conditional Remove of single values. Operations on
// attributes the resource type does not have are skipped and reported in
// [Result.Skipped]. [Options.Strict] turns these quirks into errors instead; it is an
// option of each call, never global state.
//
// # Membership push-down
//
// [Request.MemberOps] recognises the requests that only add and remove group members
// and rename the group, and returns their net effect, so that a store can apply them
// in time proportional to the change instead of reading and rewriting a large group.
//
// # Errors
//
// Every error for client input is a *[Error] carrying the scimType of the response
// (invalidSyntax, invalidPath, invalidValue, noTarget or mutability) and the index of
// the operation at fault. Error details never contain the value of a writeOnly
// attribute such as password.
package patch
