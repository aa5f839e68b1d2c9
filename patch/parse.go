package patch

import (
	"strconv"
	"strings"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
)

// PatchOpURN is the schema URN of a PATCH request body (RFC 7644 section 3.5.2).
const PatchOpURN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

// The canonical operation names of RFC 7644 section 3.5.2.
const (
	OpAdd     = "add"
	OpReplace = "replace"
	OpRemove  = "remove"
)

// MaxOperations is the largest number of operations that [Parse] accepts in one
// request. Entra ID and Okta send a handful; a batch of members is one operation with
// many values, which has no limit of its own besides the body size. The bound keeps
// the work of [Apply], linear in the size of the attribute for each operation, in
// proportion.
const MaxOperations = 1000

// A Request is a decoded PATCH request: its operations, in the order sent.
type Request struct {
	Operations []Operation
}

// An Operation is one decoded PATCH operation.
type Operation struct {
	// Op is OpAdd, OpReplace or OpRemove, whatever letter case was sent.
	Op string
	// Path is the parsed path, or nil when the operation has none.
	Path *filter.Path
	// RawPath is the path as sent, or "" when there is none.
	RawPath string
	// Value is the value as sent, decoded into string, bool, json.Number (kept exact),
	// map[string]any and []any; nil when absent or null.
	Value any
	// HasValue reports whether the operation has a value member (even null).
	HasValue bool
}

// Parse decodes a PATCH request body (RFC 7644 section 3.5.2).
//
// The body must be a JSON object. Member names are matched ignoring case
// ("operations", "OP"), and unknown members are ignored. A "schemas" member, when
// present and not null, must be an array of strings that contains [PatchOpURN]; a
// missing one is tolerated, as some clients omit it. "Operations" must be a non-empty
// array of objects, each with an "op" of add, replace or remove in any letter case, an
// optional "path" parsed by [filter.ParsePath] (null or blank counts as absent), and a
// "value", kept exactly as sent.
//
// Add and replace need a value, which must be an object when there is no path;
// remove needs a path. Paths that name the common attributes id and meta are rejected,
// whatever the resource type, because they are read-only.
//
// Errors are of type *[Error]: invalidSyntax for malformed JSON, a bad structure or an
// unknown op; invalidPath for a path that does not parse; invalidValue for a missing
// or misplaced value; noTarget for a remove without path; mutability for id and meta.
// JSON nested deeper than [MaxDepth] levels is invalidSyntax; more than
// [MaxOperations] operations is invalidValue.
func Parse(body []byte) (*Request, error) {
	d := decoder{s: string(body), index: -1}
	if d.peek() != '{' {
		if d.pos >= len(d.s) {
			return nil, errorf(-1, schema.ScimInvalidSyntax, "empty request body")
		}
		return nil, d.unexpected("a JSON object")
	}
	var (
		ops     = make([]Operation, 0, 4)
		haveOps bool
	)
	err := d.object(1, func(name string) error {
		switch {
		case strings.EqualFold(name, "schemas"):
			return d.schemas()
		case strings.EqualFold(name, "Operations"):
			if d.peek() != '[' {
				return errorf(-1, schema.ScimInvalidSyntax, `"Operations" must be an array`)
			}
			haveOps = true
			ops = ops[:0]
			return d.array(2, func(i int) error {
				if i >= MaxOperations {
					return errorf(-1, schema.ScimInvalidValue, "more than "+strconv.Itoa(MaxOperations)+" operations")
				}
				d.index = i
				op, err := d.operation(i)
				d.index = -1
				ops = append(ops, op)
				return err
			})
		default:
			return d.skip(2)
		}
	})
	if err != nil {
		return nil, err
	}
	if d.peek() != 0 {
		return nil, d.unexpected("the end of the body")
	}
	if !haveOps {
		return nil, errorf(-1, schema.ScimInvalidSyntax, `the body has no "Operations" array`)
	}
	if len(ops) == 0 {
		return nil, errorf(-1, schema.ScimInvalidSyntax, `"Operations" is empty`)
	}
	// Parse the paths in one block, so that Operation.Path costs one allocation.
	n := 0
	for i := range ops {
		if ops[i].RawPath != "" {
			n++
		}
	}
	paths := make([]filter.Path, 0, n)
	for i := range ops {
		op := &ops[i]
		if op.RawPath == "" {
			continue
		}
		p, err := filter.ParsePath(op.RawPath)
		if err != nil {
			return nil, errorf(i, schema.ScimInvalidPath, "invalid path: "+err.Error())
		}
		if p.Attr.URN == "" && (strings.EqualFold(p.Attr.Name, "id") || strings.EqualFold(p.Attr.Name, "meta")) {
			return nil, errorf(i, schema.ScimMutability, "attribute "+p.Attr.Name+" is read-only")
		}
		paths = append(paths, p)
		op.Path = &paths[len(paths)-1]
	}
	return &Request{Operations: ops}, nil
}

// schemas checks the value of the body's "schemas" member.
func (d *decoder) schemas() error {
	switch d.peek() {
	case 'n':
		return d.literal("null")
	case '[':
	default:
		return errorf(-1, schema.ScimInvalidSyntax, `"schemas" must be an array of strings`)
	}
	found := false
	err := d.array(2, func(int) error {
		if d.peek() != '"' {
			return errorf(-1, schema.ScimInvalidSyntax, `"schemas" must be an array of strings`)
		}
		s, err := d.str(false)
		if strings.EqualFold(s, PatchOpURN) {
			found = true
		}
		return err
	})
	if err == nil && !found {
		err = errorf(-1, schema.ScimInvalidSyntax, `"schemas" does not contain `+PatchOpURN)
	}
	return err
}

// operation reads the operation object at pos.
func (d *decoder) operation(i int) (Operation, error) {
	var (
		op     Operation
		haveOp bool
	)
	if d.peek() != '{' {
		return op, errorf(i, schema.ScimInvalidSyntax, "an operation must be a JSON object")
	}
	err := d.object(3, func(name string) error {
		switch {
		case strings.EqualFold(name, "op"):
			if d.peek() != '"' {
				return errorf(i, schema.ScimInvalidSyntax, `"op" must be a string`)
			}
			s, err := d.str(false)
			if err != nil {
				return err
			}
			switch {
			case strings.EqualFold(s, OpAdd):
				op.Op = OpAdd
			case strings.EqualFold(s, OpReplace):
				op.Op = OpReplace
			case strings.EqualFold(s, OpRemove):
				op.Op = OpRemove
			default:
				return errorf(i, schema.ScimInvalidSyntax, `unknown op "`+clip(s)+`": want add, replace or remove`)
			}
			haveOp = true
		case strings.EqualFold(name, "path"):
			switch d.peek() {
			case 'n':
				op.RawPath = ""
				return d.literal("null")
			case '"':
				s, err := d.str(false)
				op.RawPath = strings.TrimSpace(s)
				return err
			}
			return errorf(i, schema.ScimInvalidPath, `"path" must be a string`)
		case strings.EqualFold(name, "value"):
			v, err := d.value(4)
			op.Value, op.HasValue = v, true
			return err
		default:
			return d.skip(4)
		}
		return nil
	})
	if err != nil {
		return op, err
	}
	if !haveOp {
		return op, errorf(i, schema.ScimInvalidSyntax, `the operation has no "op"`)
	}
	switch {
	case op.Op == OpRemove && op.RawPath == "":
		return op, errorf(i, schema.ScimNoTarget, "remove needs a path")
	case op.Op == OpRemove:
	case !op.HasValue:
		return op, errorf(i, schema.ScimInvalidValue, op.Op+" needs a value")
	case op.RawPath == "":
		if _, ok := op.Value.(map[string]any); !ok {
			return op, errorf(i, schema.ScimInvalidValue, op.Op+" without a path needs an object value")
		}
	}
	return op, nil
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 120
	if len(s) <= max {
		return s
	}
	for i := max; i > 0; i-- {
		if isRuneStart(s[i]) {
			return s[:i] + "…"
		}
	}
	return ""
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
