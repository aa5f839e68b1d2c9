module github.com/scimkit/scimkit/bench

go 1.24

require github.com/scimkit/scimkit v0.0.0

replace github.com/scimkit/scimkit => ../
