package scim

import (
	"fmt"
	"strings"

	"github.com/scimkit/scimkit/schema"
)

// This file builds the Handler's resource types from the built-in ones and the
// host's extension schemas.

// withExtensions returns the built-in resource type rt with the host's extension
// schemas, or rt itself when there are none.
func withExtensions(rt *schema.ResourceType, exts []schema.Extension) (*schema.ResourceType, error) {
	if err := checkExtensions(rt, exts); err != nil {
		return nil, err
	}
	if len(exts) == 0 {
		return rt, nil
	}
	return rt.WithExtensions(exts...), nil
}

// checkExtensions refuses extension schemas without a URN, or whose URN another
// schema of rt (or an earlier extension) already has.
func checkExtensions(rt *schema.ResourceType, exts []schema.Extension) error {
	seen := []string{rt.Schema.ID}
	for _, e := range rt.Extensions {
		seen = append(seen, e.Schema.ID)
	}
	for _, e := range exts {
		if e.Schema == nil || !strings.HasPrefix(strings.ToLower(e.Schema.ID), "urn:") {
			return fmt.Errorf("scim: %s extension schema must have a URN as its ID", rt.Name)
		}
		for _, s := range seen {
			if strings.EqualFold(s, e.Schema.ID) {
				return fmt.Errorf("scim: %s extension schema %s is declared twice or clashes with a built-in schema", rt.Name, e.Schema.ID)
			}
		}
		seen = append(seen, e.Schema.ID)
	}
	return nil
}
