package conformance_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/emulator"
)

// twilioNode is the version of Twilio's Node.js helper library the test
// installs with npm.
const twilioNode = "twilio@6.3.1"

// nodeFlow is an application's Proxy calls through twilio-node, pointed at
// the emulator as the README shows (client.proxy.baseUrl); it prints what
// it got as one JSON object.
const nodeFlow = `
const twilio = require("twilio");
const client = twilio(process.env.ACCOUNT_SID, process.env.AUTH_TOKEN);
client.proxy.baseUrl = process.env.PROXY_BASE_URL;
const proxy = client.proxy.v1;
(async () => {
  const svc = await proxy.services.create({ uniqueName: "rides", defaultTtl: 3600 });
  const number = await proxy.services(svc.sid).phoneNumbers.create({ phoneNumber: "+14155550100" });
  const session = await proxy.services(svc.sid).sessions.create({
    uniqueName: "ride-1",
    participants: [{ Identifier: "+19515550101" }, { Identifier: "+17075550102", FriendlyName: "driver" }],
  });
  const parts = await proxy.services(svc.sid).sessions(session.sid).participants.list();
  const driver = parts[1];
  const message = await proxy.services(svc.sid).sessions(session.sid).participants(driver.sid)
    .messageInteractions.create({ body: "Your rider is waiting" });
  const messages = await proxy.services(svc.sid).sessions(session.sid).participants(driver.sid).messageInteractions.list();
  const fetched = await proxy.services("rides").fetch();
  const closed = await proxy.services(svc.sid).sessions(session.sid).update({ status: "closed" });
  const sessions = [];
  await proxy.services(svc.sid).sessions.each({ pageSize: 1 }, (s) => sessions.push(s.uniqueName));
  let refused = null;
  try {
    await proxy.services(svc.sid).sessions("ride-1").update({ ttl: 60 });
  } catch (e) {
    refused = { status: e.status, code: e.code };
  }
  const removed = await proxy.services(svc.sid).sessions(session.sid).participants(driver.sid).remove();
  console.log(JSON.stringify({
    service: svc.sid, fetchedByName: fetched.sid, isoCountry: number.isoCountry, session: session.sid,
    participants: parts.map((p) => p.identifier), driverProxy: driver.proxyIdentifier,
    message: message.sid, messages: messages.map((m) => m.sid), closed: closed.status, sessions, refused, removed,
  }));
})().catch((e) => { console.error(e); process.exit(1); });
`

// TestTwilioNode runs an application's Proxy calls through Twilio's
// Node.js helper library, unchanged but for its Proxy domain's base URL,
// against the emulator, and checks what it got against the emulator's
// state. npm installs the pinned library into a temporary directory;
// without npm or Node.js the test is skipped, except on CI (CI set).
func TestTwilioNode(t *testing.T) {
	node, npm := tool(t, "node"), tool(t, "npm")
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"private": true}`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "flow.js"), []byte(nodeFlow), 0o644))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	install := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-save", "--silent", twilioNode)
	install.Dir = dir
	install.Env = append(os.Environ(), "npm_config_update_notifier=false")
	out, err := install.CombinedOutput()
	require.NoError(t, err, "npm install %s: %s", twilioNode, out)

	p := emulator.New(&emulator.Options{AccountSid: account, AuthToken: token, Start: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)})
	t.Cleanup(p.Close)
	srv := httptest.NewServer(emulator.NewServer(p, nil))
	t.Cleanup(srv.Close)

	run := exec.CommandContext(ctx, node, "flow.js")
	run.Dir = dir
	run.Env = append(os.Environ(), "ACCOUNT_SID="+account, "AUTH_TOKEN="+token, "PROXY_BASE_URL="+srv.URL)
	stdout, err := run.Output()
	var stderr []byte
	if ee, ok := err.(*exec.ExitError); ok {
		stderr = ee.Stderr
	}
	require.NoError(t, err, "node flow.js: %s", stderr)
	var got struct {
		Service, FetchedByName, IsoCountry, Session, DriverProxy, Message, Closed string
		Participants, Messages, Sessions                                          []string
		Refused                                                                   *struct{ Status, Code int }
		Removed                                                                   bool
	}
	require.NoError(t, json.Unmarshal(stdout, &got), "%s", stdout)

	svcs := p.Services()
	require.Len(t, svcs, 1)
	assert.Equal(t, svcs[0].Sid, got.Service)
	assert.Equal(t, got.Service, got.FetchedByName, "fetch by unique name")
	assert.Equal(t, "US", got.IsoCountry)
	sess, err := p.Session(got.Service, "ride-1")
	require.NoError(t, err)
	assert.Equal(t, sess.Sid, got.Session)
	assert.Equal(t, []string{"+19515550101", "+17075550102"}, got.Participants)
	assert.Equal(t, "+14155550100", got.DriverProxy)
	assert.Equal(t, []string{got.Message}, got.Messages, "the Message Interactions' list is not empty")
	assert.Equal(t, "closed", got.Closed)
	assert.Equal(t, []string{"ride-1"}, got.Sessions, "each() pages through the list")
	require.NotNil(t, got.Refused, "an update by unique name is refused")
	assert.Equal(t, http.StatusNotFound, got.Refused.Status)
	assert.Equal(t, 20404, got.Refused.Code)
	assert.True(t, got.Removed, "twilio-node's remove() is true for any 2xx: Participant delete answers 200, as Twilio's OpenAPI says")
	parts, err := p.Participants(got.Service, got.Session)
	require.NoError(t, err)
	assert.False(t, parts[1].Deleted.IsZero(), "the driver was removed")
}

// tool returns the path of a command, or skips the test when it is not
// on PATH, except on CI, where it fails.
func tool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set, and %s is not on PATH: this test must run on CI", name)
	}
	t.Skipf("skipped: %s is not on PATH (install Node.js and npm to run twilio-node against the emulator)", name)
	return ""
}
