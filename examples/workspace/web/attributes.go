package web

import (
	"github.com/scimkit/scimkit/examples/workspace/scimstore"
	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/sqlstore"
)

// An attributeRow is one line of the admin page's attribute table: a SCIM
// attribute, where the app keeps it, and whether filters can name it.
type attributeRow struct {
	Resource   string // "User" or "Group"
	Attribute  string // short path: "name.givenName", "employeeNumber"
	Extension  bool   // of the enterprise (or another) extension schema
	KeptIn     string // "members.title", "member_emails rows", "scim_attributes (JSON)", "not kept"
	Filterable bool
}

// attributeTable derives the attribute table from the store's description of its
// tables (package scimstore), so that it cannot drift from what the store does:
// every attribute of the resource types' schemas and where the description puts it.
// An attribute without a column or table of its own is kept verbatim in the row's
// scim_attributes JSON, except write-only ones (password), which are not kept.
// Filters can name every attribute that is kept (sqlstore reads the JSON too).
func attributeTable(d store.Dialect) []attributeRow {
	tables := scimstore.Tables(d)
	var rows []attributeRow
	for _, r := range []struct {
		rt *schema.ResourceType
		t  sqlstore.Table
		// refs is the read-only attribute kept in the membership table.
		refs string
	}{{schema.UserResourceType, tables.Users, "groups"}, {schema.GroupResourceType, tables.Groups, "members"}} {
		schemas := []*schema.Schema{r.rt.Schema}
		for _, e := range r.rt.Extensions {
			schemas = append(schemas, e.Schema)
		}
		for i, sc := range schemas {
			prefix := ""
			if i > 0 {
				prefix = sc.ID + ":"
			}
			for _, a := range sc.Attributes {
				rows = append(rows, mappedRows(r.t, tables.Members.Name, r.refs, r.rt.Name, prefix, a, i > 0)...)
			}
		}
	}
	return rows
}

// mappedRows are the rows of one top-level attribute a of the resources in table t:
// one for a, or, for a single-valued complex attribute whose sub-attributes have
// columns, one per sub-attribute.
func mappedRows(t sqlstore.Table, membership, refs, resource, prefix string, a *schema.Attribute, ext bool) []attributeRow {
	row := func(path, keptIn string) attributeRow {
		return attributeRow{Resource: resource, Attribute: shortName(path), Extension: ext, KeptIn: keptIn,
			Filterable: keptIn != notKept}
	}
	path := prefix + a.Name
	switch l, ok := t.Lists[path]; {
	case t.Columns[path] != "":
		return []attributeRow{row(path, t.Name+"."+t.Columns[path])}
	case ok:
		return []attributeRow{row(path, l.Name+" rows")}
	case path == refs:
		return []attributeRow{row(path, membership+" rows")}
	}
	var subs []attributeRow
	if a.Type == schema.Complex && !a.MultiValued {
		for _, s := range a.SubAttributes {
			if col := t.Columns[path+"."+s.Name]; col != "" {
				subs = append(subs, row(path+"."+s.Name, t.Name+"."+col))
			}
		}
	}
	if len(subs) > 0 {
		return subs
	}
	if a.EffectiveReturned() == schema.Never {
		return []attributeRow{row(path, notKept)}
	}
	return []attributeRow{row(path, t.Attributes+" (JSON)")}
}

// notKept is where the table says a write-only attribute is kept.
const notKept = "not kept"
