package patch

// Temporary private normalisation until schema.NormalizeValue lands.

import (
	"encoding/json"
	"strings"

	"github.com/scimkit/scimkit/schema"
)

func normalizeValue(at *schema.Attribute, v any, opt normOptions) (any, error) {
	if v == nil {
		return nil, nil
	}
	if at.MultiValued {
		list, ok := v.([]any)
		if !ok {
			list = []any{v}
		}
		out := make([]any, 0, len(list))
		for _, e := range list {
			ne, err := normalizeElement(at, e, opt)
			if err != nil {
				return nil, err
			}
			if ne != nil {
				out = append(out, ne)
			}
		}
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	}
	return normalizeElement(at, v, opt)
}

func normalizeElement(at *schema.Attribute, v any, opt normOptions) (any, error) {
	bad := func() (any, error) {
		return nil, &schema.Error{Type: schema.ScimInvalidValue, Path: at.Name, Detail: "wrong type, want " + string(at.Type)}
	}
	switch at.Type {
	case schema.Boolean:
		switch v := v.(type) {
		case bool:
			return v, nil
		case string:
			if !opt.Strict {
				if strings.EqualFold(v, "true") {
					return true, nil
				}
				if strings.EqualFold(v, "false") {
					return false, nil
				}
			}
		}
		return bad()
	case schema.Integer, schema.Decimal:
		switch v := v.(type) {
		case json.Number:
			return v, nil
		case string:
			if !opt.Strict {
				return json.Number(v), nil
			}
		}
		return bad()
	case schema.Complex:
		switch m := v.(type) {
		case string:
			if !opt.Strict && at.SubAttribute("value") != nil {
				return map[string]any{"value": m}, nil
			}
			return bad()
		case map[string]any:
			out := make(map[string]any, len(m))
			for k, sv := range m {
				sa := at.SubAttribute(k)
				if sa == nil {
					if opt.Strict {
						return nil, &schema.Error{Type: schema.ScimInvalidValue, Path: at.Name + "." + k, Detail: "unknown sub-attribute"}
					}
					continue
				}
				nv, err := normalizeElement(sa, sv, opt)
				if err != nil {
					return nil, err
				}
				if nv != nil {
					out[sa.Name] = nv
				}
			}
			if len(out) == 0 {
				return nil, nil
			}
			return out, nil
		}
		return bad()
	default:
		if v == nil {
			return nil, nil
		}
		if s, ok := v.(string); ok {
			return s, nil
		}
		return bad()
	}
}

type normOptions struct{ Strict bool }
