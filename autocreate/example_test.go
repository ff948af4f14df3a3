package autocreate_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
)

// Build the answer that reconnects a rider with their last driver.
func ExampleSession() {
	s := autocreate.Session{
		UniqueName:            "ride-8812-reconnect",
		Mode:                  autocreate.VoiceAndMessage,
		TTL:                   time.Hour,
		ParticipantIdentifier: "+14155550123",
	}
	b, err := json.Marshal(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(b))
	// Output:
	// {"uniqueName":"ride-8812-reconnect","mode":"voice-and-message","ttl":3600,"participantIdentifier":"+14155550123"}
}

// Judge an answer for the call it responds to, as Proxy would.
func ExampleValidateBytes() {
	doc := []byte(`{"participantIdentifer":"+14155550123","ttl":"3600"}`)
	in := oosc.Inbound{From: "+14155550100", Channel: oosc.Voice}
	_, r := autocreate.ValidateBytes(doc, in, time.Now)
	fmt.Println("valid:", r.Valid())
	for _, p := range r.Problems {
		fmt.Println(p.Field, p.Rule)
	}
	// Output:
	// valid: false
	// participantIdentifer unknown-field
	// ttl wrong-type
	// participantIdentifier missing-field
}

// Parse is strict: a misspelt key is an error naming the field, with the
// field it was probably meant to be.
func ExampleParse() {
	s, err := autocreate.Parse([]byte(`{"participantIdentifier":"+14155550123","ttl":3600}`))
	fmt.Println(s.ParticipantIdentifier, s.TTL, err)

	_, err = autocreate.Parse([]byte(`{"participantIdentifer":"+14155550123"}`))
	fmt.Println(errors.Is(err, oosc.ErrInvalid))
	var e *oosc.ValidationError
	if errors.As(err, &e) {
		fmt.Println(e.Problems[0].Rule, e.Problems[0].Field)
	}
	// Output:
	// +14155550123 1h0m0s <nil>
	// true
	// unknown-field participantIdentifer
}
