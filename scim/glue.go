package scim

import (
	"fmt"
	"strings"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/patch"
	"github.com/scimkit/scimkit/schema"
)

// This file connects the Handler to packages schema, patch and the tree conversions
// of resource.go.

// patchResult is what the Handler needs from applying a PATCH.
type patchResult struct {
	changed bool     // false: the PATCH certainly changed nothing
	skipped []string // unknown attributes skipped by leniency
}

func userResourceType(exts []schema.Extension) (*schema.ResourceType, error) {
	if err := checkExtensions(schema.UserResourceType, exts); err != nil {
		return nil, err
	}
	if len(exts) == 0 {
		return schema.UserResourceType, nil
	}
	return schema.UserResourceType.WithExtensions(exts...), nil
}

func groupResourceType(exts []schema.Extension) (*schema.ResourceType, error) {
	if err := checkExtensions(schema.GroupResourceType, exts); err != nil {
		return nil, err
	}
	if len(exts) == 0 {
		return schema.GroupResourceType, nil
	}
	return schema.GroupResourceType.WithExtensions(exts...), nil
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

func normalize(rt *schema.ResourceType, in map[string]any, strict bool) (map[string]any, []string, error) {
	return rt.Normalize(in, schema.Options{Strict: strict})
}

func checkRequired(rt *schema.ResourceType, tree map[string]any) error { return rt.CheckRequired(tree) }

func validateFilter(e filter.Expr, rt *schema.ResourceType) (filter.Expr, error) {
	return filter.Validate(e, rt)
}

// applyPatch applies req to a copy-on-write view of tree.
func applyPatch(rt *schema.ResourceType, tree map[string]any, req *patch.Request, strict bool) (map[string]any, patchResult, error) {
	out, res, err := patch.Apply(rt, tree, req, patch.Options{Strict: strict})
	if err != nil {
		return nil, patchResult{}, err
	}
	pr := patchResult{changed: res.Changed}
	for _, s := range res.Skipped {
		pr.skipped = append(pr.skipped, s.Path)
	}
	return out, pr, nil
}

func userTree(u *User) map[string]any                { return u.Tree() }
func userFromTree(t map[string]any) (*User, error)   { return UserFromTree(t) }
func groupTree(g *Group) map[string]any              { return g.Tree() }
func groupFromTree(t map[string]any) (*Group, error) { return GroupFromTree(t) }
func parsePatch(data []byte) (*patch.Request, error) { return patch.Parse(data) }

// memberChange maps a PATCH made only of membership changes and renames to a
// MemberChange for MemberPatcher.
func memberChange(req *patch.Request, id string) (MemberChange, bool) {
	mo, ok := req.MemberOps(id)
	if !ok {
		return MemberChange{}, false
	}
	mc := MemberChange{DisplayName: mo.DisplayName, Remove: mo.Remove}
	if len(mo.Add) > 0 {
		mc.Add = make([]Member, len(mo.Add))
		for i, m := range mo.Add {
			mc.Add[i] = Member{Value: m.Value, Display: m.Display, Type: m.Type}
		}
	}
	return mc, true
}
