package judge_test

import (
	"fmt"
	"net/http"

	"github.com/oosc-dev/oosc/judge"
	"github.com/oosc-dev/oosc/twiml"
)

// Judge an HTTP answer as Proxy would: text/xml is refused, whatever the body.
func ExampleResponse() {
	body := []byte(`<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello</Say></Response>`)
	call := judge.Contact{Channel: twiml.Voice, From: "+14155550100"}

	for _, ct := range []string{"application/xml", "text/xml"} {
		v := judge.Response(http.StatusOK, http.Header{"Content-Type": {ct}}, body, call, nil)
		fmt.Println(ct, v.Valid, v.TwilioErrors)
	}
	v := judge.Response(http.StatusInternalServerError, nil, nil, call, nil)
	fmt.Println(v.Problems[0])
	// Output:
	// application/xml true []
	// text/xml false [80905]
	// error: status: status 500 is not 2xx; Proxy drops the contact whatever the body (80913)
}

// Judge a body alone; without a Content-Type its first byte tells the kind.
func ExampleBody() {
	v := judge.Body("", []byte(`{"participantIdentifier":"+14155550100"}`), judge.Contact{Channel: twiml.Messaging, From: "+14155550100"}, nil)
	fmt.Println(v.Kind, v.Valid, v.TwilioErrors)
	fmt.Println(v.Errors()[0].Code, v.Errors()[0].TwilioError)
	// Output:
	// auto-create false [80103 80905]
	// sender-as-participant 80103
}
