package judge_test

import (
	"fmt"
	"net/http"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/judge"
)

// Judge an HTTP answer as Proxy would: text/xml is refused, whatever the body.
func ExampleResponse() {
	body := []byte(`<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello</Say></Response>`)
	call := oosc.Inbound{Channel: oosc.Voice, From: "+14155550100"}

	for _, ct := range []string{"application/xml", "text/xml"} {
		v := judge.Response(http.StatusOK, http.Header{"Content-Type": {ct}}, body, call, nil)
		fmt.Printf("%s %v %d\n", ct, v.Valid(), v.LoggedCodes())
	}
	v := judge.Response(http.StatusInternalServerError, nil, nil, call, nil)
	fmt.Println(v.Problems[0])
	// Output:
	// application/xml true []
	// text/xml false [80905]
	// error /: status: status 500 is not 2xx; Proxy drops the contact whatever the body [80913]
}

// Judge a body alone; without a Content-Type its first byte tells the kind.
func ExampleBody() {
	v := judge.Body("", []byte(`{"participantIdentifier":"+14155550100"}`), oosc.Inbound{Channel: oosc.SMS, From: "+14155550100"}, nil)
	fmt.Printf("%s %v %d\n", v.Kind, v.Valid(), v.LoggedCodes())
	p := v.Errors()[0]
	fmt.Printf("%s %v %s\n", p.Rule, p.Code, p.Code.Title())
	// Output:
	// auto-create false [80103 80905]
	// sender-as-participant 80103 Participant Already In Session
}
