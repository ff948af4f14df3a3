package twiml_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/twiml"
)

const emptyResponse = `<?xml version="1.0" encoding="UTF-8"?><Response/>`

// The zero value of each builder is a usable empty response, as etree's
// Document is: it writes <Response/>, validates, and can be built on.
func TestZeroValueResponses(t *testing.T) {
	t.Run("voice", func(t *testing.T) {
		var r twiml.VoiceResponse
		assert.Equal(t, oosc.Voice, r.Channel())
		assert.Equal(t, emptyResponse, r.String())
		assert.True(t, r.Validate().Valid())
		r.Say("Hello", nil)
		r.Hangup()
		assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello</Say><Hangup/></Response>`, r.String())
		assert.True(t, r.Validate().Valid())
	})
	t.Run("sms", func(t *testing.T) {
		var r twiml.MessagingResponse
		assert.Equal(t, oosc.SMS, r.Channel())
		b, err := r.Bytes()
		require.NoError(t, err)
		assert.Equal(t, emptyResponse, string(b))
		assert.True(t, r.Validate().Valid())
		m := r.Message("", nil)
		m.Body("Hi")
		m.Media("https://example.com/a.png")
		assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response><Message><Body>Hi</Body><Media>https://example.com/a.png</Media></Message></Response>`, r.String())
	})
	t.Run("new equals zero", func(t *testing.T) {
		var zv twiml.VoiceResponse
		var zm twiml.MessagingResponse
		assert.Equal(t, twiml.NewVoiceResponse().String(), zv.String())
		assert.Equal(t, twiml.NewMessagingResponse().String(), zm.String())
	})
}

// A zero response shared between goroutines is only read when written
// out, so it is safe to return from many decisions at once (run with -race).
func TestZeroValueResponseConcurrentReads(t *testing.T) {
	var shared twiml.VoiceResponse
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := shared.Bytes()
			assert.NoError(t, err)
			assert.Equal(t, emptyResponse, string(b))
			assert.True(t, shared.Validate().Valid())
		}()
	}
	wg.Wait()
}
