package callback_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/callback"
)

func TestReconnectPolicy(t *testing.T) {
	e := serve(t, callback.Reconnect(&callback.ReconnectOptions{TTL: 30 * time.Minute}), nil)

	// A call after a closed Session: back to the same driver, on the number they had.
	resp := e.post(t, voiceForm(), token)
	body := readAll(t, resp)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Equal(t, `{"uniqueName":"oosc-KC0123456789abcdef0123456789abcdef-CA0123456789abcdef0123456789abcdef","mode":"voice-and-message","ttl":1800,"participantIdentifier":"+14155550123","participantProxyIdentifier":"+14155550198"}`, body)
	assert.Equal(t, callback.Answered, e.outcome(t).Kind)

	// A message with no previous Session: the notice.
	resp = e.post(t, smsForm(), token)
	body = readAll(t, resp)
	assert.Equal(t, "application/xml", resp.Header.Get("Content-Type"))
	assert.Contains(t, body, "<Message>"+callback.DefaultEndedNotice+"</Message>")
	assert.Equal(t, callback.Answered, e.outcome(t).Kind)

	// A call with no previous Session: the spoken notice, then hang up.
	f := voiceForm()
	for k := range f {
		if k[0] == 's' || k[0] == 'i' || k[0] == 'o' {
			f.Del(k)
		}
	}
	body = readAll(t, e.post(t, f, token))
	assert.Contains(t, body, "<Say>"+callback.DefaultEndedNotice+"</Say><Hangup/>")
}

func TestReplyPolicy(t *testing.T) {
	e := serve(t, callback.Reply("This number is no longer in use.", "This number no longer takes messages."), nil)
	assert.Contains(t, readAll(t, e.post(t, voiceForm(), token)), "<Say>This number is no longer in use.</Say><Hangup/>")
	assert.Contains(t, readAll(t, e.post(t, smsForm(), token)), "<Message>This number no longer takes messages.</Message>")
	e = serve(t, callback.Reply("", ""), nil)
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response/>`, readAll(t, e.post(t, smsForm(), token)), "no reply")
}

func TestDirectoryPolicy(t *testing.T) {
	dir := map[string]callback.Counterpart{rider: {Identifier: driver, ProxyIdentifier: "+14155550198", UniqueName: "ride-8812"}}
	lookup := func(_ context.Context, req *callback.Request) (callback.Counterpart, error) {
		if req.From == "+19999999999" {
			return callback.Counterpart{}, errors.New("directory unavailable")
		}
		c, ok := dir[req.From]
		if !ok {
			return callback.Counterpart{}, callback.ErrNoCounterpart
		}
		return c, nil
	}
	e := serve(t, callback.Directory(lookup, nil), nil)

	resp := e.post(t, smsForm(), token)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(readAll(t, resp)), &got))
	assert.Equal(t, map[string]any{"uniqueName": "ride-8812", "mode": "voice-and-message", "ttl": 3600.0,
		"participantIdentifier": driver, "participantProxyIdentifier": "+14155550198"}, got)
	e.outcome(t)

	stranger := smsForm()
	stranger.Set("From", "+14155550111")
	assert.Contains(t, readAll(t, e.post(t, stranger, token)), callback.DefaultEndedNotice)
	e.outcome(t)

	broken := smsForm()
	broken.Set("From", "+19999999999")
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response/>`, readAll(t, e.post(t, broken, token)))
	out := e.outcome(t)
	assert.Equal(t, callback.FellBack, out.Kind)
	assert.ErrorIs(t, out.Err, callback.ErrDecisionFailed)
}
