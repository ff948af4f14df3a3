package main

import (
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Issue 28: --addr 0.0.0.0:4010 printed http://[::]:4010, which no browser
// opens. An address that listens on every interface is printed as the
// loopback one, which reaches it; any other is printed as it is.
func TestEmulatePrintsAClickableAddress(t *testing.T) {
	for _, tt := range []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 4010}, "127.0.0.1:4010"},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 4010}, "127.0.0.1:4010"},
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4010}, "127.0.0.1:4010"},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 4010}, "[::1]:4010"},
		{&net.TCPAddr{IP: net.IPv4(192, 0, 2, 7), Port: 80}, "192.0.2.7:80"},
	} {
		assert.Equal(t, tt.want, clickable(tt.addr), "%v", tt.addr)
	}
}

// Issue 28: the start-up hint named an unset $TOKEN. It names the variable
// that holds the token, shows a generated token (printed anyway), and
// never prints a token that was given.
func TestEmulateHintNamesTheToken(t *testing.T) {
	e := startEmulate(t, nil)
	out := strings.Join(e.lines, "\n")
	e.wait(t)
	assert.Regexp(t, `auth token   ([0-9a-f]{32}) \(generated; set TWILIO_AUTH_TOKEN to choose one\)\nTry: curl -u AC00000000000000000000000000000001:[0-9a-f]{32} http://127\.0\.0\.1:\d+/v1/Services`, out)
	assert.NotContains(t, out, "$TOKEN")

	e = startEmulate(t, map[string]string{"TWILIO_AUTH_TOKEN": "env-secret"})
	out = strings.Join(e.lines, "\n")
	e.wait(t)
	assert.Contains(t, out, `Try: curl -u "AC00000000000000000000000000000001:$TWILIO_AUTH_TOKEN" http://127.0.0.1:`)
	assert.NotContains(t, out, "env-secret")

	e = startEmulate(t, nil, "--auth-token", "flag-secret")
	out = strings.Join(e.lines, "\n")
	e.wait(t)
	assert.Contains(t, out, "auth token   the one given by --auth-token (not printed)")
	assert.Contains(t, out, "Try: curl -u AC00000000000000000000000000000001:YOUR_AUTH_TOKEN http://127.0.0.1:")
	assert.NotContains(t, out, "flag-secret")
	assert.NotContains(t, out, "$TOKEN")
}

// Round 3's attack: start-up listed the control API without numbers and
// webhooks. It names every route the control API serves.
func TestEmulateNamesEveryControlRoute(t *testing.T) {
	e := startEmulate(t, nil)
	out := strings.Join(e.lines, "\n")
	e.wait(t)
	assert.Regexp(t, `control API  http://127\.0\.0\.1:\d+/emulator/inbound, numbers, clock, deliveries, events, webhooks, reset \(JSON\)`, out)
}
