package main

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSignDocsExample(t *testing.T) {
	args := []string{"sign", "--auth-token", "12345", "--url", "https://example.com/myapp.php?foo=1&bar=2",
		"CallSid=CA1234567890ABCDE", "Caller=+14158675310", "Digits=1234", "From=+14158675310", "To=+18005551212"}
	code, out, _ := cli(t, "", args...)
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "L/OH5YylLD5NRKLltdqwSvS0BnU=\n", out)

	// The same parameters as a body; '+' in a form body is a space, so encode it.
	code, out, _ = cli(t, "", "sign", "--auth-token", "12345", "--url", "https://example.com/myapp.php?foo=1&bar=2",
		"--body", "CallSid=CA1234567890ABCDE&Caller=%2B14158675310&Digits=1234&From=%2B14158675310&To=%2B18005551212")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "L/OH5YylLD5NRKLltdqwSvS0BnU=\n", out)
}

func TestSignUsage(t *testing.T) {
	for _, args := range [][]string{
		{"sign"},
		{"sign", "--url", "https://x"},
		{"sign", "--auth-token", "t", "--url", "https://x", "novalue"},
		{"sign", "--auth-token", "t", "--url", "https://x", "--body", "a=1", "b=2"},
		{"sign", "--auth-token", "t", "--url", "https://x", "--body", "a=%zz"},
		{"verify", "--url", "https://x"},
		{"verify", "--auth-token", "t", "--url", "https://x?bodySHA256=00", "a=1"},
	} {
		code, _, _ := cli(t, "", args...)
		assert.Equal(t, exitUsage, code, "%v", args)
	}
	code, _, _ := cli(t, "", "sign", "--auth-token", "t", "--url", "https://x", "Empty=", "Eq=a=b", "Eq=c")
	assert.Equal(t, exitOK, code)
}

// Every case of the shared vectors is judged right by oosc verify.
func TestVerifyVectors(t *testing.T) {
	raw, err := os.ReadFile("../../webhook/testdata/signature-vectors.json")
	require.NoError(t, err)
	var f struct {
		Vectors []struct {
			ID, AuthToken, URL, ExpectedSignature string
			Params                                map[string][]string
			Body                                  *string
			Valid                                 bool
		}
	}
	require.NoError(t, json.Unmarshal(raw, &f))
	require.NotEmpty(t, f.Vectors)
	for _, v := range f.Vectors {
		t.Run(v.ID, func(t *testing.T) {
			args := []string{"verify", "--auth-token", "previous-token", "--auth-token", v.AuthToken, "--url", v.URL, "--signature", v.ExpectedSignature}
			if v.Body != nil && strings.Contains(v.URL, "bodySHA256=") {
				args = append(args, "--body", *v.Body)
			} else {
				names := make([]string, 0, len(v.Params))
				for n := range v.Params {
					names = append(names, n)
				}
				sort.Strings(names)
				for _, n := range names {
					for _, val := range v.Params[n] {
						args = append(args, n+"="+val)
					}
				}
			}
			code, out, errOut := cli(t, "", args...)
			if v.Valid {
				assert.Equal(t, exitOK, code, "%s %s", out, errOut)
				assert.Equal(t, "valid\n", out)
			} else {
				assert.Equal(t, exitInvalid, code, "%s %s", out, errOut)
				assert.NotContains(t, out, v.AuthToken+"\n")
			}
		})
	}
}

// bodySHA256 is matched by its exact name, and a base64 hash is named as
// the problem rather than an invalid signature.
func TestVerifyBodyHashName(t *testing.T) {
	u := "https://hooks.example.com/status?notbodySHA256=1"
	_, sig, _ := cli(t, "", "sign", "--auth-token", "tok", "--url", u, "CallSid=CA1")
	code, out, errOut := cli(t, "", "verify", "--auth-token", "tok", "--url", u, "--signature", strings.TrimSpace(sig), "CallSid=CA1")
	assert.Equal(t, exitOK, code, "%s %s", out, errOut)

	// {"a":1}: its SHA-256 in base64, as a 2018-era library wrote it.
	u = "https://hooks.example.com/events?bodySHA256=" + "Aq3PrFs34B0MKRn%2FjjHqMTQHWpnGAszkMCbcAnSoWwU%3D"
	_, sig, _ = cli(t, "", "sign", "--auth-token", "tok", "--url", u)
	code, out, _ = cli(t, "", "verify", "--auth-token", "tok", "--url", u, "--signature", strings.TrimSpace(sig), "--body", `{"a":1}`)
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, out, "base64")
	assert.Contains(t, out, "64 hex digits")
}
