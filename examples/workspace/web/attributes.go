package web

import (
	"strings"

	"github.com/scimkit/scimkit/examples/workspace/scimstore"
	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/filter/sqlfilter"
	"github.com/scimkit/scimkit/schema"
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

// attributeTable derives the attribute table from the store's mapping (package
// scimstore), so that it cannot drift from what the store does: every attribute of
// the resource types' schemas, where its mapping puts it, and whether the mapping
// lets filters read it. An attribute without a mapping is kept verbatim in the row's
// scim_attributes JSON, except write-only ones (password), which are not kept.
func attributeTable(d store.Dialect) []attributeRow {
	var rows []attributeRow
	for _, m := range []*sqlfilter.Mapping{scimstore.UserMapping(d), scimstore.GroupMapping(d)} {
		rt := m.ResourceType
		schemas := []*schema.Schema{rt.Schema}
		for _, e := range rt.Extensions {
			schemas = append(schemas, e.Schema)
		}
		for i, sc := range schemas {
			prefix := ""
			if i > 0 {
				prefix = sc.ID + ":"
			}
			for _, a := range sc.Attributes {
				rows = append(rows, mappedRows(m, rt.Name, prefix, a, i > 0)...)
			}
		}
	}
	return rows
}

// mappedRows are the rows of one top-level attribute a: one for a, or, for a
// single-valued complex attribute whose sub-attributes have columns, one per
// sub-attribute.
func mappedRows(m *sqlfilter.Mapping, resource, prefix string, a *schema.Attribute, ext bool) []attributeRow {
	row := func(path, keptIn string, filterable bool) attributeRow {
		return attributeRow{Resource: resource, Attribute: shortName(path), Extension: ext, KeptIn: keptIn, Filterable: filterable}
	}
	path := prefix + a.Name
	if col, ok := m.Columns[path]; ok {
		return []attributeRow{row(path, keptIn(col), true)}
	}
	if t, ok := m.Tables[path]; ok {
		table, _, _ := strings.Cut(t.From, " ")
		where := table + " rows"
		if strings.Contains(t.From, "scim_attributes") {
			where = "scim_attributes (JSON)"
		}
		return []attributeRow{row(path, where, true)}
	}
	var subs []attributeRow
	if a.Type == schema.Complex && !a.MultiValued {
		for _, s := range a.SubAttributes {
			if col, ok := m.Columns[path+"."+s.Name]; ok {
				subs = append(subs, row(path+"."+s.Name, keptIn(col), true))
			}
		}
	}
	if len(subs) > 0 {
		return subs
	}
	if a.EffectiveReturned() == schema.Never {
		return []attributeRow{row(path, "not kept", false)}
	}
	return []attributeRow{row(path, "scim_attributes (JSON)", false)}
}

// keptIn names the place a mapping's SQL expression reads.
func keptIn(expr string) string {
	switch {
	case strings.Contains(expr, "scim_attributes"):
		return "scim_attributes (JSON)"
	case strings.HasPrefix(expr, "m."):
		return "members." + expr[2:]
	case strings.HasPrefix(expr, "t."):
		return "teams." + expr[2:]
	}
	return expr
}
