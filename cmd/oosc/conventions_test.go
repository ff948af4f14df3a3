package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// One set of conventions for every command: --help on stdout with exit 0,
// errors on stderr with exit 2, the token from TWILIO_AUTH_TOKEN.
func TestEveryCommandsHelpAndErrors(t *testing.T) {
	for _, c := range commands {
		if c.name == "help" {
			continue
		}
		for _, h := range []string{"--help", "-h"} {
			code, out, errOut := cli(t, "", c.name, h)
			assert.Equal(t, exitOK, code, "%s %s", c.name, h)
			assert.Contains(t, out, "usage: oosc "+c.name, "%s %s: help on stdout", c.name, h)
			assert.Empty(t, errOut, "%s %s", c.name, h)
		}
		code, out, errOut := cli(t, "", c.name, "--no-such-flag")
		assert.Equal(t, exitUsage, code, c.name)
		assert.Empty(t, out, "%s: nothing on stdout for a usage error", c.name)
		assert.Contains(t, errOut, "flag provided but not defined: -no-such-flag", c.name)
	}
}

// The auth token comes from TWILIO_AUTH_TOKEN when --auth-token is absent,
// so that the secret need not be on the command line (visible in ps).
func TestAuthTokenFromEnvironment(t *testing.T) {
	const u = "https://example.com/myapp.php?foo=1&bar=2"
	params := []string{"CallSid=CA1234567890ABCDE", "Caller=+14158675310", "Digits=1234", "From=+14158675310", "To=+18005551212"}
	code, out, errOut := cliEnv(t, map[string]string{"TWILIO_AUTH_TOKEN": "12345"}, "", append([]string{"sign", "--url", u}, params...)...)
	assert.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "L/OH5YylLD5NRKLltdqwSvS0BnU=\n", out)
	code, out, _ = cliEnv(t, map[string]string{"TWILIO_AUTH_TOKEN": "new, 12345"}, "",
		append([]string{"verify", "--url", u, "--signature", "L/OH5YylLD5NRKLltdqwSvS0BnU="}, params...)...)
	assert.Equal(t, exitOK, code, "a rotation: the old token of the list matches")
	assert.Equal(t, "valid\n", out)
	code, _, errOut = cli(t, "", append([]string{"sign", "--url", u}, params...)...)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "TWILIO_AUTH_TOKEN")
	code, out, _ = cliEnv(t, map[string]string{"TWILIO_AUTH_TOKEN": "ignored"}, "", append([]string{"sign", "--auth-token", "12345", "--url", u}, params...)...)
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "L/OH5YylLD5NRKLltdqwSvS0BnU=\n", out, "--auth-token wins")
}

// One channel vocabulary: voice and sms, messaging a synonym, everywhere.
func TestChannelVocabulary(t *testing.T) {
	doc := `<Response><Message>hi</Message></Response>`
	for _, ch := range []string{"sms", "messaging", "SMS"} {
		code, out, _ := cli(t, doc, "validate", "--channel", ch, "-")
		assert.Equal(t, exitOK, code, ch)
		assert.Contains(t, out, "valid twiml for sms", ch)
	}
	sc := `{"steps":[{"at":"2026-01-05T10:00:00Z","inbound":{"channel":"messaging","from":"+1","to":"+2","body":"x"},"expect":{"outcome":"ignored"}}]}`
	code, _, errOut := cli(t, sc, "simulate", "-")
	assert.Equal(t, exitOK, code, errOut)
	_, out, _ := cli(t, "", "validate", "--help")
	assert.True(t, strings.Contains(out, "voice or sms"))
}

// Issue 25, break 3: an empty token, by flag or as TWILIO_AUTH_TOKEN="",
// was taken as no token (emulate then served the public default token).
// It is a usage error, exit 2, for every command that takes a token, and
// nothing is served or sent.
func TestEmptyAuthTokenIsAUsageError(t *testing.T) {
	var reached atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { reached.Store(true) }))
	defer srv.Close()
	dir := t.TempDir()
	scenario := filepath.Join(dir, "s.json")
	require.NoError(t, os.WriteFile(scenario, []byte(`{"service":{"numbers":[{"number":"+14155550100"}],"callback":true},"steps":[
	  {"at":"2026-01-05T10:00:00Z","inbound":{"channel":"voice","from":"+19515550101","to":"+14155550100"}}]}`), 0o644))
	commands := map[string][]string{
		"emulate":  {"emulate", "--addr", "127.0.0.1:0"},
		"check":    {"check", "--url", srv.URL},
		"simulate": {"simulate", "--callback-url", srv.URL, scenario},
		"sign":     {"sign", "--url", "https://x.example/a", "CallSid=CA1"},
		"verify":   {"verify", "--url", "https://x.example/a", "--signature", "abc", "CallSid=CA1"},
	}
	for name, args := range commands {
		for _, given := range []struct {
			how  string
			args []string
			env  map[string]string
			says string
		}{
			{"--auth-token \"\"", []string{"--auth-token", ""}, nil, "--auth-token is empty"},
			{"--auth-token \" \"", []string{"--auth-token", " "}, nil, "--auth-token is empty"},
			{"TWILIO_AUTH_TOKEN=\"\"", nil, map[string]string{"TWILIO_AUTH_TOKEN": ""}, "TWILIO_AUTH_TOKEN is set but empty"},
			{"TWILIO_AUTH_TOKEN=\" , \"", nil, map[string]string{"TWILIO_AUTH_TOKEN": " , "}, "TWILIO_AUTH_TOKEN is set but empty"},
		} {
			t.Run(name+" "+given.how, func(t *testing.T) {
				code, out, errOut := cliEnv(t, given.env, "", append(append([]string{}, args...), given.args...)...)
				assert.Equal(t, exitUsage, code, out+errOut)
				assert.Contains(t, errOut, "oosc "+name+": "+given.says)
				assert.Empty(t, out, "nothing served, sent or printed")
			})
		}
	}
	assert.False(t, reached.Load(), "no request was sent")
	code, _, errOut := cliEnv(t, map[string]string{"TWILIO_AUTH_TOKEN": ""}, "", "simulate",
		filepath.Join("..", "..", "examples", "scenarios", "ride.json"), "--callback-url", srv.URL, "--auth-token", "t")
	assert.NotEqual(t, exitUsage, code, "the flag wins over an empty variable: %s", errOut)
}

// oosc chek suggests check, as go and gh do.
func TestUnknownCommandSuggests(t *testing.T) {
	code, out, errOut := cli(t, "", "chek")
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, out)
	assert.True(t, strings.HasPrefix(errOut, "oosc: unknown command \"chek\"\n\nDid you mean this?\n\tcheck\n\nusage: oosc"), errOut)
	_, _, errOut = cli(t, "", "simulte")
	assert.Contains(t, errOut, "Did you mean this?\n\tsimulate\n")
	_, _, errOut = cli(t, "", "frobnicate")
	assert.NotContains(t, errOut, "Did you mean", "nothing near: no guess")
}

// oosc --version names the module version Go stamped (go install
// module@version), the VCS revision when stamped, and otherwise says why
// there is none without blaming go run.
func TestVersionFromBuildInfo(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{"go install module@v0.3.0", &debug.BuildInfo{Main: debug.Module{Path: "github.com/oosc-dev/oosc", Version: "v0.3.0"}}, true, "v0.3.0"},
		{"go build in a clean clone", &debug.BuildInfo{Main: debug.Module{Version: "v0.3.1-0.20260105100000-0123456789ab"}, Settings: vcs(rev, "false")}, true,
			"v0.3.1-0.20260105100000-0123456789ab (revision 0123456789ab)"},
		{"go build with changes", &debug.BuildInfo{Main: debug.Module{Version: "v0.3.1-0.20260105100000-0123456789ab+dirty"}, Settings: vcs(rev, "true")}, true,
			"v0.3.1-0.20260105100000-0123456789ab+dirty (revision 0123456789ab, with uncommitted changes)"},
		{"an older go build from a clone", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "false")}, true, Version + " (revision 0123456789ab)"},
		{"-buildvcs=false", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true,
			Version + " (from source: the build stamped no module version or VCS revision, as a build with -buildvcs=false or outside a git checkout does)"},
		{"no build information", nil, false, Version + " (the binary carries no build information)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := version(tt.bi, tt.ok)
			assert.Equal(t, tt.want, got)
			assert.NotContains(t, got, "go run")
		})
	}
}
