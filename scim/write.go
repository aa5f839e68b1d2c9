package scim

import (
	"errors"
	"io"
	"net/http"

	"github.com/scimkit/scimkit/patch"
	"github.com/scimkit/scimkit/schema"
)

// This file serves the writes of /Users and /Groups: POST, PUT, PATCH and DELETE.

// serveCreate serves POST /Users and POST /Groups.
func (k *kind[T]) serveCreate(c *call) error {
	_, tree, skipped, err := c.readResource(k.rt)
	if err != nil {
		return err
	}
	dropReadOnly(tree, k.readOnly...)
	var pw string
	var hasPW bool
	if k.passwords {
		pw, hasPW = takePassword(tree)
	}
	if k.defaults != nil {
		k.defaults(tree)
	}
	tree = mergeRepeats(k.rt, tree)
	if err := k.validate(c, nil, tree); err != nil {
		return err
	}
	v, err := k.fromTree(tree)
	if err != nil {
		return err
	}
	now := c.h.now().UTC()
	*k.id(v) = c.h.newID()
	*k.meta(v) = Meta{Created: now, LastModified: now}
	k.finish(v)
	saved, err := k.create(c.ctx, v)
	if err != nil {
		return k.storeErr(*k.id(v), c.refError(err, k.refsName, k.refs(nil, tree)))
	}
	id := *k.id(saved)
	if hasPW {
		if err := c.setPassword(id, pw); err != nil {
			// Undo the create, so that the client's retry does not hit 409.
			if derr := k.remove(c.ctx, id, ""); derr != nil {
				c.h.log.ErrorContext(c.ctx, "scim: could not delete "+k.name+" after PasswordHook failed", "id", id, "error", derr.Error())
			}
			return err
		}
	}
	c.logSkipped(k.name, id, skipped)
	ev := k.created(tree)
	ev.ResourceType, ev.ID, ev.Skipped, ev.Time = k.name, id, skipped, now
	c.emit(ev)
	k.write(c, http.StatusCreated, saved, c.responseProjection(k.rt, k.ix), true)
	return nil
}

// validate checks a tree about to be stored against the limits, the schema's
// required attributes and the kind's own rule; old is nil on create.
func (k *kind[T]) validate(c *call, old, next map[string]any) error {
	if err := c.checkLimits(k.rt, next); err != nil {
		return err
	}
	if err := k.rt.CheckRequired(next); err != nil {
		return err
	}
	if k.check != nil {
		return k.check(c, old, next)
	}
	return nil
}

// serveReplace serves PUT /Users/{id} and PUT /Groups/{id} under the merge rules of
// put.go.
func (k *kind[T]) serveReplace(c *call) error {
	in, tree, skipped, err := c.readResource(k.rt)
	if err != nil {
		return err
	}
	if k.putRequires != "" {
		if s, _ := tree[k.putRequires].(string); s == "" {
			return badRequest("invalidValue", k.putRequires+" is required in a PUT body")
		}
	}
	dropReadOnly(tree, k.readOnly...)
	var pw string
	var hasPW bool
	if k.passwords {
		pw, hasPW = takePassword(tree)
	}
	paths := putPaths(k.rt, in)
	return k.change(c, http.StatusOK, c.responseProjection(k.rt, k.ix), func(cur map[string]any) (change, error) {
		return change{tree: mergePut(cur, tree, paths), maybe: true, pw: pw, hasPW: hasPW, skipped: skipped}, nil
	})
}

// servePatch serves PATCH /Users/{id} and PATCH /Groups/{id}.
func (k *kind[T]) servePatch(c *call) error {
	data, err := c.readRaw()
	if err != nil {
		return err
	}
	req, err := patch.Parse(data)
	if err != nil {
		return err
	}
	if k.patch != nil {
		if done, err := k.patch(c, c.id, req); done || err != nil {
			return err
		}
	}
	status, p := k.patchStatus(c)
	return k.change(c, status, p, func(cur map[string]any) (change, error) {
		next, res, err := patch.Apply(k.rt, cur, req, patch.Options{Strict: c.h.strict})
		if err != nil {
			return change{}, err
		}
		ch := change{tree: next, maybe: res.Changed}
		for _, s := range res.Skipped {
			ch.skipped = append(ch.skipped, s.Path)
		}
		if _, ok := next["password"]; ok && k.passwords {
			// The tree patch.Apply returns is read-only: copy its top level first.
			ch.tree = make(map[string]any, len(next))
			for key, v := range next {
				ch.tree[key] = v
			}
			ch.pw, ch.hasPW = takePassword(ch.tree)
		}
		return ch, nil
	})
}

// A change is what a PUT or PATCH makes of the stored resource tree.
type change struct {
	tree    map[string]any
	maybe   bool // false when the change certainly changed nothing
	pw      string
	hasPW   bool
	skipped []string // unknown attributes skipped by leniency
}

// change runs PUT and PATCH through update: apply derives the new tree from the
// stored one, which is validated and stored unless it changes nothing (no write, no
// version bump: RFC-PATCH-1). The response has status (204, or 200 with the
// resource under p).
func (k *kind[T]) change(c *call, status int, p *projection, apply func(cur map[string]any) (change, error)) error {
	var (
		old, next map[string]any
		ch        change
		changed   []string
		pwSet     bool
	)
	now := c.h.now().UTC()
	id := c.id
	saved, err := update(c, k, id, func(cur *T) (*T, error) {
		changed = nil
		old = k.tree(cur)
		var err error
		if ch, err = apply(old); err != nil {
			return nil, err
		}
		next = mergeRepeats(k.rt, ch.tree)
		if ch.maybe {
			changed = changedPaths(k.rt, old, next)
		}
		if ch.hasPW && !pwSet {
			if err := c.setPassword(id, ch.pw); err != nil {
				return nil, err
			}
			pwSet = true
		}
		if len(changed) == 0 {
			return nil, nil
		}
		if err := k.validate(c, old, next); err != nil {
			return nil, err
		}
		v, err := k.fromTree(next)
		if err != nil {
			return nil, err
		}
		*k.id(v) = *k.id(cur)
		m := k.meta(v)
		*m = *k.meta(cur)
		m.LastModified = now
		k.finish(v)
		return v, nil
	})
	if err != nil {
		var refs []string
		if next != nil {
			refs = k.refs(old, next)
		}
		return k.storeErr(id, c.refError(err, k.refsName, refs))
	}
	c.logSkipped(k.name, id, ch.skipped)
	switch {
	case len(changed) > 0:
		if ch.hasPW {
			changed = append(changed, "password")
		}
		ev := k.changed(old, next, changed)
		ev.ResourceType, ev.ID, ev.Changed, ev.Skipped, ev.Time = k.name, *k.id(saved), changed, ch.skipped, now
		ev.Values = changedValues(k.rt, old, next, changed)
		c.emit(ev)
	case ch.hasPW:
		c.emit(Event{Type: UserUpdated, ResourceType: k.name, ID: *k.id(saved), Changed: []string{"password"}, Skipped: ch.skipped, Time: now})
	case len(ch.skipped) > 0:
		c.emit(Event{Type: NothingChanged, ResourceType: k.name, ID: *k.id(saved), Skipped: ch.skipped, Time: now})
	}
	k.write(c, status, saved, p, false)
	return nil
}

// serveDelete serves DELETE /Users/{id} and DELETE /Groups/{id}.
func (k *kind[T]) serveDelete(c *call) error {
	id := c.id
	version := ""
	if c.ifMatch() != "" {
		// Check the precondition against the current version, then let the store
		// check it again atomically.
		cur, err := k.get(c.ctx, id, Projection{ExcludedAttributes: []string{"members"}})
		if err != nil {
			return k.storeErr(id, err)
		}
		version = k.meta(cur).Version
		if err := c.checkIfMatch(version); err != nil {
			return err
		}
	}
	if err := k.remove(c.ctx, id, version); err != nil {
		return k.storeErr(id, err)
	}
	c.emit(Event{Type: k.deleted, ResourceType: k.name, ID: id})
	c.writeNoContent()
	return nil
}

// readResource reads a POST or PUT body and normalises it against rt. It returns the
// decoded body as sent (PUT needs the keys as written) and the canonical tree.
func (c *call) readResource(rt *schema.ResourceType) (in, tree map[string]any, skipped []string, err error) {
	in, err = c.readBody()
	if err != nil {
		return nil, nil, nil, err
	}
	c.name, _ = in["userName"].(string)
	if c.name == "" {
		c.name, _ = in["displayName"].(string)
	}
	if rt == c.h.groupRT {
		if err := c.resolveBodyMemberRefs(in); err != nil {
			return nil, nil, nil, err
		}
	}
	tree, skipped, err = rt.Normalize(in, schema.Options{Strict: c.h.strict})
	if err != nil {
		return nil, nil, nil, err
	}
	return in, tree, skipped, nil
}

// readRaw reads the request body under the size limit and checks that it is a
// reasonably nested JSON document without U+0000 (see checkBody); decoding is left
// to the caller.
func (c *call) readRaw() ([]byte, error) {
	data, err := c.read()
	if err != nil {
		return nil, err
	}
	if err := checkBody(data); err != nil {
		return nil, err
	}
	return data, nil
}

// read reads the request body whole. A body over the limit fails with
// *http.MaxBytesError (413), one that cannot be read with invalidSyntax.
func (c *call) read() ([]byte, error) {
	var data []byte
	var err error
	if n := c.r.ContentLength; n > c.h.maxBody {
		return nil, &http.MaxBytesError{Limit: c.h.maxBody}
	} else if n >= 0 {
		// The server ends the body at its declared length: read it into a buffer
		// of that size, with one byte more to see the end.
		data, err = readAll(c.r.Body, make([]byte, 0, n+1), c.h.maxBody)
	} else {
		data, err = io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, c.h.maxBody))
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, err
		}
		return nil, badRequest("invalidSyntax", "could not read the request body")
	}
	return data, nil
}

// readAll appends r to buf until io.EOF, failing with *http.MaxBytesError once it
// holds more than limit bytes.
func readAll(r io.Reader, buf []byte, limit int64) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, &http.MaxBytesError{Limit: limit}
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
