package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// An appProc is the app running in a child process (the test binary re-executed
// with childEnv set, see TestMain).
type appProc struct {
	name   string
	cmd    *exec.Cmd
	URL    string // base URL, http://127.0.0.1:port
	Token  string // a SCIM token of the first workspace, made at start
	Output string // what the app printed at start
	logs   *syncBuffer
	exited chan struct{}
}

var runningAt = regexp.MustCompile(`Workspace app running at (http://\S+)`)

// startApp starts the app on a free loopback port over the database dsn and waits
// until it serves. The process is killed when the test ends.
func startApp(t testing.TB, name, dsn string) *appProc {
	t.Helper()
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	p := &appProc{name: name, logs: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(os.Args[0], "-addr", "127.0.0.1:0", "-db", dsn,
		"-admin-password", "scale-out-admin", "-token-file", tokenFile)
	p.cmd.Env = append(os.Environ(), childEnv+"=1")
	p.cmd.Stderr = p.logs
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		p.Kill()
		if t.Failed() {
			t.Logf("log of app process %s:\n%s", name, p.logs.String())
		}
	})
	// The banner starts with the URL and ends with the curl line.
	ready := make(chan string, 1)
	var out strings.Builder
	go func() {
		sc := bufio.NewScanner(stdout)
		url := ""
		for sc.Scan() {
			out.WriteString(sc.Text() + "\n")
			if m := runningAt.FindStringSubmatch(sc.Text()); m != nil {
				url = m[1]
			}
			if strings.Contains(sc.Text(), "curl ") {
				ready <- url
				break
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case p.URL = <-ready:
	case <-p.exited:
		t.Fatalf("app %s exited at start:\n%s", name, p.logs.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("app %s did not start within 30 s:\n%s", name, p.logs.String())
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Get(p.URL + "/")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("app %s does not answer: %v", name, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	token, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	p.Token = string(token)
	p.Output = out.String()
	return p
}

// Kill stops the process at once (SIGKILL), as a crash or an OOM kill would.
func (p *appProc) Kill() {
	if p.cmd.Process != nil {
		p.cmd.Process.Signal(syscall.SIGKILL)
	}
	<-p.exited
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
