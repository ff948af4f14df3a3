package emulator_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/emulator"
)

// A restored emulator goes on exactly where the saved one stopped: the
// same views, and the same results for what follows (sticky numbers,
// expiry, routing, the SID counter).
func TestSaveAndRestoreState(t *testing.T) {
	build := func() *emulator.Proxy {
		e := newEmu(t, nil, func(c *emulator.ServiceConfig, _ *emulator.Proxy) { c.DefaultTTL = time.Hour }, nil)
		_, err := e.create(ride("ride-1", "", 0))
		require.NoError(t, err)
		_, err = e.create(emulator.NewSession{UniqueName: "ride-2", Participants: []emulator.NewParticipant{{Identifier: stranger}, {Identifier: driver}}})
		require.NoError(t, err)
		_, err = e.Inbound(context.Background(), svc, oosc.Inbound{Channel: oosc.SMS, From: rider, To: pn1, Body: "hi"})
		require.NoError(t, err)
		require.NoError(t, e.CloseSession(svc, "ride-1"))
		parts, _ := e.Participants(svc, "ride-2")
		require.NoError(t, e.RemoveParticipant(svc, "ride-2", parts[0].Sid))
		require.NoError(t, e.RemoveNumber(svc, pn2))
		_, err = e.Advance(t0.Add(30 * time.Minute))
		require.NoError(t, err)
		return e.Proxy
	}
	orig := build()
	var saved bytes.Buffer
	require.NoError(t, orig.SaveState(&saved))

	restored := emulator.New(&emulator.Options{Start: t0})
	defer restored.Close()
	require.NoError(t, restored.RestoreState(bytes.NewReader(saved.Bytes())))
	assert.Equal(t, state(t, orig), state(t, restored))
	var again bytes.Buffer
	require.NoError(t, restored.SaveState(&again))
	assert.Equal(t, saved.String(), again.String(), "save, restore, save gives the same file")

	// What follows happens alike in both.
	for _, p := range []*emulator.Proxy{orig, restored} {
		_, err := p.CreateSession(svc, emulator.NewSession{UniqueName: "ride-3", Participants: []emulator.NewParticipant{{Identifier: rider}, {Identifier: driver}}})
		require.NoError(t, err)
		_, err = p.Advance(t0.Add(3 * time.Hour))
		require.NoError(t, err)
	}
	assert.Equal(t, state(t, orig), state(t, restored))
}

// A state file of another account or format is refused, and the state
// stays as it was.
func TestRestoreStateRefuses(t *testing.T) {
	p := emulator.New(nil)
	_, err := p.CreateService(emulator.ServiceConfig{UniqueName: "keep"})
	require.NoError(t, err)
	before := state(t, p)
	other := emulator.New(&emulator.Options{AccountSid: "AC00000000000000000000000000000099"})
	var b bytes.Buffer
	require.NoError(t, other.SaveState(&b))
	for _, bad := range []string{b.String(), "{}", "not json", `{"version":1,"accountSid":"AC00000000000000000000000000000001","services":[{"sid":"KS1"},{"sid":"KS1"}]}`} {
		assert.Error(t, p.RestoreState(strings.NewReader(bad)), bad)
		assert.Equal(t, before, state(t, p))
	}
}

var _ = autocreate.MessageOnly
