package scimkit

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/internal/idpflow"
)

// These tests tie docs/COMPAT.md to the code: every requirement id the repository
// names is documented there, every documented id is guarded by a test or a
// scimcheck case, and the document's Guards table is derived from the code, so
// renaming or adding tests never leaves it hand-kept.

var update = flag.Bool("update", false, "rewrite the Guards table of docs/COMPAT.md")

const compatDoc = "docs/COMPAT.md"

var (
	// reqID matches a requirement id as written in prose and comments.
	reqID = regexp.MustCompile(`\b(?:AUTH-\d+|TRAP-\d+|(?:ENTRA|OKTA|RFC)-[A-Z]+-\d+)\b`)
	// reqInName matches a requirement id inside a test function name, such as
	// the one in TestRFC_SORT_1 or TestENTRA_PATCH_3_StringBooleans.
	reqInName = regexp.MustCompile(`(?:AUTH_\d+|TRAP_\d+|(?:ENTRA|OKTA|RFC)_[A-Z]+_\d+)`)
	// docHeading is the heading of a requirement's section.
	docHeading = regexp.MustCompile(`(?m)^### (.+)$`)
)

// repoFiles returns the repository's files below the root, slash-separated,
// without version control data.
func repoFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			files = append(files, filepath.ToSlash(p))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// compatIndex is what the repository says about requirement ids.
type compatIndex struct {
	named  map[string][]string // id → files that name it
	guards map[string][]string // id → guards, as "dir: TestName" or "scimcheck: CASE"
}

func indexRepo(t *testing.T) compatIndex {
	t.Helper()
	ix := compatIndex{named: map[string][]string{}, guards: map[string][]string{}}
	guard := func(id, g string) {
		if !slices.Contains(ix.guards[id], g) {
			ix.guards[id] = append(ix.guards[id], g)
		}
	}
	for _, p := range repoFiles(t) {
		if p == compatDoc || p == "compat_test.go" || strings.Contains(p, "/testdata/") ||
			!(strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".md")) {
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range reqID.FindAllString(string(src), -1) {
			if !slices.Contains(ix.named[id], p) {
				ix.named[id] = append(ix.named[id], p)
			}
		}
		switch {
		case strings.HasSuffix(p, "_test.go"):
			for id, names := range testGuards(t, p, src) {
				for _, n := range names {
					guard(id, n)
				}
			}
		case strings.HasPrefix(p, "scim/scimtest/") && strings.HasSuffix(p, ".go"):
			for id, names := range kitGuards(t, p, src) {
				for _, n := range names {
					guard(id, n)
				}
			}
		}
	}
	for _, f := range idpflow.Flows("compat") {
		for _, k := range f.Cases {
			for _, id := range k.Reqs {
				guard(id, "scimcheck: "+k.ID)
				if !slices.Contains(ix.named[id], "internal/idpflow") {
					ix.named[id] = append(ix.named[id], "internal/idpflow")
				}
			}
		}
	}
	for _, g := range ix.guards {
		slices.Sort(g)
	}
	return ix
}

// testGuards returns the test, fuzz, benchmark and example functions of a test
// file by the requirement ids in their names or in the comment directly above.
func testGuards(t *testing.T, path string, src []byte) map[string][]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := map[string][]string{}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || !isTestName(fn.Name.Name) {
			continue
		}
		ids := reqID.FindAllString(fn.Doc.Text(), -1)
		for _, m := range reqInName.FindAllString(fn.Name.Name, -1) {
			ids = append(ids, strings.ReplaceAll(m, "_", "-"))
		}
		for _, id := range ids {
			out[id] = append(out[id], filepath.ToSlash(filepath.Dir(path))+": "+fn.Name.Name)
		}
	}
	return out
}

func isTestName(n string) bool {
	for _, p := range []string{"Test", "Fuzz", "Benchmark", "Example"} {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}

// kitGuards returns the checks of the scimtest store kit by the requirement ids in
// their rule text: composite literals whose first string names the check.
func kitGuards(t *testing.T, path string, src []byte) map[string][]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := map[string][]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		cl, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		var strs []string
		for _, e := range cl.Elts {
			if kv, ok := e.(*ast.KeyValueExpr); ok {
				e = kv.Value
			}
			if bl, ok := e.(*ast.BasicLit); ok && bl.Kind == token.STRING {
				if s, err := strconv.Unquote(bl.Value); err == nil {
					strs = append(strs, s)
				}
			}
		}
		if len(strs) < 2 || strings.ContainsAny(strs[0], " :") {
			return true
		}
		for _, s := range strs[1:] {
			for _, id := range reqID.FindAllString(s, -1) {
				out[id] = append(out[id], "scimtest: "+strs[0])
			}
		}
		return true
	})
	return out
}

// documented returns the requirement ids that have a section in docs/COMPAT.md, in
// document order, and the document.
func documented(t *testing.T) ([]string, string) {
	t.Helper()
	src, err := os.ReadFile(compatDoc)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range docHeading.FindAllStringSubmatch(string(src), -1) {
		if !reqID.MatchString(m[1]) {
			continue
		}
		if reqID.FindString(m[1]) != m[1] {
			t.Errorf("%s: heading %q: a requirement's heading is its id alone, so that links #%s work", compatDoc, m[1], strings.ToLower(reqID.FindString(m[1])))
		}
		if slices.Contains(ids, m[1]) {
			t.Errorf("%s: %s has two sections", compatDoc, m[1])
		}
		ids = append(ids, m[1])
	}
	return ids, string(src)
}

// TestCompatDocumentNamesEveryRequirement fails when code or documentation names a
// requirement id that docs/COMPAT.md does not explain.
func TestCompatDocumentNamesEveryRequirement(t *testing.T) {
	ids, _ := documented(t)
	ix := indexRepo(t)
	for _, id := range slices.Sorted(maps.Keys(ix.named)) {
		if !slices.Contains(ids, id) {
			t.Errorf("%s is named in %s but has no section in %s", id, strings.Join(ix.named[id], ", "), compatDoc)
		}
	}
}

// TestEveryDocumentedRequirementHasAGuard fails when a requirement of docs/COMPAT.md
// is protected by no test (its id in the comment above the test or in its name), no
// scimtest check and no scimcheck case.
func TestEveryDocumentedRequirementHasAGuard(t *testing.T) {
	ids, _ := documented(t)
	ix := indexRepo(t)
	for _, id := range ids {
		if len(ix.guards[id]) == 0 {
			t.Errorf("%s is documented but no test guards it: put %q in the comment directly above a test that checks it", id, "// "+id+": …")
		}
	}
}

// TestCompatGuardTableIsCurrent fails when the Guards table of docs/COMPAT.md
// differs from the one derived from the code; -update rewrites it.
func TestCompatGuardTableIsCurrent(t *testing.T) {
	ids, doc := documented(t)
	ix := indexRepo(t)
	const begin, end = "<!-- guards:begin -->\n", "<!-- guards:end -->"
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the %q … %q markers", compatDoc, begin, end)
	}
	var b strings.Builder
	b.WriteString("| Requirement | Guarded by |\n|---|---|\n")
	for _, id := range ids {
		fmt.Fprintf(&b, "| [%s](#%s) | %s |\n", id, strings.ToLower(id), guardCell(ix.guards[id]))
	}
	table := b.String()
	if doc[i+len(begin):j] == table {
		return
	}
	if *update {
		if err := os.WriteFile(compatDoc, []byte(doc[:i+len(begin)]+table+doc[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the Guards table of %s is out of date; run\n\tgo test -run TestCompatGuardTableIsCurrent -update .\nThe current table:\n%s", compatDoc, table)
}

// guardCell groups guards by where they live: "scim: TestA, TestB; scimcheck: X".
func guardCell(guards []string) string {
	if len(guards) == 0 {
		return "—"
	}
	by := map[string][]string{}
	for _, g := range guards {
		where, name, _ := strings.Cut(g, ": ")
		by[where] = append(by[where], "`"+name+"`")
	}
	var parts []string
	for _, where := range slices.Sorted(maps.Keys(by)) {
		parts = append(parts, where+": "+strings.Join(by[where], ", "))
	}
	return strings.Join(parts, "; ")
}

// TestNothingShippedCitesInternalDocuments fails when a file of the repository
// refers readers to documents they do not have.
func TestNothingShippedCitesInternalDocuments(t *testing.T) {
	forbidden := []string{"IDP-COMPAT", "../shared", "work/shared", "STYLE G"}
	for _, p := range repoFiles(t) {
		if p == "compat_test.go" {
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(src, 0) {
			continue // binary
		}
		for n, line := range strings.Split(string(src), "\n") {
			for _, f := range forbidden {
				if strings.Contains(line, f) {
					t.Errorf("%s:%d cites %q, which users do not have: %s", p, n+1, f, strings.TrimSpace(line))
				}
			}
		}
	}
}
