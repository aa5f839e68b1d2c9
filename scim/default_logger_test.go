package scim_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// A Config without Logger logs to slog.Default, as net/http logs by default: the
// cause of a 500 is not lost.
func TestNilLoggerLogsToSlogDefault(t *testing.T) {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	defer slog.SetDefault(prev)
	st := memstore.New(memstore.Options{})
	h, err := scim.NewHandler(scim.Config{Users: panickingGet{st}, Auth: scim.StaticToken(token)})
	if err != nil {
		t.Fatal(err)
	}
	call(t, h, "GET", "/Users/x", nil).want(t, 500)
	if !strings.Contains(buf.String(), "store bug") {
		t.Errorf("slog.Default did not get the panic: %q", buf.String())
	}
}
