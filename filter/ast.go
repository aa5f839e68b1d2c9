package filter

// An Expr is a node of a parsed filter: *Compare, *Logical, *Not or *ValuePath.
// String returns the canonical text, which Parse turns back into an equal Expr.
type Expr interface {
	String() string
	isExpr()
}

// An AttrPath names an attribute as written in a filter or PATCH path
// (RFC 7644 section 3.4.2.2, ABNF rule attrPath): an optional schema URN, an attribute
// name and an optional sub-attribute name. Parse keeps the letter case as written;
// [Validate] rewrites names to their canonical spelling.
type AttrPath struct {
	URN  string // schema URN without the trailing colon, or "" for none
	Name string
	Sub  string // "" for none
}

// CompareOp is a comparison operator of a filter.
type CompareOp string

// The comparison operators of RFC 7644 section 3.4.2.2, in their canonical lower case.
const (
	Eq CompareOp = "eq"
	Ne CompareOp = "ne"
	Co CompareOp = "co"
	Sw CompareOp = "sw"
	Ew CompareOp = "ew"
	Gt CompareOp = "gt"
	Ge CompareOp = "ge"
	Lt CompareOp = "lt"
	Le CompareOp = "le"
	Pr CompareOp = "pr"
)

// A Compare is an attribute expression: `Path Op Value`, or `Path pr`.
type Compare struct {
	Path AttrPath
	Op   CompareOp
	// Value is the comparison value: a string (JSON escapes decoded), a bool, nil
	// for null, or a json.Number (kept exact). It is nil for Pr.
	Value any
}

// LogicalOp is "and" or "or".
type LogicalOp string

// The logical operators.
const (
	And LogicalOp = "and"
	Or  LogicalOp = "or"
)

// A Logical is `Left Op Right`.
type Logical struct {
	Op          LogicalOp
	Left, Right Expr
}

// A Not is `not (X)`.
type Not struct {
	X Expr
}

// A ValuePath is `Path[Filter]`: it matches when one value of the multi-valued
// attribute Path matches Filter, whose paths are relative to that value
// (sub-attribute names). Path.Sub is always "".
//
// The Entra ID form `emails[type eq "work"].value eq "x"`, which is not in the RFC
// grammar, parses as the ValuePath `emails[type eq "work" and value eq "x"]`.
type ValuePath struct {
	Path   AttrPath
	Filter Expr
}

func (*Compare) isExpr()   {}
func (*Logical) isExpr()   {}
func (*Not) isExpr()       {}
func (*ValuePath) isExpr() {}

// A Path is a PATCH operation path (RFC 7644 section 3.5.2, ABNF rule PATH):
// `attrPath`, or `valuePath` optionally followed by `.subAttr`.
//
// Examples: "members" is Path{Attr: {Name: "members"}};
// `emails[type eq "work"].value` is Path{Attr: {Name: "emails"}, Filter: <type eq "work">, Sub: "value"};
// "name.familyName" is Path{Attr: {Name: "name", Sub: "familyName"}}.
type Path struct {
	Attr   AttrPath
	Filter Expr   // nil when there is no [filter]
	Sub    string // the sub-attribute after [filter], or ""; when Filter is nil it is in Attr.Sub
}
