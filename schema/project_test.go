package schema

import (
	"reflect"
	"strings"
	"testing"
)

// storedUser is a tree as a store returns it, with a password that must never leave.
const storedUser = `{"id":"u-1","externalId":"ada.l","userName":"ada","password":"secret",
 "name":{"givenName":"Ada","familyName":"L"},"displayName":"Ada L","active":true,
 "emails":[{"value":"a@x","type":"work","primary":true},{"value":"b@x","type":"home"}],
 "groups":[{"value":"g-1","display":"Ops"}],
 "meta":{"resourceType":"User","created":"2024-01-01T00:00:00Z","lastModified":"2024-01-02T00:00:00Z"},
 "` + ent + `":{"department":"R&D","manager":{"value":"u-2","displayName":"Boss"}}}`

func TestProject(t *testing.T) {
	tests := []struct {
		name       string
		rt         *ResourceType
		tree       string
		attributes []string
		excluded   []string
		want       string
	}{
		{
			name: "RFC_ATTR_3 no parameters: password never returned",
			want: `{"id":"u-1","externalId":"ada.l","userName":"ada","name":{"givenName":"Ada","familyName":"L"},"displayName":"Ada L","active":true,
			 "emails":[{"value":"a@x","type":"work","primary":true},{"value":"b@x","type":"home"}],"groups":[{"value":"g-1","display":"Ops"}],
			 "meta":{"resourceType":"User","created":"2024-01-01T00:00:00Z","lastModified":"2024-01-02T00:00:00Z"},
			 "` + ent + `":{"department":"R&D","manager":{"value":"u-2","displayName":"Boss"}}}`,
		},
		{
			name:       "RFC_ATTR_3 password never returned even when asked",
			attributes: []string{"password", "userName"},
			want:       `{"id":"u-1","userName":"ada"}`,
		},
		{
			name:       "RFC_ATTR_1 attributes=id keeps only always attributes",
			attributes: []string{"id"},
			want:       `{"id":"u-1"}`,
		},
		{
			name:       "RFC_ATTR_1 attributes keeps id",
			attributes: []string{"userName"},
			want:       `{"id":"u-1","userName":"ada"}`,
		},
		{
			name:     "RFC_ATTR_3 excluding id has no effect",
			excluded: []string{"id", "meta", "emails", "name", "groups", ent, "externalId", "displayName"},
			want:     `{"id":"u-1","userName":"ada","active":true}`,
		},
		{
			name:       "RFC_ATTR_1 case-insensitive sub-attribute",
			attributes: []string{"NAME.GIVENNAME"},
			want:       `{"id":"u-1","name":{"givenName":"Ada"}}`,
		},
		{
			name:       "RFC_ATTR_1 parent names whole attribute",
			attributes: []string{"name"},
			want:       `{"id":"u-1","name":{"givenName":"Ada","familyName":"L"}}`,
		},
		{
			name:       "RFC_ATTR_1 multi-valued sub-attribute",
			attributes: []string{"emails.type"},
			want:       `{"id":"u-1","emails":[{"type":"work"},{"type":"home"}]}`,
		},
		{
			name:       "RFC_ATTR_1 element left empty is removed",
			attributes: []string{"emails.primary"},
			want:       `{"id":"u-1","emails":[{"primary":true}]}`,
		},
		{
			name:       "RFC_ATTR_1 attribute left empty is removed",
			attributes: []string{"emails.display"},
			want:       `{"id":"u-1"}`,
		},
		{
			name:       "RFC_ATTR_1 urn-qualified attribute",
			attributes: []string{strings.ToUpper(ent) + ":Department"},
			want:       `{"id":"u-1","` + ent + `":{"department":"R&D"}}`,
		},
		{
			name:       "RFC_ATTR_1 urn-qualified sub-attribute",
			attributes: []string{ent + ":manager.value"},
			want:       `{"id":"u-1","` + ent + `":{"manager":{"value":"u-2"}}}`,
		},
		{
			name:       "RFC_ATTR_1 bare extension urn",
			attributes: []string{ent},
			want:       `{"id":"u-1","` + ent + `":{"department":"R&D","manager":{"value":"u-2","displayName":"Boss"}}}`,
		},
		{
			name:       "RFC_ATTR_1 bare core urn",
			attributes: []string{UserURN},
			want: `{"id":"u-1","externalId":"ada.l","userName":"ada","name":{"givenName":"Ada","familyName":"L"},"displayName":"Ada L","active":true,
			 "emails":[{"value":"a@x","type":"work","primary":true},{"value":"b@x","type":"home"}],"groups":[{"value":"g-1","display":"Ops"}],
			 "meta":{"resourceType":"User","created":"2024-01-01T00:00:00Z","lastModified":"2024-01-02T00:00:00Z"}}`,
		},
		{
			name:       "RFC_ATTR_1 unknown names are ignored",
			attributes: []string{"nope", "userName", "name.nope", "urn:x:y:z"},
			want:       `{"id":"u-1","userName":"ada"}`,
		},
		{
			name:       "RFC_ATTR_1 only unknown names",
			attributes: []string{"nope"},
			want:       `{"id":"u-1"}`,
		},
		{
			name:       "RFC_ATTR_1 blank names",
			attributes: []string{" ", ""},
			excluded:   []string{"", " displayName "},
			want: `{"id":"u-1","externalId":"ada.l","userName":"ada","name":{"givenName":"Ada","familyName":"L"},"active":true,
			 "emails":[{"value":"a@x","type":"work","primary":true},{"value":"b@x","type":"home"}],"groups":[{"value":"g-1","display":"Ops"}],
			 "meta":{"resourceType":"User","created":"2024-01-01T00:00:00Z","lastModified":"2024-01-02T00:00:00Z"},
			 "` + ent + `":{"department":"R&D","manager":{"value":"u-2","displayName":"Boss"}}}`,
		},
		{
			name:     "RFC_ATTR_1 excluded sub-attributes",
			excluded: []string{"name.familyName", "emails.value", "meta", ent + ":manager.displayName", "groups", "externalId", "Emails.Primary"},
			want: `{"id":"u-1","userName":"ada","name":{"givenName":"Ada"},"displayName":"Ada L","active":true,
			 "emails":[{"type":"work"},{"type":"home"}],"` + ent + `":{"department":"R&D","manager":{"value":"u-2"}}}`,
		},
		{
			name:       "RFC_ATTR_1 excluded whole extension",
			excluded:   []string{ent},
			attributes: nil,
			tree:       `{"id":"u-1","` + ent + `":{"department":"R&D"}}`,
			want:       `{"id":"u-1"}`,
		},
		{
			name:       "RFC_ATTR_1 attributes then excluded",
			attributes: []string{"name", "emails"},
			excluded:   []string{"name.givenName"},
			want:       `{"id":"u-1","name":{"familyName":"L"},"emails":[{"value":"a@x","type":"work","primary":true},{"value":"b@x","type":"home"}]}`,
		},
		{
			name:     "RFC_ATTR_1 excludedAttributes=members",
			rt:       GroupResourceType,
			tree:     `{"id":"g-1","displayName":"Ops","members":[{"value":"u-1"}],"meta":{"resourceType":"Group"}}`,
			excluded: []string{"members"},
			want:     `{"id":"g-1","displayName":"Ops","meta":{"resourceType":"Group"}}`,
		},
		{
			name:       "schemas and unknown members",
			tree:       `{"schemas":["x"],"id":"u-1","custom":1,"` + ent + `":{"custom":2,"department":"D"}}`,
			attributes: []string{"userName"},
			want:       `{"schemas":["x"],"id":"u-1"}`,
		},
		{
			name: "unknown members kept by default",
			tree: `{"schemas":["x"],"id":"u-1","custom":1,"password":"p","name":{"x":1},"` + ent + `":{"custom":2}}`,
			want: `{"schemas":["x"],"id":"u-1","custom":1,"name":{"x":1},"` + ent + `":{"custom":2}}`,
		},
		{
			name:       "unknown members kept when their parent is named",
			tree:       `{"id":"u-1","name":{"x":1,"givenName":"A"},"` + ent + `":{"custom":2}}`,
			attributes: []string{"name", ent},
			want:       `{"id":"u-1","name":{"x":1,"givenName":"A"},"` + ent + `":{"custom":2}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := tt.rt
			if rt == nil {
				rt = UserResourceType
			}
			src := tt.tree
			if src == "" {
				src = storedUser
			}
			tree := decode(t, src)
			before := mustJSON(t, tree)
			got := rt.Project(tree, tt.attributes, tt.excluded)
			if after := mustJSON(t, tree); after != before {
				t.Fatalf("Project changed its input:\n%s\n%s", before, after)
			}
			if g, w := mustJSON(t, got), canon(t, tt.want); g != w {
				t.Errorf("got\n%s\nwant\n%s", g, w)
			}
		})
	}
}

// custom has returned request and never at both levels.
var custom = UserResourceType.WithExtensions(Extension{Schema: &Schema{
	ID: "urn:example:custom",
	Attributes: []*Attribute{
		{Name: "secret", Type: String, Returned: Request},
		{Name: "hidden", Type: String, Returned: Never},
		{Name: "shown", Type: String, Returned: Always},
		{Name: "plain", Type: String},
		{Name: "box", Type: Complex, MultiValued: true, SubAttributes: []*Attribute{
			{Name: "v", Type: String},
			{Name: "r", Type: String, Returned: Request},
			{Name: "n", Type: String, Returned: Never},
			{Name: "a", Type: String, Returned: Always},
		}},
	},
}})

func TestProjectReturnedRequest(t *testing.T) {
	const cu = "urn:example:custom"
	tree := `{"id":"u","userName":"n","` + cu + `":{"secret":"s","hidden":"h","shown":"w","plain":"p","box":[{"v":"1","r":"2","n":"3","a":"4"}]}}`
	tests := []struct {
		attributes, excluded []string
		want                 string
	}{
		{nil, nil, `{"id":"u","userName":"n","` + cu + `":{"shown":"w","plain":"p","box":[{"v":"1","a":"4"}]}}`},
		{[]string{cu + ":secret"}, nil, `{"id":"u","` + cu + `":{"secret":"s","shown":"w"}}`},
		{[]string{cu}, nil, `{"id":"u","` + cu + `":{"secret":"s","shown":"w","plain":"p","box":[{"v":"1","r":"2","a":"4"}]}}`},
		{[]string{cu + ":box"}, nil, `{"id":"u","` + cu + `":{"shown":"w","box":[{"v":"1","r":"2","a":"4"}]}}`},
		{[]string{cu + ":box.r"}, nil, `{"id":"u","` + cu + `":{"shown":"w","box":[{"r":"2","a":"4"}]}}`},
		{[]string{cu + ":box.n"}, nil, `{"id":"u","` + cu + `":{"shown":"w","box":[{"a":"4"}]}}`},
		{nil, []string{cu + ":shown", cu + ":box.a", cu + ":box.v"}, `{"id":"u","userName":"n","` + cu + `":{"shown":"w","plain":"p","box":[{"a":"4"}]}}`},
		{nil, []string{cu + ":secret"}, `{"id":"u","userName":"n","` + cu + `":{"shown":"w","plain":"p","box":[{"v":"1","a":"4"}]}}`},
	}
	for _, tt := range tests {
		got := custom.Project(decode(t, tree), tt.attributes, tt.excluded)
		if g, w := mustJSON(t, got), canon(t, tt.want); g != w {
			t.Errorf("attributes %v excluded %v:\ngot  %s\nwant %s", tt.attributes, tt.excluded, g, w)
		}
	}
}

// TestProjectSharesUnchanged: what needs no change is not copied.
func TestProjectSharesUnchanged(t *testing.T) {
	tree := decode(t, `{"id":"g","displayName":"Ops","members":[{"value":"u-1"},{"value":"u-2"}]}`)
	if got := GroupResourceType.Project(tree, nil, nil); reflect.ValueOf(got).Pointer() != reflect.ValueOf(tree).Pointer() {
		t.Error("Project copied a tree that needs no change")
	}
	got := GroupResourceType.Project(tree, nil, []string{"displayName"})
	if _, ok := got["displayName"]; ok {
		t.Fatal("displayName not excluded")
	}
	if reflect.ValueOf(got["members"]).Pointer() != reflect.ValueOf(tree["members"]).Pointer() {
		t.Error("members copied")
	}
	user := decode(t, storedUser)
	got = UserResourceType.Project(user, nil, []string{"emails.value"})
	if reflect.ValueOf(got["name"]).Pointer() != reflect.ValueOf(user["name"]).Pointer() {
		t.Error("name copied")
	}
	if reflect.ValueOf(got["emails"]).Pointer() == reflect.ValueOf(user["emails"]).Pointer() {
		t.Error("emails not copied although changed")
	}
}

func TestIncludes(t *testing.T) {
	tests := []struct {
		rt                   *ResourceType
		attributes, excluded []string
		path                 string
		want                 bool
	}{
		{GroupResourceType, nil, nil, "members", true},
		{GroupResourceType, nil, []string{"members"}, "members", false},
		{GroupResourceType, nil, []string{"MEMBERS"}, "members.value", false},
		{GroupResourceType, []string{"displayName"}, nil, "members", false},
		{GroupResourceType, []string{"members.value"}, nil, "members", true},
		{GroupResourceType, []string{"members.value"}, nil, "members.value", true},
		{GroupResourceType, []string{"members.value"}, nil, "members.display", false},
		{GroupResourceType, []string{"members"}, nil, "members.display", true},
		{GroupResourceType, nil, []string{"members.display"}, "members.display", false},
		{GroupResourceType, nil, []string{"members.display"}, "members", true},
		{GroupResourceType, nil, []string{"id"}, "id", true},
		{GroupResourceType, []string{"displayName"}, nil, "id", true},
		{UserResourceType, nil, nil, "password", false},
		{UserResourceType, []string{"password"}, nil, "password", false},
		{UserResourceType, nil, nil, "nope", false},
		{UserResourceType, nil, nil, ent, true},
		{UserResourceType, nil, []string{ent}, ent, false},
		{UserResourceType, nil, []string{ent}, ent + ":manager", false},
		{UserResourceType, []string{"userName"}, nil, ent, false},
		{UserResourceType, []string{ent + ":department"}, nil, ent, true},
		{UserResourceType, []string{ent + ":department"}, nil, ent + ":manager", false},
		{custom, nil, nil, "urn:example:custom:secret", false},
		{custom, []string{"urn:example:custom:secret"}, nil, "urn:example:custom:secret", true},
		{custom, nil, nil, "urn:example:custom:box.r", false},
		{custom, []string{"urn:example:custom:box"}, nil, "urn:example:custom:box.r", true},
	}
	for _, tt := range tests {
		if got := tt.rt.Includes(tt.attributes, tt.excluded, tt.path); got != tt.want {
			t.Errorf("%s Includes(%v, %v, %q) = %v", tt.rt.Name, tt.attributes, tt.excluded, tt.path, got)
		}
	}
}
