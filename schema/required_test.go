package schema

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckRequired(t *testing.T) {
	acme := &Schema{ID: "urn:example:acme", Attributes: []*Attribute{
		{Name: "badge", Type: String, Required: true},
		{Name: "keys", Type: Complex, MultiValued: true, SubAttributes: []*Attribute{{Name: "k", Type: String, Required: true}}},
	}}
	withAcme := UserResourceType.WithExtensions(Extension{Schema: acme, Required: true})
	optAcme := UserResourceType.WithExtensions(Extension{Schema: acme})
	tests := []struct {
		rt   *ResourceType
		tree string
		path string // "" for no error
	}{
		{UserResourceType, `{"userName":"a"}`, ""},
		{UserResourceType, `{}`, "userName"},
		{UserResourceType, `{"userName":""}`, "userName"},
		{UserResourceType, `{"userName":"a","id":""}`, ""}, // id is readOnly: the server sets it
		{GroupResourceType, `{"displayName":"g"}`, ""},
		{GroupResourceType, `{"members":[{"value":"u"}]}`, "displayName"},
		{typed, `{"c":{"list":["x"]}}`, "c.n"},
		{typed, `{"c":{"n":1}}`, ""},
		{typed, `{}`, ""},
		{withAcme, `{"userName":"a"}`, "urn:example:acme"},
		{withAcme, `{"userName":"a","urn:example:acme":{"keys":[{"k":"1"}]}}`, "urn:example:acme:badge"},
		{withAcme, `{"userName":"a","urn:example:acme":{"badge":"b","keys":[{"k":"1"},{"x":"2"}]}}`, "urn:example:acme:keys.k"},
		{withAcme, `{"userName":"a","urn:example:acme":{"badge":"b","keys":[{"k":"1"}]}}`, ""},
		{optAcme, `{"userName":"a"}`, ""},
		{optAcme, `{"userName":"a","urn:example:acme":{"keys":[{"k":"1"}]}}`, "urn:example:acme:badge"},
	}
	for _, tt := range tests {
		err := tt.rt.CheckRequired(decode(t, tt.tree))
		if tt.path == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.tree, err)
			}
			continue
		}
		var se *Error
		if !errors.As(err, &se) || se.Path != tt.path || se.Type != ScimInvalidValue || !strings.Contains(se.Detail, "missing") {
			t.Errorf("%s: err = %v, want invalidValue at %s", tt.tree, err, tt.path)
		}
	}
}
