package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/judge"
)

func oosc(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func glob(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("../../testdata", pattern))
	require.NoError(t, err)
	require.NotEmpty(t, files, pattern)
	return files
}

func TestValidateTwiMLCorpus(t *testing.T) {
	for _, dir := range []string{"voice", "messaging", "both"} {
		for _, f := range glob(t, "twiml/valid/"+dir+"/*.xml") {
			t.Run("valid/"+dir+"/"+filepath.Base(f), func(t *testing.T) {
				code, out, _ := oosc(t, "", "validate", f)
				assert.Equal(t, exitOK, code, out)
				assert.Contains(t, out, "valid twiml for")
				if dir != "both" {
					code, out, _ = oosc(t, "", "validate", "--channel", dir, f)
					assert.Equal(t, exitOK, code, out)
					other := map[string]string{"voice": "messaging", "messaging": "voice"}[dir]
					code, out, _ = oosc(t, "", "validate", "--channel", other, f)
					assert.Equal(t, exitInvalid, code, "a %s document must fail for %s: %s", dir, other, out)
					assert.Contains(t, out, "wrong-channel")
					assert.Contains(t, out, "/Response/")
				}
			})
		}
	}
	for _, ch := range []string{"voice", "messaging"} {
		for _, f := range glob(t, "twiml/invalid/"+ch+"/*.xml") {
			code, _, _ := strings.Cut(filepath.Base(f), "--")
			t.Run("invalid/"+ch+"/"+filepath.Base(f), func(t *testing.T) {
				exit, out, _ := oosc(t, "", "validate", "--channel", ch, f)
				assert.Equal(t, exitInvalid, exit, out)
				assert.Contains(t, out, ": "+code+": ")
				assert.Regexp(t, `invalid twiml: Proxy would log (\d+, )*80905(, \d+)*\n$`, out)
			})
		}
	}
}

func TestValidateAutoCreateCorpus(t *testing.T) {
	const now = "2026-11-27T00:00:00Z"
	for _, f := range glob(t, "autocreate/valid/*.json") {
		for _, extra := range [][]string{nil, {"--from", "+14155550100"}, {"--channel", "messaging", "--from", "+14155550100"}} {
			args := append(append([]string{"validate", "--now", now}, extra...), f)
			code, out, _ := oosc(t, "", args...)
			assert.Equal(t, exitOK, code, "%v: %s", args, out)
		}
	}
	for _, f := range glob(t, "autocreate/invalid/*.json") {
		code, _, _ := strings.Cut(filepath.Base(f), "--")
		exit, out, _ := oosc(t, "", "validate", "--content-type", "application/json", "--now", now, f)
		assert.Equal(t, exitInvalid, exit, "%s: %s", f, out)
		assert.Contains(t, out, ": "+code+": ", f)
	}
	for _, f := range glob(t, "autocreate/inbound-voice/*.json") {
		code, _, _ := strings.Cut(filepath.Base(f), "--")
		exit, out, _ := oosc(t, "", "validate", "--now", now, f)
		assert.Equal(t, exitOK, exit, "%s is valid without the interaction: %s", f, out)
		exit, out, _ = oosc(t, "", "validate", "--now", now, "--channel", "voice", "--from", "+14155550100", f)
		assert.Equal(t, exitInvalid, exit, "%s: %s", f, out)
		assert.Contains(t, out, ": "+code+": ")
		assert.Regexp(t, `error (mode|participantIdentifier): `, out, "the line names the field")
	}
}

func TestValidateContentType(t *testing.T) {
	twimlDoc := `<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hi</Say></Response>`
	jsonDoc := `{"participantIdentifier":"+14155550123"}`
	tests := []struct {
		ct, body string
		exit     int
		says     string
	}{
		{"application/xml", twimlDoc, exitOK, "valid twiml for voice"},
		{"application/json", jsonDoc, exitOK, "valid auto-create"},
		{"application/json; charset=utf-8", jsonDoc, exitOK, "valid auto-create"},
		{"application/xml; charset=utf-8", twimlDoc, exitOK, "warning: content-type"},
		{"text/xml", twimlDoc, exitInvalid, "Proxy accepts TwiML only as application/xml"},
		{"text/plain; charset=utf-8", twimlDoc, exitInvalid, "content-type"},
		{"application/json", twimlDoc, exitInvalid, "syntax"},
		{"application/json; charset=latin1", jsonDoc, exitOK, "charset=latin1"},
		{"APPLICATION/XML", twimlDoc, exitOK, "valid twiml for voice"},
		{"nonsense/", jsonDoc, exitInvalid, "cannot be parsed"},
	}
	for _, tt := range tests {
		t.Run(tt.ct, func(t *testing.T) {
			code, out, _ := oosc(t, tt.body, "validate", "--content-type", tt.ct, "-")
			assert.Equal(t, tt.exit, code, out)
			assert.Contains(t, out, tt.says)
		})
	}
}

func TestValidateJSONOutput(t *testing.T) {
	code, out, _ := oosc(t, `<Response><Say voise="x">Hi</Say></Response>`, "validate", "--json", "--channel", "voice", "-")
	assert.Equal(t, exitInvalid, code)
	var v judge.Verdict
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	assert.False(t, v.Valid)
	assert.Equal(t, judge.TwiML, v.Kind)
	assert.Equal(t, []int{12200, 80905}, v.TwilioErrors)
	require.Len(t, v.Problems, 1)
	assert.Equal(t, "unknown-attribute", v.Problems[0].Code)
	assert.Equal(t, "/Response/Say[1]", v.Problems[0].Path)
	assert.Equal(t, "voise", v.Problems[0].Attr)
	assert.Equal(t, 12200, v.Problems[0].TwilioError)
	for _, key := range []string{`"path"`, `"attr"`, `"code"`, `"severity"`, `"message"`} {
		assert.Contains(t, out, key, "the library's problem field names")
	}

	// A valid answer lists its problems as [], not null.
	code, out, _ = oosc(t, `{"participantIdentifier":"+14155550123"}`, "validate", "--json", "-")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, `"problems": []`)
	assert.Contains(t, out, `"twilioErrors": []`)
	var raw map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	assert.Equal(t, "auto-create", raw["kind"])
}

// The CLI conventions: flags after the file, --version, help listing
// every command, required flags, absolute URLs, no doubled labels, and a
// failed verify that says what it tried.
func TestCLIConventions(t *testing.T) {
	doc := filepath.Join(t.TempDir(), "answer.xml")
	require.NoError(t, os.WriteFile(doc, []byte(`<Response><Say>Hi</Say></Response>`), 0o644))
	t.Run("flags after the file", func(t *testing.T) {
		code, out, _ := oosc(t, "", "validate", doc, "--channel", "messaging")
		assert.Equal(t, exitInvalid, code, out)
		assert.Contains(t, out, "wrong-channel")
		code, out, _ = oosc(t, "", "validate", doc, "--channel", "voice", "--json")
		assert.Equal(t, exitOK, code, out)
		assert.Contains(t, out, `"valid": true`)
		code, out, _ = oosc(t, "", "sign", "CallSid=CA1", "--url", "https://x.example/a", "--auth-token", "t")
		assert.Equal(t, exitOK, code)
		code2, out2, _ := oosc(t, "", "sign", "--auth-token", "t", "--url", "https://x.example/a", "CallSid=CA1")
		assert.Equal(t, code2, code)
		assert.Equal(t, out2, out)
	})
	t.Run("--version", func(t *testing.T) {
		code, out, _ := oosc(t, "", "--version")
		assert.Equal(t, exitOK, code)
		assert.Regexp(t, `^oosc (v\d+\.\d+\.\d+\S*|\(devel\))\n$`, out)
	})
	t.Run("help lists every command", func(t *testing.T) {
		code, out, _ := oosc(t, "", "help")
		assert.Equal(t, exitOK, code)
		for _, c := range commands {
			assert.Regexp(t, `(?m)^  `+c.name+` +\S.*$`, out)
		}
	})
	t.Run("a missing required flag is a usage error", func(t *testing.T) {
		for _, args := range [][]string{
			{"verify", "--auth-token", "t", "--url", "https://x.example/a", "CallSid=CA1"},
			{"verify", "--url", "https://x.example/a", "--signature", "abc"},
			{"sign", "--url", "https://x.example/a"},
			{"sign", "--auth-token", "", "--url", "https://x.example/a"},
		} {
			code, _, errOut := oosc(t, "", args...)
			assert.Equal(t, exitUsage, code, "%v", args)
			assert.Contains(t, errOut, "--", "%v", args)
		}
		_, _, errOut := oosc(t, "", "verify", "--auth-token", "t", "--url", "https://x.example/a")
		assert.Contains(t, errOut, "--signature required")
	})
	t.Run("URLs must be absolute http(s)", func(t *testing.T) {
		for _, u := range []string{"x.example/a", "/out-of-session", "ftp://x.example/a", "https://"} {
			code, _, errOut := oosc(t, "", "sign", "--auth-token", "t", "--url", u)
			assert.Equal(t, exitUsage, code, u)
			assert.Contains(t, errOut, "absolute http(s) URL", u)
			code, _, _ = oosc(t, "", "verify", "--auth-token", "t", "--url", u, "--signature", "x")
			assert.Equal(t, exitUsage, code, u)
		}
	})
	t.Run("no doubled labels", func(t *testing.T) {
		_, out, _ := oosc(t, `<Response/>`, "validate", "--content-type", "text/xml", "-")
		assert.Contains(t, out, "error: content-type: ")
		assert.NotContains(t, out, "content-type: content-type:")
	})
	t.Run("a failed verify says what it tried, never the expected signature", func(t *testing.T) {
		u := "https://x.example/a?b=1"
		_, good, _ := oosc(t, "", "sign", "--auth-token", "right", "--url", u, "CallSid=CA1")
		code, out, _ := oosc(t, "", "verify", "--auth-token", "wrong", "--auth-token", "other", "--url", u, "--signature", "forged=", "CallSid=CA1")
		assert.Equal(t, exitInvalid, code)
		assert.Contains(t, out, "https://x.example/a?b=1 and https://x.example:443/a?b=1")
		assert.Contains(t, out, "2 auth tokens")
		assert.NotContains(t, out, strings.TrimSpace(good))
		assert.NotContains(t, out, "wrong")
	})
}

func TestValidateNoChannelReportsBoth(t *testing.T) {
	code, out, _ := oosc(t, `<Response><Say>Hi</Say><Message>x</Message></Response>`, "validate", "-")
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, out, "voice: error /Response/Message[1]")
	assert.Contains(t, out, "messaging: error /Response/Say[1]")
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		exit int
	}{
		{nil, exitUsage},
		{[]string{"nope"}, exitUsage},
		{[]string{"--help"}, exitOK},
		{[]string{"validate"}, exitUsage},
		{[]string{"validate", "--help"}, exitOK},
		{[]string{"validate", "--channel", "fax", "-"}, exitUsage},
		{[]string{"validate", "--now", "yesterday", "-"}, exitUsage},
		{[]string{"validate", "a.xml", "b.xml"}, exitUsage},
		{[]string{"validate", filepath.Join(t.TempDir(), "missing.xml")}, exitUsage},
	}
	for _, tt := range tests {
		code, _, _ := oosc(t, "", tt.args...)
		assert.Equal(t, tt.exit, code, "%v", tt.args)
	}
	big := filepath.Join(t.TempDir(), "big.xml")
	require.NoError(t, os.WriteFile(big, bytes.Repeat([]byte("x"), maxInput+1), 0o644))
	code, _, errOut := oosc(t, "", "validate", big)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "larger than")
}
