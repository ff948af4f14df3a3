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

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/judge"
)

// cli runs the command with an empty environment.
func cli(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return cliEnv(t, nil, stdin, args...)
}

// cliEnv runs the command with the environment vars, and no other.
func cliEnv(t *testing.T, vars map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	defer fakeEnv(vars)()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// fakeEnv makes vars the whole environment, until the function it returns
// is called.
func fakeEnv(vars map[string]string) (restore func()) {
	saved := lookupEnv
	lookupEnv = func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
	return func() { lookupEnv = saved }
}

func glob(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("../../testdata", pattern))
	require.NoError(t, err)
	require.NotEmpty(t, files, pattern)
	return files
}

func TestValidateTwiMLCorpus(t *testing.T) {
	for _, dir := range []string{"voice", "sms", "both"} {
		for _, f := range glob(t, "twiml/valid/"+dir+"/*.xml") {
			t.Run("valid/"+dir+"/"+filepath.Base(f), func(t *testing.T) {
				code, out, _ := cli(t, "", "validate", f)
				assert.Equal(t, exitOK, code, out)
				assert.Contains(t, out, "valid twiml for")
				if dir != "both" {
					code, out, _ = cli(t, "", "validate", "--channel", dir, f)
					assert.Equal(t, exitOK, code, out)
					other := map[string]string{"voice": "sms", "sms": "voice"}[dir]
					code, out, _ = cli(t, "", "validate", "--channel", other, f)
					assert.Equal(t, exitInvalid, code, "a %s document must fail for %s: %s", dir, other, out)
					assert.Contains(t, out, "wrong-channel")
					assert.Contains(t, out, "/Response/")
				}
			})
		}
	}
	for _, ch := range []string{"voice", "sms"} {
		for _, f := range glob(t, "twiml/invalid/"+ch+"/*.xml") {
			code, _, _ := strings.Cut(filepath.Base(f), "--")
			t.Run("invalid/"+ch+"/"+filepath.Base(f), func(t *testing.T) {
				exit, out, _ := cli(t, "", "validate", "--channel", ch, f)
				assert.Equal(t, exitInvalid, exit, out)
				assert.Contains(t, out, ": "+code+": ")
				assert.Regexp(t, `invalid twiml: Proxy would log (\d+ \([^)]+\), )*80905 \(Unknown Scenario\)(, \d+ \([^)]+\))*\n$`, out)
			})
		}
	}
}

func TestValidateAutoCreateCorpus(t *testing.T) {
	const now = "2026-11-27T00:00:00Z"
	for _, f := range glob(t, "autocreate/valid/*.json") {
		for _, extra := range [][]string{nil, {"--from", "+14155550100"}, {"--channel", "messaging", "--from", "+14155550100"}, {"--channel", "sms"}} {
			args := append(append([]string{"validate", "--now", now}, extra...), f)
			code, out, _ := cli(t, "", args...)
			assert.Equal(t, exitOK, code, "%v: %s", args, out)
		}
	}
	for _, f := range glob(t, "autocreate/invalid/*.json") {
		code, _, _ := strings.Cut(filepath.Base(f), "--")
		exit, out, _ := cli(t, "", "validate", "--content-type", "application/json", "--now", now, f)
		assert.Equal(t, exitInvalid, exit, "%s: %s", f, out)
		assert.Contains(t, out, ": "+code+": ", f)
	}
	for _, f := range glob(t, "autocreate/inbound-voice/*.json") {
		code, _, _ := strings.Cut(filepath.Base(f), "--")
		exit, out, _ := cli(t, "", "validate", "--now", now, f)
		assert.Equal(t, exitOK, exit, "%s is valid without the interaction: %s", f, out)
		exit, out, _ = cli(t, "", "validate", "--now", now, "--channel", "voice", "--from", "+14155550100", f)
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
		{"application/xml; charset=utf-8", twimlDoc, exitOK, "warning /: content-type"},
		{"text/xml", twimlDoc, exitInvalid, "Proxy accepts TwiML only as application/xml"},
		{"text/plain; charset=utf-8", twimlDoc, exitInvalid, "content-type"},
		{"application/json", twimlDoc, exitInvalid, "syntax"},
		{"application/json; charset=latin1", jsonDoc, exitOK, "charset=latin1"},
		{"APPLICATION/XML", twimlDoc, exitOK, "valid twiml for voice"},
		{"nonsense/", jsonDoc, exitInvalid, "cannot be parsed"},
	}
	for _, tt := range tests {
		t.Run(tt.ct, func(t *testing.T) {
			code, out, _ := cli(t, tt.body, "validate", "--content-type", tt.ct, "-")
			assert.Equal(t, tt.exit, code, out)
			assert.Contains(t, out, tt.says)
		})
	}
}

func TestValidateJSONOutput(t *testing.T) {
	code, out, _ := cli(t, `<Response><Say voise="x">Hi</Say></Response>`, "validate", "--json", "--channel", "voice", "-")
	assert.Equal(t, exitInvalid, code)
	var v struct {
		File     string          `json:"file"`
		Valid    bool            `json:"valid"`
		Kind     oosc.AnswerKind `json:"kind"`
		Codes    []oosc.Code     `json:"codes"`
		Problems []oosc.Problem  `json:"problems"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	assert.Equal(t, "-", v.File)
	assert.False(t, v.Valid)
	assert.Equal(t, oosc.TwiMLAnswer, v.Kind)
	assert.Equal(t, []oosc.Code{12200, 80905}, v.Codes)
	require.Len(t, v.Problems, 2, "the problem and the note that the kind was sniffed")
	assert.Equal(t, judge.RuleKindSniffed, v.Problems[0].Rule)
	p := v.Problems[1]
	assert.Equal(t, oosc.Rule("unknown-attribute"), p.Rule)
	assert.Equal(t, "/Response/Say[1]", p.Path)
	assert.Equal(t, "voise", p.Attr)
	assert.Equal(t, oosc.Code(12200), p.Code, "each problem carries its Twilio code as a field")
	assert.Equal(t, 1, strings.Count(out, "\n"), "one line: JSON Lines")

	// A valid answer lists its problems as [], not null; nothing is HTML-escaped.
	code, out, _ = cli(t, `{"participantIdentifier":"+14155550123","uniqueName":"a<b>&c"}`, "validate", "--json", "--content-type", "application/json", "-")
	assert.Equal(t, exitOK, code, out)
	assert.Contains(t, out, `"problems":[]`)
	assert.Contains(t, out, `"codes":[]`)
	assert.NotContains(t, out, `\u003c`)
	code, out, _ = cli(t, `<Response><Say>a &lt; b</Say><Hangup/><Say>x</Say></Response>`, "validate", "--json", "--content-type", "application/xml", "--channel", "voice", "-")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "<Say> is never reached: it follows <Hangup>", "no \\u003c in the messages")
}

// Several files: one verdict each, exit 1 if any is invalid; with --json
// one object per file. The kind comes from the Content-Type or the file's
// extension before the first byte is sniffed.
func TestValidateSeveralFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		f := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(f, []byte(body), 0o644))
		return f
	}
	good := write("good.xml", `<Response><Message>hi</Message></Response>`)
	bad := write("bad.json", `{"participantIdentifier":"+1"}`)
	quoted := write("foobar.xml", `"Foobar"`)
	sniffed := write("answer.txt", `"Foobar"`)

	code, out, _ := cli(t, "", "validate", good, "--channel", "sms")
	assert.Equal(t, exitOK, code, out)
	code, out, _ = cli(t, "", "validate", "--channel", "sms", good, bad)
	assert.Equal(t, exitInvalid, code, "one invalid file fails the run")
	assert.Contains(t, out, good+": valid twiml for sms")
	assert.Contains(t, out, bad+": invalid auto-create")

	code, out, _ = cli(t, "", "validate", "--json", "--channel", "sms", good, bad)
	assert.Equal(t, exitInvalid, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], `"file":"`+good+`","valid":true`)
	assert.Contains(t, lines[1], `"valid":false`)

	_, out, _ = cli(t, "", "validate", quoted)
	assert.Contains(t, out, "malformed-xml", `a .xml file is TwiML, whatever its first byte: "Foobar" is not XML`)
	assert.NotContains(t, out, "kind-sniffed")
	_, out, _ = cli(t, "", "validate", sniffed)
	assert.Contains(t, out, "not-object", "an unknown extension: sniffed as JSON")
	assert.Contains(t, out, "judged as auto-create from the body's first byte", "and it says so")
	_, out, _ = cli(t, "", "validate", "--content-type", "application/xml", sniffed)
	assert.Contains(t, out, "malformed-xml", "--content-type wins over sniffing")

	code, _, errOut := cli(t, "x", "validate", "-", "-")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "standard input")
}

// The CLI conventions: flags after the file, --version, help listing
// every command, required flags, absolute URLs, no doubled labels, and a
// failed verify that says what it tried.
func TestCLIConventions(t *testing.T) {
	doc := filepath.Join(t.TempDir(), "answer.xml")
	require.NoError(t, os.WriteFile(doc, []byte(`<Response><Say>Hi</Say></Response>`), 0o644))
	t.Run("flags after the file", func(t *testing.T) {
		code, out, _ := cli(t, "", "validate", doc, "--channel", "messaging")
		assert.Equal(t, exitInvalid, code, out)
		assert.Contains(t, out, "wrong-channel")
		code, out, _ = cli(t, "", "validate", doc, "--channel", "voice", "--json")
		assert.Equal(t, exitOK, code, out)
		assert.Contains(t, out, `"valid":true`)
		code, out, _ = cli(t, "", "sign", "CallSid=CA1", "--url", "https://x.example/a", "--auth-token", "t")
		assert.Equal(t, exitOK, code)
		code2, out2, _ := cli(t, "", "sign", "--auth-token", "t", "--url", "https://x.example/a", "CallSid=CA1")
		assert.Equal(t, code2, code)
		assert.Equal(t, out2, out)
	})
	t.Run("--version", func(t *testing.T) {
		code, out, _ := cli(t, "", "--version")
		assert.Equal(t, exitOK, code)
		assert.Regexp(t, `^oosc v\d+\.\d+\.\d+\S*( \((revision [0-9a-f]{12}|from source: the build stamped no)[^)]*\))?\n$`, out)
		assert.NotContains(t, out, "(devel)", "the version is named")
	})
	t.Run("help lists every command", func(t *testing.T) {
		code, out, _ := cli(t, "", "help")
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
			code, _, errOut := cli(t, "", args...)
			assert.Equal(t, exitUsage, code, "%v", args)
			assert.Contains(t, errOut, "--", "%v", args)
		}
		_, _, errOut := cli(t, "", "verify", "--auth-token", "t", "--url", "https://x.example/a")
		assert.Contains(t, errOut, "--signature required")
	})
	t.Run("URLs must be absolute http(s)", func(t *testing.T) {
		for _, u := range []string{"x.example/a", "/out-of-session", "ftp://x.example/a", "https://"} {
			code, _, errOut := cli(t, "", "sign", "--auth-token", "t", "--url", u)
			assert.Equal(t, exitUsage, code, u)
			assert.Contains(t, errOut, "absolute http(s) URL", u)
			code, _, _ = cli(t, "", "verify", "--auth-token", "t", "--url", u, "--signature", "x")
			assert.Equal(t, exitUsage, code, u)
		}
	})
	t.Run("no doubled labels", func(t *testing.T) {
		_, out, _ := cli(t, `<Response/>`, "validate", "--content-type", "text/xml", "-")
		assert.Contains(t, out, "error /: content-type: ")
		assert.NotContains(t, out, "content-type: content-type:")
	})
	t.Run("a failed verify says what it tried, never the expected signature", func(t *testing.T) {
		u := "https://x.example/a?b=1"
		_, good, _ := cli(t, "", "sign", "--auth-token", "right", "--url", u, "CallSid=CA1")
		code, out, _ := cli(t, "", "verify", "--auth-token", "wrong", "--auth-token", "other", "--url", u, "--signature", "forged=", "CallSid=CA1")
		assert.Equal(t, exitInvalid, code)
		assert.Contains(t, out, "https://x.example/a?b=1 and https://x.example:443/a?b=1")
		assert.Contains(t, out, "2 auth tokens")
		assert.NotContains(t, out, strings.TrimSpace(good))
		assert.NotContains(t, out, "wrong")
	})
}

func TestValidateNoChannelReportsBoth(t *testing.T) {
	code, out, _ := cli(t, `<Response><Say>Hi</Say><Message>x</Message></Response>`, "validate", "-")
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, out, "voice: error /Response/Message[1]")
	assert.Contains(t, out, "sms: error /Response/Say[1]")
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
		{[]string{"validate", "--channel", "fax", "a.xml"}, exitUsage},
		{[]string{"validate", filepath.Join(t.TempDir(), "missing.xml")}, exitUsage},
	}
	for _, tt := range tests {
		code, _, _ := cli(t, "", tt.args...)
		assert.Equal(t, tt.exit, code, "%v", tt.args)
	}
	big := filepath.Join(t.TempDir(), "big.xml")
	require.NoError(t, os.WriteFile(big, bytes.Repeat([]byte("x"), maxInput+1), 0o644))
	code, _, errOut := cli(t, "", "validate", big)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "larger than")
}
