package sqlstore

import (
	"strconv"
	"strings"

	"github.com/scimkit/scimkit/filter/sqlfilter"
	"github.com/scimkit/scimkit/schema"
)

// mapJSON adds to p's filter mapping every attribute that is kept in the Attributes
// column: single-valued strings and booleans as JSON extractions, multi-valued
// complex attributes as a table of their values. So every such attribute can be
// filtered on, without an index.
func (p *plan) mapJSON() {
	skip := map[string]bool{"id": true, "meta": true, "groups": true, "members": true}
	n := 0
	visit := func(r schema.Ref) {
		a := r.Attr
		path := r.String()
		switch {
		case skip[a.Name] && !r.Extension, a.EffectiveReturned() == schema.Never:
		case a.MultiValued && a.Type == schema.Complex:
			if _, ok := p.filter.Tables[path]; !ok {
				p.filter.Tables[path] = p.jsonTable(treeKeys(r), a, "j"+strconv.Itoa(n))
				n++
			}
		case a.MultiValued:
		case a.Type == schema.Complex:
			for _, s := range a.SubAttributes {
				sr := r
				sr.Sub = s
				p.jsonScalar(sr)
			}
		default:
			p.jsonScalar(r)
		}
	}
	schemas := []*schema.Schema{p.rt.Schema}
	for _, e := range p.rt.Extensions {
		schemas = append(schemas, e.Schema)
	}
	for i, s := range schemas {
		for _, a := range s.Attributes {
			visit(schema.Ref{Schema: s, Attr: a, Extension: i > 0})
		}
	}
	for _, a := range schema.CommonAttributes {
		visit(schema.Ref{Schema: p.rt.Schema, Attr: a})
	}
}

// jsonScalar maps the single-valued attribute r to its JSON extraction, unless it
// has a column.
func (p *plan) jsonScalar(r schema.Ref) {
	path := r.String()
	if _, ok := p.filter.Columns[path]; ok {
		return
	}
	t := r.Target()
	if t.Type != schema.String && t.Type != schema.Reference && t.Type != schema.Boolean && t.Type != schema.Binary {
		return
	}
	p.filter.Columns[path] = p.d.jsonField(p.alias+"."+p.t.Attributes, treeKeys(r), t.Type == schema.Boolean)
}

// jsonTable maps the multi-valued complex attribute a, at keys of the JSON column,
// to a table of its values with alias.
func (p *plan) jsonTable(keys []string, a *schema.Attribute, alias string) sqlfilter.Table {
	col := p.alias + "." + p.t.Attributes
	cols := map[string]string{}
	switch p.d {
	case PostgreSQL:
		for _, s := range a.SubAttributes {
			cols[s.Name] = p.d.jsonField(alias+".value", []string{s.Name}, s.Type == schema.Boolean)
		}
		return sqlfilter.Table{From: "jsonb_array_elements(COALESCE(jsonb_extract_path(CAST(" + col + " AS jsonb)" + pgKeys(keys) +
			"), '[]'::jsonb)) AS " + alias + "(value)", Join: "TRUE", Columns: cols}
	case SQLite:
		for _, s := range a.SubAttributes {
			cols[s.Name] = p.d.jsonField(alias+".value", []string{s.Name}, s.Type == schema.Boolean)
		}
		return sqlfilter.Table{From: "json_each(" + col + ", '" + jsonPath(keys) + "') " + alias, Join: "1 = 1", Columns: cols}
	}
	var defs []string
	for i, s := range a.SubAttributes {
		c := "s" + strconv.Itoa(i)
		defs = append(defs, c+" TEXT PATH '"+jsonPath([]string{s.Name})+"'")
		cols[s.Name] = alias + "." + c
		if s.Type == schema.Boolean {
			cols[s.Name] = "CASE " + alias + "." + c + " WHEN 'true' THEN 1 WHEN 'false' THEN 0 END"
		}
	}
	return sqlfilter.Table{From: "JSON_TABLE(" + col + ", '" + jsonPath(keys) + "[*]' COLUMNS (" + strings.Join(defs, ", ") + ")) " + alias,
		Join: "1 = 1", Columns: cols}
}

// jsonField returns the SQL of the string (or boolean) at keys of the JSON text col.
func (d Dialect) jsonField(col string, keys []string, boolean bool) string {
	switch d {
	case PostgreSQL:
		x := "jsonb_extract_path_text(CAST(" + col + " AS jsonb)" + pgKeys(keys) + ")"
		if boolean {
			return "CAST(" + x + " AS boolean)"
		}
		return x
	case SQLite:
		// json_extract gives 1 and 0 for true and false: SQLite's booleans.
		return "json_extract(" + col + ", '" + jsonPath(keys) + "')"
	}
	x := "JSON_UNQUOTE(JSON_EXTRACT(" + col + ", '" + jsonPath(keys) + "'))"
	if boolean {
		return "CASE " + x + " WHEN 'true' THEN 1 WHEN 'false' THEN 0 END"
	}
	return x
}

func pgKeys(keys []string) string {
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(", '" + k + "'")
	}
	return b.String()
}

// jsonPath is the SQL/JSON path of keys: $."k1"."k2". Attribute names and schema
// URNs hold no quotes.
func jsonPath(keys []string) string {
	var b strings.Builder
	b.WriteByte('$')
	for _, k := range keys {
		b.WriteString(`."` + k + `"`)
	}
	return b.String()
}
