package sqlstore

import "github.com/scimkit/scimkit/filter/sqlfilter"

// sqlfilterMySQL is sqlfilter's MySQL dialect, which is on its way to main.
// TODO(merge): replace with sqlfilter.MySQL and delete this file.
const sqlfilterMySQL = sqlfilter.Dialect(2)
