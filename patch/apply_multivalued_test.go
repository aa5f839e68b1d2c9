package patch

import (
	"testing"

	"github.com/scimkit/scimkit/schema"
)

// ENTRA-PATCH-4, TRAP-10: attr[type eq "x"].sub updates the matching entry only, or appends one when none matches.
func TestFilteredPathUpdatesOrCreatesEntry(t *testing.T) {
	noWork := edit(t, entraUser, `{"emails":[{"type":"home","value":"ada@home.example"}]}`)
	runCases(t, []tc{
		{
			name: "replace existing work email",
			ops:  `{"op":"Replace","path":"emails[type eq \"work\"].value","value":"ada@new.example"}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada@new.example"},{"type":"home","value":"ada@home.example"}]}`),
		},
		{
			name: "replace creates a missing work email",
			res:  noWork,
			ops:  `{"op":"Replace","path":"emails[type eq \"work\"].value","value":"ada@new.example"}`,
			want: edit(t, noWork, `{"emails":[{"type":"home","value":"ada@home.example"},{"type":"work","value":"ada@new.example"}]}`),
		},
		{
			name: "creates the list when absent",
			res:  edit(t, entraUser, `{"emails":null}`),
			ops:  `{"op":"Add","path":"emails[type eq \"work\"].value","value":"ada@new.example"}`,
			want: edit(t, entraUser, `{"emails":[{"type":"work","value":"ada@new.example"}]}`),
		},
		{
			name: "add mobile phone updates it",
			ops:  `{"op":"Add","path":"phoneNumbers[type eq \"mobile\"].value","value":"+44 7700 900555"}`,
			want: edit(t, entraUser, `{"phoneNumbers":[{"type":"mobile","value":"+44 7700 900555"}]}`),
		},
		{
			name: "add fax phone appends",
			ops:  `{"op":"Add","path":"phoneNumbers[type eq \"fax\"].value","value":"+44 1"}`,
			want: edit(t, entraUser, `{"phoneNumbers":[{"type":"mobile","value":"+44 7700 900123"},{"type":"fax","value":"+44 1"}]}`),
		},
		{
			name: "address locality",
			ops:  `{"op":"Replace","path":"addresses[type eq \"work\"].locality","value":"York"}`,
			want: edit(t, entraUser, `{"addresses":[{"type":"work","locality":"York","country":"GB","primary":false}]}`),
		},
		{
			name: "primary false on the work email",
			ops:  `{"op":"Add","path":"emails[type eq \"work\"].primary","value":false}`,
			want: edit(t, entraUser, `{"emails":[{"primary":false,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"}]}`),
		},
		{
			name: "display and other entry untouched",
			ops:  `{"op":"Add","path":"emails[type eq \"home\"].display","value":"Home"}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example","display":"Home"}]}`),
		},
		{
			name: "names and type value ignore case",
			ops:  `{"op":"Replace","path":"EMAILS[TYPE EQ \"WORK\"].Value","value":"ada@new.example"}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada@new.example"},{"type":"home","value":"ada@home.example"}]}`),
		},
		{
			name: "created entry keeps the type as sent",
			res:  noWork,
			ops:  `{"op":"Replace","path":"emails[type eq \"Work\"].value","value":"w@x"}`,
			want: edit(t, noWork, `{"emails":[{"type":"home","value":"ada@home.example"},{"type":"Work","value":"w@x"}]}`),
		},
		{
			name: "twice does not duplicate",
			res:  noWork,
			ops: `{"op":"Replace","path":"emails[type eq \"work\"].value","value":"a@x"},
			      {"op":"Replace","path":"emails[type eq \"work\"].value","value":"b@x"}`,
			want: edit(t, noWork, `{"emails":[{"type":"home","value":"ada@home.example"},{"type":"work","value":"b@x"}]}`),
		},
		{
			name: "conjunction with type creates both",
			res:  noWork,
			ops:  `{"op":"Replace","path":"emails[type eq \"work\" and primary eq true].value","value":"a@x"}`,
			want: edit(t, noWork, `{"emails":[{"type":"home","value":"ada@home.example"},{"type":"work","primary":true,"value":"a@x"}]}`),
		},
		{
			name: "replace a whole filtered value keeps its type",
			ops:  `{"op":"Replace","path":"addresses[type eq \"work\"]","value":{"locality":"York"}}`,
			want: edit(t, entraUser, `{"addresses":[{"type":"work","locality":"York"}]}`),
		},
		{
			name: "add a whole filtered value merges",
			ops:  `{"op":"Add","path":"addresses[type eq \"work\"]","value":{"locality":"York","region":"N"}}`,
			want: edit(t, entraUser, `{"addresses":[{"type":"work","locality":"York","region":"N","country":"GB","primary":false}]}`),
		},
		{
			name: "replace a whole filtered value creates it",
			res:  edit(t, entraUser, `{"addresses":null}`),
			ops:  `{"op":"Replace","path":"addresses[type eq \"work\"]","value":{"locality":"York"}}`,
			want: edit(t, entraUser, `{"addresses":[{"type":"work","locality":"York"}]}`),
		},
		{
			name: "same value: no change",
			ops:  `{"op":"Replace","path":"emails[type eq \"work\"].value","value":"ada.l@contoso.example"}`,
			want: entraUser, changed: []string{},
		},
	})
}

// RFC-ERR-1: a Replace whose filter is no type selector and matches nothing is noTarget; such a Remove is a no-op.
func TestNoTargetForNonTypeFilter(t *testing.T) {
	runCases(t, []tc{
		{name: "replace value filter", ops: `{"op":"replace","path":"emails[value eq \"nobody@x\"].type","value":"work"}`, err: schema.ScimNoTarget},
		{name: "replace or filter", ops: `{"op":"replace","path":"emails[type eq \"fax\" or type eq \"pager\"].value","value":"x"}`, err: schema.ScimNoTarget},
		{name: "replace co filter", ops: `{"op":"add","path":"title","value":"x"},{"op":"replace","path":"emails[value co \"@nowhere\"]","value":{"value":"x"}}`, err: schema.ScimNoTarget, index: 1},
		{name: "add ne filter", ops: `{"op":"add","path":"emails[type ne \"work\" and type ne \"home\"].value","value":"x"}`, err: schema.ScimNoTarget},
		{name: "add eq filter creates", ops: `{"op":"add","path":"emails[value eq \"n@x\"].type","value":"other"}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"},{"type":"other","value":"n@x"}]}`)},
		{name: "remove no match is a no-op", ops: `{"op":"remove","path":"emails[value eq \"nobody@x\"]"}`, want: entraUser, changed: []string{}},
		{name: "replace value filter that matches", ops: `{"op":"replace","path":"emails[value eq \"ADA@home.example\"].type","value":"other"}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"other","value":"ada@home.example"}]}`)},
	})
}

// RFC-PATCH-1, ENTRA-FLAG-6: Add appends new values only, Replace replaces the list, Remove with value removes only those.
func TestMultiValuedAddReplaceRemove(t *testing.T) {
	emails := `[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"}]`
	runCases(t, []tc{
		{name: "add present value is a no-op", ops: `{"op":"add","path":"emails","value":[{"type":"home","value":"ADA@home.example"}]}`, want: entraUser, changed: []string{}},
		{name: "add single object", ops: `{"op":"add","path":"emails","value":{"type":"other","value":"o@x"}}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"},{"type":"other","value":"o@x"}]}`)},
		{name: "add same value other type appends", ops: `{"op":"add","path":"emails","value":[{"type":"other","value":"ada@home.example"}]}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"},{"type":"other","value":"ada@home.example"}]}`)},
		{name: "add present value merges", ops: `{"op":"add","path":"emails","value":[{"value":"ada@home.example","display":"Home"}]}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example","display":"Home"}]}`)},
		{name: "add empty list", ops: `{"op":"add","path":"emails","value":[]}`, want: entraUser, changed: []string{}},
		{name: "replace list", ops: `{"op":"replace","path":"emails","value":[{"type":"other","value":"o@x"}]}`, want: edit(t, entraUser, `{"emails":[{"type":"other","value":"o@x"}]}`)},
		{name: "replace same list", ops: `{"op":"replace","path":"emails","value":` + emails + `}`, want: entraUser, changed: []string{}},
		{name: "replace empty list clears", ops: `{"op":"replace","path":"emails","value":[]}`, want: edit(t, entraUser, `{"emails":null}`)},
		{name: "remove by value", ops: `{"op":"remove","path":"emails","value":[{"value":"ada@home.example"}]}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"}]}`)},
		{name: "remove by value and wrong type keeps", ops: `{"op":"remove","path":"emails","value":[{"value":"ada@home.example","type":"work"}]}`, want: entraUser, changed: []string{}},
		{name: "remove all", ops: `{"op":"remove","path":"emails"}`, want: edit(t, entraUser, `{"emails":null}`)},
		{name: "remove the last value removes the key", ops: `{"op":"remove","path":"phoneNumbers[type eq \"mobile\"]"}`, want: edit(t, entraUser, `{"phoneNumbers":null}`)},
		{name: "remove sub-attribute of all", ops: `{"op":"remove","path":"emails.type"}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"value":"ada.l@contoso.example"},{"value":"ada@home.example"}]}`)},
		{name: "remove filtered sub-attribute", ops: `{"op":"remove","path":"emails[type eq \"work\"].primary"}`,
			want: edit(t, entraUser, `{"emails":[{"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"}]}`)},
		{name: "remove filtered sub-attribute with other value", ops: `{"op":"remove","path":"emails[type eq \"work\"].value","value":"x@y"}`, want: entraUser, changed: []string{}},
		{name: "remove emptying a value drops it", res: edit(t, entraUser, `{"emails":[{"value":"a@x"},{"value":"b@x","type":"home"}]}`),
			ops: `{"op":"remove","path":"emails[value eq \"a@x\"].value"}`, want: edit(t, entraUser, `{"emails":[{"value":"b@x","type":"home"}]}`)},
		{name: "sub-attribute of all, none present", res: edit(t, entraUser, `{"emails":null}`), ops: `{"op":"add","path":"emails.value","value":"a@x"}`,
			want: edit(t, entraUser, `{"emails":[{"value":"a@x"}]}`)},
		{name: "replace sub-attribute of all", res: edit(t, entraUser, `{"emails":[{"value":"a@x"},{"value":"b@x"}]}`), ops: `{"op":"replace","path":"emails.type","value":"work"}`,
			want: edit(t, entraUser, `{"emails":[{"value":"a@x","type":"work"},{"value":"b@x","type":"work"}]}`)},
		{name: "roles verbatim (ENTRA-FLAG-6)", ops: `{"op":"Add","path":"roles","value":[{"value":"{\"id\":\"7\",\"displayName\":\"Admin\"}","primary":"True"}]}`,
			want: edit(t, entraUser, `{"roles":[{"value":"{\"id\":\"7\",\"displayName\":\"Admin\"}","primary":true}]}`)},
	})
}

// RFC-PATCH-1: primary true on one value clears it on the others.
func TestPrimaryTrueClearsOthers(t *testing.T) {
	runCases(t, []tc{
		{name: "filtered primary", ops: `{"op":"replace","path":"emails[type eq \"home\"].primary","value":true}`,
			want: edit(t, entraUser, `{"emails":[{"primary":false,"type":"work","value":"ada.l@contoso.example"},{"primary":true,"type":"home","value":"ada@home.example"}]}`)},
		{name: "added primary", ops: `{"op":"add","path":"emails","value":[{"value":"n@x","type":"other","primary":true}]}`,
			want: edit(t, entraUser, `{"emails":[{"primary":false,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"},{"primary":true,"type":"other","value":"n@x"}]}`)},
		{name: "created primary", ops: `{"op":"add","path":"emails[type eq \"other\"].primary","value":"True"}`,
			want: edit(t, entraUser, `{"emails":[{"primary":false,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"},{"primary":true,"type":"other"}]}`)},
		{name: "merged primary", ops: `{"op":"add","path":"emails","value":[{"value":"ada@home.example","primary":true}]}`,
			want: edit(t, entraUser, `{"emails":[{"primary":false,"type":"work","value":"ada.l@contoso.example"},{"primary":true,"type":"home","value":"ada@home.example"}]}`)},
		{name: "primary false clears nothing", ops: `{"op":"replace","path":"emails[type eq \"home\"].primary","value":false}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"primary":false,"type":"home","value":"ada@home.example"}]}`)},
		{name: "replace list with two primaries keeps the first", ops: `{"op":"replace","path":"emails","value":[{"value":"a@x","primary":true},{"value":"b@x","primary":true}]}`,
			want: edit(t, entraUser, `{"emails":[{"value":"a@x","primary":true},{"value":"b@x","primary":false}]}`)},
	})
}
