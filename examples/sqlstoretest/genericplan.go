package sqlstoretest

import (
	"context"
	"database/sql"
	"strings"
)

// GenericPlans shows which plans PostgreSQL keeps for statements that a connection
// prepared while the tables were as they are now. It prepares each statement of
// stmts (by name; parameters $1 tenant and $2 id, both text) on one connection of db
// with generic plans forced, runs it once, so that the plan is made on the tables
// as they are, then calls fill (which changes the tables through db) and returns
// the EXPLAIN of each statement run with tenant and id.
func GenericPlans(ctx context.Context, db *sql.DB, stmts map[string]string, fill func() error, tenant, id string) (map[string]string, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET plan_cache_mode = force_generic_plan"); err != nil {
		return nil, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "DEALLOCATE ALL; RESET plan_cache_mode")
	call := "(" + literal(tenant) + ", " + literal(id) + ")"
	for name, q := range stmts {
		if _, err := conn.ExecContext(ctx, "PREPARE generic_"+name+"(text, text) AS "+q); err != nil {
			return nil, err
		}
		if _, err := conn.ExecContext(ctx, "EXECUTE generic_"+name+call); err != nil {
			return nil, err
		}
	}
	if err := fill(); err != nil {
		return nil, err
	}
	plans := map[string]string{}
	for name := range stmts {
		rows, err := conn.QueryContext(ctx, "EXPLAIN EXECUTE generic_"+name+call)
		if err != nil {
			return nil, err
		}
		var plan strings.Builder
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				rows.Close()
				return nil, err
			}
			plan.WriteString(line + "\n")
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		plans[name] = plan.String()
	}
	return plans, nil
}

// literal quotes s as an SQL string literal (EXECUTE takes no bind parameters).
func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
