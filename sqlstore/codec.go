package sqlstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// A row is a resource as the columns of its plan hold it.
type row struct {
	scalars []any     // per plan.scalars: string, bool or nil
	lists   [][][]any // per plan.lists, per value, per sub: string, bool or nil
	attrs   string    // the Attributes column
}

// encode splits the resource tree (which it consumes) into the columns of p. What has
// no column stays in the tree and goes to the Attributes column as JSON; with
// Table.Document everything does, and the columns get copies.
func (p *plan) encode(tree map[string]any) (row, error) {
	for _, k := range [...]string{"id", "meta", "schemas", "groups", "members"} {
		delete(tree, k)
	}
	pick := take
	if p.t.Document {
		pick = lookup
	}
	r := row{scalars: make([]any, len(p.scalars)), lists: make([][][]any, len(p.lists))}
	for i, s := range p.scalars {
		v, ok := pick(tree, s.keys)
		if !ok {
			continue
		}
		switch v := v.(type) {
		case string:
			if v != "" {
				r.scalars[i] = v
			}
		case bool:
			r.scalars[i] = v
		default:
			return row{}, fmt.Errorf("sqlstore: %s is a %T", s.path, v)
		}
	}
	for i, ls := range p.lists {
		v, ok := pick(tree, ls.keys)
		if !ok {
			continue
		}
		elems, _ := v.([]any)
		for _, e := range elems {
			m, _ := e.(map[string]any)
			vals := make([]any, len(ls.subs))
			for j, s := range ls.subs {
				switch x := m[s.name].(type) {
				case string:
					if x != "" {
						vals[j] = x
					}
				case bool:
					if x {
						vals[j] = x
					}
				}
			}
			r.lists[i] = append(r.lists[i], vals)
		}
	}
	b, err := json.Marshal(tree)
	r.attrs = string(b)
	return r, err
}

// take removes the value at keys from tree and returns it, dropping maps it empties.
func take(tree map[string]any, keys []string) (any, bool) {
	if len(keys) == 1 {
		v, ok := tree[keys[0]]
		delete(tree, keys[0])
		return v, ok
	}
	m, ok := tree[keys[0]].(map[string]any)
	if !ok {
		return nil, false
	}
	v, ok := take(m, keys[1:])
	if len(m) == 0 {
		delete(tree, keys[0])
	}
	return v, ok
}

// lookup returns the value at keys in tree.
func lookup(tree map[string]any, keys []string) (any, bool) {
	for _, k := range keys[:len(keys)-1] {
		m, ok := tree[k].(map[string]any)
		if !ok {
			return nil, false
		}
		tree = m
	}
	v, ok := tree[keys[len(keys)-1]]
	return v, ok
}

// put sets the value at keys in tree, making the maps on the way.
func put(tree map[string]any, keys []string, v any) {
	for _, k := range keys[:len(keys)-1] {
		m, ok := tree[k].(map[string]any)
		if !ok {
			m = map[string]any{}
			tree[k] = m
		}
		tree = m
	}
	tree[keys[len(keys)-1]] = v
}

// A scanned is one row as read: the fixed columns, the scalars, the lists' JSON
// arrays, and the relation's JSON array (a user's groups, a group's members) when read.
type scanned struct {
	id       string
	version  int64
	created  any
	modified any
	attrs    []byte
	scalars  []any
	lists    [][]byte
	relation []byte
}

// dest returns the scan destinations for a row of p, with the relation if withRel.
func (p *plan) dest(s *scanned, withRel bool) []any {
	d := []any{&s.id, &s.version, &s.created, &s.modified, &s.attrs}
	if !p.t.Document {
		s.scalars = make([]any, len(p.scalars))
		s.lists = make([][]byte, len(p.lists))
		for i := range s.scalars {
			d = append(d, &s.scalars[i])
		}
		for i := range s.lists {
			d = append(d, &s.lists[i])
		}
	}
	if withRel {
		d = append(d, &s.relation)
	}
	return d
}

// tree rebuilds the resource tree of a scanned row, without id, meta and relation.
func (p *plan) tree(s *scanned) (map[string]any, error) {
	tree := map[string]any{}
	if len(s.attrs) > 0 {
		if err := decodeJSON(s.attrs, &tree); err != nil {
			return nil, fmt.Errorf("sqlstore: %s %q: column %s: %w", p.rt.Name, s.id, p.t.Attributes, err)
		}
		if tree == nil {
			tree = map[string]any{}
		}
	}
	if p.t.Document {
		return tree, nil
	}
	for i, sc := range p.scalars {
		v, err := columnValue(s.scalars[i], sc.boolean)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: %s %q: column %s: %w", p.rt.Name, s.id, sc.col, err)
		}
		if v != nil {
			put(tree, sc.keys, v)
		}
	}
	for i, ls := range p.lists {
		if len(s.lists[i]) == 0 {
			continue
		}
		var objs []map[string]any
		if err := decodeJSON(s.lists[i], &objs); err != nil {
			return nil, fmt.Errorf("sqlstore: %s %q: table %s: %w", p.rt.Name, s.id, ls.l.Name, err)
		}
		var vals []any
		for _, o := range objs {
			e := map[string]any{}
			for _, sb := range ls.subs {
				v, err := jsonValue(o[sb.name], sb.boolean)
				if err != nil {
					return nil, fmt.Errorf("sqlstore: %s %q: table %s: %w", p.rt.Name, s.id, ls.l.Name, err)
				}
				if v != nil {
					e[sb.name] = v
				}
			}
			if len(e) > 0 {
				vals = append(vals, e)
			}
		}
		if len(vals) > 0 {
			put(tree, ls.keys, vals)
		}
	}
	return tree, nil
}

// A ref is one element of a relation: a user's group or a group's member.
type ref struct {
	Value   string `json:"value"`
	Display string `json:"display"`
}

// refs decodes a relation's JSON array.
func refs(data []byte) ([]ref, error) {
	var rs []ref
	if len(data) == 0 {
		return nil, nil
	}
	err := json.Unmarshal(data, &rs)
	return rs, err
}

func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

// columnValue converts a scalar column as the driver returns it.
func columnValue(v any, boolean bool) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case []byte:
		v = string(x)
	}
	if !boolean {
		switch x := v.(type) {
		case string:
			if x == "" {
				return nil, nil
			}
			return x, nil
		}
		return nil, fmt.Errorf("text expected, got %T", v)
	}
	switch x := v.(type) {
	case bool:
		return x, nil
	case int64:
		return x != 0, nil
	case string:
		return strconv.ParseBool(x)
	}
	return nil, fmt.Errorf("boolean expected, got %T", v)
}

// jsonValue converts a value of an aggregated JSON object.
func jsonValue(v any, boolean bool) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		if boolean {
			return strconv.ParseBool(x)
		}
		if x == "" {
			return nil, nil
		}
		return x, nil
	case bool:
		if !x {
			return nil, nil // false is the same as absent
		}
		return x, nil
	case json.Number:
		if boolean {
			if x == "0" {
				return nil, nil
			}
			return true, nil
		}
		return string(x), nil
	}
	return nil, fmt.Errorf("unexpected %T in aggregated JSON", v)
}

// timeValue returns t as the Created and Modified columns store it.
func timeValue(t time.Time, layout string) any {
	t = t.UTC().Truncate(time.Microsecond)
	if layout != "" {
		return t.Format(layout)
	}
	return t
}

// mysqlTime is how MySQL drivers without parseTime return a DATETIME(6).
const mysqlTime = "2006-01-02 15:04:05.999999"

// parseTime reads a Created or Modified column.
func parseTime(v any, layout string) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x.UTC(), nil
	case []byte:
		v = string(x)
	}
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("sqlstore: time column holds %T", v)
	}
	if layout != "" {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	for _, l := range [...]string{time.RFC3339Nano, mysqlTime} {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("sqlstore: cannot parse time " + strconv.Quote(s))
}
