package callback_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
)

// A log key means one thing in every package's records: cause is an
// oosc.Cause, reason an error's text (the debugger's handler keeps the
// same, see its TestHandler).
func TestLogKeysMeanOneThing(t *testing.T) {
	var logs callbacktest.Logs
	down := func(context.Context, *callback.Request) (callback.Answer, error) {
		return callback.Answer{}, errors.New("directory down")
	}
	srv := callbacktest.NewServer(t, down, &callback.Options{Logger: logs.Logger(slog.LevelDebug)})
	srv.Send(callbacktest.Message("+19515550101", "+14155550100", "hi").
		After(callbacktest.Previous{Other: "+17075550102"}))

	var records []map[string]any
	for line := range strings.Lines(logs.String()) {
		var r map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &r), line)
		records = append(records, r)
	}
	require.NotEmpty(t, records)
	causes := map[string]bool{}
	for _, c := range []oosc.Cause{oosc.CauseNoPreviousSession, oosc.CauseSessionClosed, oosc.CauseSessionExpired,
		oosc.CauseSessionFailed, oosc.CauseOtherProxyNumber, oosc.CauseUnknown} {
		causes[string(c)] = true
	}
	fellBack := false
	for _, r := range records {
		if c, ok := r["cause"]; ok {
			assert.True(t, causes[c.(string)], "cause %v is not an oosc.Cause", c)
		}
		if reason, ok := r["reason"]; ok {
			assert.False(t, causes[reason.(string)], "reason %v is a cause, not an error's text", reason)
		}
		if r["outcome"] == string(callback.FellBack) {
			fellBack = true
			assert.Equal(t, string(oosc.CauseSessionClosed), r["cause"])
			assert.Contains(t, r["reason"], "directory down")
		}
	}
	assert.True(t, fellBack, "no fell-back record in %s", logs.String())
}
