package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestScimcheckPassesOverLoopback builds the scimcheck command, starts this app on a
// loopback port as main does, and runs every scimcheck case against it over HTTP:
// the same check a team runs against its staging deployment.
func TestScimcheckPassesOverLoopback(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH; it builds scimcheck")
	}
	bin := filepath.Join(t.TempDir(), "scimcheck")
	if out, err := exec.Command(goTool, "build", "-o", bin, "github.com/scimkit/scimkit/cmd/scimcheck").CombinedOutput(); err != nil {
		t.Fatalf("building scimcheck: %v\n%s", err, out)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-token", "T0k3n"}, pw) }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	base := strings.TrimSpace(strings.TrimPrefix(line, "SCIM base URL:"))

	junit := filepath.Join(t.TempDir(), "scimcheck.xml")
	cmd := exec.Command(bin, "-url", base, "-junit", junit)
	cmd.Env = append(os.Environ(), "SCIMCHECK_TOKEN=T0k3n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("scimcheck: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if last := lines[len(lines)-1]; !regexp.MustCompile(`^[1-9][0-9]+ passed, 0 failed$`).MatchString(last) {
		t.Errorf("last line %q, want every case passed\n%s", last, out)
	}
	if strings.Contains(string(out), "T0k3n") {
		t.Error("scimcheck printed the token")
	}
	if _, err := os.Stat(junit); err != nil {
		t.Errorf("no JUnit report: %v", err)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
}
