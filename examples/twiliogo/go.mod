module github.com/oosc-dev/oosc/examples/twiliogo

go 1.24

require (
	github.com/oosc-dev/oosc v0.0.0-00010101000000-000000000000
	github.com/stretchr/testify v1.12.1
	github.com/twilio/twilio-go v1.31.0
)

require (
	github.com/beevik/etree v1.8.1 // indirect
	github.com/golang/mock v1.6.0 // indirect
	github.com/pkg/errors v0.9.1 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)

replace github.com/oosc-dev/oosc => ../..
