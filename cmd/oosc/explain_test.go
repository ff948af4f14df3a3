package main

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/callback/callbacktest"
)

// debuggerLine is one line of Debugger webhook parameters, as JSON.
func debuggerLine(t *testing.T, payload map[string]any) string {
	t.Helper()
	p, err := json.Marshal(payload)
	require.NoError(t, err)
	b, err := json.Marshal(map[string]string{"Sid": "NO1", "AccountSid": "AC1", "Timestamp": "2026-11-30T10:00:00Z",
		"Level": "WARNING", "PayloadType": "application/json", "Payload": string(p)})
	require.NoError(t, err)
	return string(b)
}

func TestExplainJSONLines(t *testing.T) {
	req := callbacktest.Message("+19515550101", "+14155550100", "my bag?").Form()
	params := map[string]string{}
	for k := range req {
		params[k] = req.Get(k)
	}
	input := strings.Join([]string{
		debuggerLine(t, map[string]any{"error_code": "80905", "resource_sid": "SM1", "webhook": map[string]any{
			"request":  map[string]any{"url": "https://hooks.example.com/oos", "method": "POST", "parameters": params},
			"response": map[string]any{"status_code": 200, "headers": map[string]string{"Content-Type": "application/json"}, "body": `{"participantIdentifier":"+19515550101"}`},
		}}),
		debuggerLine(t, map[string]any{"error_code": 80904}),
		`not json`,
		debuggerLine(t, map[string]any{"error_code": 80905}),
	}, "\n")

	code, out, errOut := cli(t, input, "explain", "-")
	assert.Equal(t, exitUsage, code, "a line that cannot be read")
	assert.Contains(t, errOut, "line 3")
	first := strings.Index(out, "line 1 2026-11-30T10:00:00Z 80905 Unknown Scenario, cause 1 and 4 of 80905")
	second := strings.Index(out, "line 2 2026-11-30T10:00:00Z 80904 Expired Proxy Session, cause 2 of 80905")
	fourth := strings.Index(out, "line 4 2026-11-30T10:00:00Z 80905 Unknown Scenario, cause 3 of 80905 (the event cannot settle the cause)")
	require.True(t, first >= 0 && second > first && fourth > second, "in input order:\n%s", out)
	assert.Contains(t, out, "sender-as-participant")
	assert.NotContains(t, out, "+19515550101", "phone numbers masked")

	code, out, _ = cli(t, input, "explain", "--json", "--phone-numbers", "-")
	assert.Equal(t, exitUsage, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3)
	var x struct {
		At       string                  `json:"at"`
		Code     int                     `json:"code"`
		Causes   []struct{ Number int }  `json:"causes"`
		Settled  bool                    `json:"settled"`
		Summary  string                  `json:"summary"`
		Problems []struct{ Rule string } `json:"problems"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &x))
	assert.Equal(t, "line 1", x.At)
	assert.Equal(t, 80905, x.Code)
	assert.True(t, x.Settled)
	assert.Equal(t, "sender-as-participant", x.Problems[0].Rule)
	assert.Contains(t, lines[0], "+19515550101", "--phone-numbers shows them")
}

func TestExplainAlertsPage(t *testing.T) {
	vars := url.Values{"CallSid": {"CA1"}, "From": {"+19515550101"}, "To": {"+14155550100"}}
	page, _ := json.Marshal(map[string]any{"alerts": []map[string]any{
		{"sid": "NO1", "error_code": "80905", "log_level": "warning", "alert_text": "Msg=Unknown+Scenario",
			"request_url": "https://hooks.example.com/oos", "request_variables": vars.Encode(),
			"response_body": "<Response><Say>Bye</Say></Response>", "response_headers": "Content-Type=text%2Fxml"},
		{"sid": "NO2", "error_code": "80603", "log_level": "error"},
	}})
	code, out, errOut := cli(t, string(page), "explain", "-")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "alert 1 80905 Unknown Scenario, cause 1 and 4 of 80905")
	assert.Contains(t, out, "application/xml")
	assert.Contains(t, out, "alert 2 80603")
}
