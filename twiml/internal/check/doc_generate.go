package check

//go:generate go run ./schemagen -in twiml-schema.json -out schema_table.go
