package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
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
