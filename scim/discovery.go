package scim

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/scimkit/scimkit/schema"
)

// This file serves the discovery endpoints of RFC 7644 section 4: what the service
// provider supports, its schemas and its resource types, written from the same
// definitions the Handler validates with, so they cannot drift apart.

// serveServiceProviderConfig serves GET /ServiceProviderConfig.
func (c *call) serveServiceProviderConfig() error {
	if err := c.discoveryGuard(); err != nil {
		return err
	}
	c.writeBody(http.StatusOK, c.serviceProviderConfig())
	return nil
}

// serveSchemas serves GET /Schemas and GET /Schemas/{id}.
func (c *call) serveSchemas() error { return c.serveDiscoveryList(c.schemas) }

// serveResourceTypes serves GET /ResourceTypes and GET /ResourceTypes/{id}.
func (c *call) serveResourceTypes() error { return c.serveDiscoveryList(c.resourceTypes) }

// serveDiscoveryList serves a discovery list, or the entry of it that the path names.
func (c *call) serveDiscoveryList(list func(id string) ([]byte, bool)) error {
	if err := c.discoveryGuard(); err != nil {
		return err
	}
	body, ok := list(c.id)
	if !ok {
		return &Error{Status: http.StatusNotFound, Detail: "no discovery entry " + strconv.Quote(clip(c.id))}
	}
	c.writeBody(http.StatusOK, body)
	return nil
}

// discoveryGuard refuses filters with 403 (RFC-DISC-4).
func (c *call) discoveryGuard() error {
	if _, ok := c.query()["filter"]; ok || param(c.query(), "filter") != "" {
		return &Error{Status: http.StatusForbidden, Detail: "filtering is not supported on discovery endpoints (RFC 7644 section 4)"}
	}
	return nil
}

func (c *call) serviceProviderConfig() []byte {
	base := c.baseURL()
	o := obj{first: true}
	o.b = append(o.b, '{')
	o.key("schemas")
	o.b = append(o.b, `["`+schema.ServiceProviderConfigURN+`"]`...)
	o.key("documentationUri")
	o.b = appendString(o.b, "https://pkg.go.dev/github.com/scimkit/scimkit/scim")
	o.key("patch")
	o.b = append(o.b, `{"supported":true}`...)
	o.key("bulk")
	o.b = append(o.b, `{"supported":false,"maxOperations":0,"maxPayloadSize":0}`...)
	o.key("filter")
	o.b = append(o.b, `{"supported":true,"maxResults":`...)
	o.b = strconv.AppendInt(o.b, int64(c.h.maxResults), 10)
	o.b = append(o.b, '}')
	o.key("changePassword")
	o.b = append(o.b, `{"supported":`...)
	o.b = strconv.AppendBool(o.b, c.h.pwHook != nil)
	o.b = append(o.b, '}')
	o.key("sort")
	o.b = append(o.b, `{"supported":`...)
	o.b = strconv.AppendBool(o.b, c.h.sortSupported())
	o.b = append(o.b, '}')
	o.key("etag")
	o.b = append(o.b, `{"supported":`...)
	o.b = strconv.AppendBool(o.b, c.h.etags)
	o.b = append(o.b, '}')
	o.key("authenticationSchemes")
	o.b = append(o.b, `[{"type":"oauthbearertoken","name":"OAuth Bearer Token",`+
		`"description":"Authentication with a bearer token in the Authorization header",`+
		`"specUri":"https://www.rfc-editor.org/info/rfc6750","primary":true}]`...)
	o.key("meta")
	o.b = append(o.b, `{"resourceType":"ServiceProviderConfig","location":`...)
	o.b = appendString(o.b, base+"/ServiceProviderConfig")
	o.b = append(o.b, "}}"...)
	return o.b
}

// resourceTypes returns the /ResourceTypes list, or the one with that id.
func (c *call) resourceTypes(id string) ([]byte, bool) {
	rts := []*schema.ResourceType{c.h.userRT}
	if c.h.groups != nil {
		rts = append(rts, c.h.groupRT)
	}
	if id != "" {
		for _, rt := range rts {
			if strings.EqualFold(rt.ID, id) {
				return c.appendResourceType(nil, rt), true
			}
		}
		return nil, false
	}
	b := appendListHead(nil, len(rts))
	for i, rt := range rts {
		if i > 0 {
			b = append(b, ',')
		}
		b = c.appendResourceType(b, rt)
	}
	return append(b, "]}"...), true
}

func (c *call) appendResourceType(b []byte, rt *schema.ResourceType) []byte {
	o := obj{b: b, first: true}
	o.b = append(o.b, '{')
	o.key("schemas")
	o.b = append(o.b, `["`+schema.ResourceTypeURN+`"]`...)
	o.key("id")
	o.b = appendString(o.b, rt.ID)
	o.key("name")
	o.b = appendString(o.b, rt.Name)
	o.key("endpoint")
	o.b = appendString(o.b, rt.Endpoint)
	o.str("description", rt.Description)
	o.key("schema")
	o.b = appendString(o.b, rt.Schema.ID)
	if len(rt.Extensions) > 0 {
		o.key("schemaExtensions")
		o.b = append(o.b, '[')
		for i, e := range rt.Extensions {
			if i > 0 {
				o.b = append(o.b, ',')
			}
			o.b = append(o.b, `{"schema":`...)
			o.b = appendString(o.b, e.Schema.ID)
			o.b = append(o.b, `,"required":`...)
			o.b = strconv.AppendBool(o.b, e.Required)
			o.b = append(o.b, '}')
		}
		o.b = append(o.b, ']')
	}
	o.key("meta")
	o.b = append(o.b, `{"resourceType":"ResourceType","location":`...)
	o.b = appendString(o.b, c.baseURL()+"/ResourceTypes/"+rt.ID)
	o.b = append(o.b, '}')
	return append(o.b, '}')
}

// discoverySchemas returns the schemas in /Schemas order, without duplicates.
func (c *call) discoverySchemas() []*schema.Schema {
	var out []*schema.Schema
	add := func(s *schema.Schema) {
		for _, x := range out {
			if x.ID == s.ID {
				return
			}
		}
		out = append(out, s)
	}
	rts := []*schema.ResourceType{c.h.userRT}
	if c.h.groups != nil {
		rts = append(rts, c.h.groupRT)
	}
	for _, rt := range rts {
		add(rt.Schema)
		for _, e := range rt.Extensions {
			add(e.Schema)
		}
	}
	return out
}

// schemas returns the /Schemas list, or the schema with that URN.
func (c *call) schemas(id string) ([]byte, bool) {
	all := c.discoverySchemas()
	if id != "" {
		for _, s := range all {
			if strings.EqualFold(s.ID, id) {
				return c.appendSchema(nil, s), true
			}
		}
		return nil, false
	}
	b := appendListHead(nil, len(all))
	for i, s := range all {
		if i > 0 {
			b = append(b, ',')
		}
		b = c.appendSchema(b, s)
	}
	return append(b, "]}"...), true
}

func appendListHead(b []byte, n int) []byte {
	b = append(b, `{"schemas":["`+ListResponseSchema+`"],"totalResults":`...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, `,"startIndex":1,"itemsPerPage":`...)
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, `,"Resources":[`...)
}

func (c *call) appendSchema(b []byte, s *schema.Schema) []byte {
	o := obj{b: b, first: true}
	o.b = append(o.b, '{')
	o.key("schemas")
	o.b = append(o.b, `["`+schema.SchemaURN+`"]`...)
	o.key("id")
	o.b = appendString(o.b, s.ID)
	o.str("name", s.Name)
	o.str("description", s.Description)
	o.key("attributes")
	o.b = appendAttributes(o.b, s.Attributes)
	o.key("meta")
	o.b = append(o.b, `{"resourceType":"Schema","location":`...)
	o.b = appendString(o.b, c.baseURL()+"/Schemas/"+s.ID)
	o.b = append(o.b, '}')
	return append(o.b, '}')
}

// appendAttributes writes attribute definitions with every characteristic of RFC
// 7643 section 7, defaults spelled out, and no nulls.
func appendAttributes(b []byte, attrs []*schema.Attribute) []byte {
	b = append(b, '[')
	for i, a := range attrs {
		if i > 0 {
			b = append(b, ',')
		}
		o := obj{b: b, first: true}
		o.b = append(o.b, '{')
		o.key("name")
		o.b = appendString(o.b, a.Name)
		o.key("type")
		o.b = appendString(o.b, string(a.Type))
		o.boolean("multiValued", a.MultiValued)
		o.key("description")
		o.b = appendString(o.b, a.Description)
		o.boolean("required", a.Required)
		if len(a.CanonicalValues) > 0 {
			o.key("canonicalValues")
			o.b = appendStrings(o.b, a.CanonicalValues)
		}
		if a.Type != schema.Complex && a.Type != schema.Boolean {
			o.boolean("caseExact", a.CaseExact)
		}
		o.key("mutability")
		o.b = appendString(o.b, string(orDefault(a.Mutability, schema.ReadWrite)))
		o.key("returned")
		o.b = appendString(o.b, string(orDefault(a.Returned, schema.Default)))
		if a.Type != schema.Complex && a.Type != schema.Boolean {
			o.key("uniqueness")
			o.b = appendString(o.b, string(orDefault(a.Uniqueness, schema.None)))
		}
		if a.Type == schema.Reference {
			o.key("referenceTypes")
			o.b = appendStrings(o.b, a.ReferenceTypes)
		}
		if len(a.SubAttributes) > 0 {
			o.key("subAttributes")
			o.b = appendAttributes(o.b, a.SubAttributes)
		}
		b = append(o.b, '}')
	}
	return append(b, ']')
}

func orDefault[T ~string](v, def T) T {
	if v == "" {
		return def
	}
	return v
}

func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}
