package scim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// This file maps errors to SCIM error responses and writes JSON bodies.

const scimMediaType = "application/scim+json"

// contentType is shared by every response; the Handler never modifies it.
var contentType = []string{scimMediaType}

// writeBody writes a JSON response with the SCIM media type.
func (c *call) writeBody(status int, body []byte) {
	hd := c.w.Header()
	hd["Content-Type"] = contentType
	hd["Content-Length"] = []string{strconv.Itoa(len(body))}
	c.wrote = true
	c.w.WriteHeader(status)
	if c.r.Method != http.MethodHead {
		c.w.Write(body) //nolint:errcheck // the client is gone; nothing to do
	}
}

// writeNoContent writes 204.
func (c *call) writeNoContent() {
	c.wrote = true
	c.w.WriteHeader(http.StatusNoContent)
}

// writeError writes e as a SCIM error body (RFC 7644 section 3.12); status is a string.
func (c *call) writeError(e *Error) {
	status := e.Status
	if status < 400 || status > 599 {
		status = http.StatusInternalServerError
	}
	retry := e.RetryAfter
	if status == http.StatusServiceUnavailable && retry <= 0 {
		retry = time.Second // every 503 tells the client when to come back
	}
	if retry > 0 {
		secs := retry / time.Second
		if retry%time.Second != 0 {
			secs++ // round up, without overflow for huge durations
		}
		c.w.Header().Set("Retry-After", strconv.FormatInt(int64(secs), 10))
	}
	b := getBuf()
	defer putBuf(b)
	buf := append((*b)[:0], `{"schemas":["`+ErrorSchema+`"],"status":"`...)
	buf = strconv.AppendInt(buf, int64(status), 10)
	buf = append(buf, '"')
	if e.ScimType != "" {
		buf = append(buf, `,"scimType":`...)
		buf = appendString(buf, e.ScimType)
	}
	detail := e.Detail
	if detail == "" {
		detail = http.StatusText(status)
	}
	buf = append(buf, `,"detail":`...)
	buf = appendString(buf, detail)
	buf = append(buf, '}')
	*b = buf
	c.reportFailure(status, e.ScimType, detail)
	c.writeBody(status, buf)
}

// scimTyper is implemented by the errors of packages schema, filter and patch.
type scimTyper interface{ ScimType() string }

// fail answers the request with the SCIM error that err stands for.
func (c *call) fail(err error) {
	c.writeError(c.errorFor(err))
}

// errorFor maps err to the response: a *Error as is; errors of packages schema,
// filter and patch as 400 with their scimType; store sentinels by errors.Is; anything
// else as a generic 500 whose cause is logged and never sent.
func (c *call) errorFor(err error) *Error {
	var se *Error
	var st scimTyper
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &se):
		return se
	case errors.As(err, &mbe):
		return &Error{Status: http.StatusRequestEntityTooLarge,
			Detail: "request body is larger than the limit of " + strconv.FormatInt(mbe.Limit, 10) + " bytes"}
	case errors.Is(err, ErrNotFound):
		return &Error{Status: http.StatusNotFound, Detail: "resource not found"}
	case errors.Is(err, ErrUniqueness):
		return &Error{Status: http.StatusConflict, ScimType: "uniqueness", Detail: "a resource with this unique attribute value already exists"}
	case errors.Is(err, ErrPreconditionFailed):
		return &Error{Status: http.StatusPreconditionFailed, Detail: "the resource was changed: its version does not match If-Match"}
	case errors.Is(err, ErrInvalidReference):
		return &Error{Status: http.StatusBadRequest, ScimType: "invalidValue", Detail: "a reference names no resource of this tenant"}
	case errors.Is(err, ErrForbidden):
		return &Error{Status: http.StatusForbidden, Detail: "forbidden"}
	case errors.As(err, &st):
		t := st.ScimType()
		if t == "uniqueness" {
			return &Error{Status: http.StatusConflict, ScimType: t, Detail: err.Error()}
		}
		return &Error{Status: http.StatusBadRequest, ScimType: t, Detail: err.Error()}
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		c.h.log.LogAttrs(c.ctx, slog.LevelWarn, "scim: request timed out or was canceled",
			slog.String("method", c.r.Method), slog.String("path", c.path), slog.String("error", err.Error()))
		return &Error{Status: http.StatusServiceUnavailable, RetryAfter: time.Second, Detail: "the request timed out; retry later"}
	}
	c.h.log.LogAttrs(c.ctx, slog.LevelError, "scim: store failure",
		slog.String("method", c.r.Method), slog.String("path", c.path), slog.String("error", err.Error()))
	return &Error{Status: http.StatusInternalServerError, Detail: internalDetail}
}

// badRequest returns a 400 error with that scimType and detail.
func badRequest(scimType, detail string) *Error {
	return &Error{Status: http.StatusBadRequest, ScimType: scimType, Detail: detail}
}

// maxDepth bounds the nesting of request bodies. SCIM resources and PATCH requests
// nest five or six levels; the bound keeps hostile input from costing stack and time.
const maxDepth = 32

// decodeObject decodes a JSON object with numbers kept as json.Number.
func decodeObject(data []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, badRequest("invalidSyntax", "the request body is empty; a JSON object is required")
	}
	if err := checkBody(data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, badRequest("invalidSyntax", "the request body is not valid JSON: "+jsonErrText(err))
	}
	if dec.More() {
		return nil, badRequest("invalidSyntax", "the request body holds data after its JSON value")
	}
	if _, err := dec.Token(); err == nil {
		return nil, badRequest("invalidSyntax", "the request body holds data after its JSON value")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, badRequest("invalidSyntax", "the request body must be a JSON object")
	}
	return m, nil
}

func jsonErrText(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return se.Error() + " at offset " + strconv.FormatInt(se.Offset, 10)
	}
	return err.Error()
}

// checkBody rejects, without decoding it, JSON nested deeper than maxDepth and JSON
// strings that hold U+0000 (written \u0000; JSON does not allow it raw). No SCIM
// value has a use for U+0000, and SQL stores cannot hold it: PostgreSQL refuses it in
// text, which would turn a client's mistake into a 500.
func checkBody(data []byte) error {
	depth := 0
	inStr := false
	for i := 0; i < len(data); i++ {
		ch := data[i]
		if inStr {
			switch ch {
			case '\\':
				i++ // the escaped character
				if i < len(data) && data[i] == 'u' && i+4 < len(data) && string(data[i+1:i+5]) == "0000" {
					return badRequest("invalidValue", "the request body holds a string with the character U+0000, which no attribute accepts")
				}
			case '"':
				inStr = false
			}
			continue
		}
		switch ch {
		case '"':
			inStr = true
		case '{', '[':
			depth++
			if depth > maxDepth {
				return badRequest("invalidSyntax", "the request body is nested more than "+strconv.Itoa(maxDepth)+" levels deep")
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}
