package webhook_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/webhook"
)

// vectors is a copy of the project's shared signature vectors: cases from
// the official Twilio libraries' test suites and Twilio's docs.
type vectorFile struct {
	Vectors []struct {
		ID                string              `json:"id"`
		AuthToken         string              `json:"authToken"`
		URL               string              `json:"url"`
		Params            map[string][]string `json:"params"`
		Body              *string             `json:"body"`
		ExpectedSignature string              `json:"expectedSignature"`
		Valid             bool                `json:"valid"`
	} `json:"vectors"`
}

func TestSignatureVectors(t *testing.T) {
	raw, err := os.ReadFile("testdata/signature-vectors.json")
	require.NoError(t, err)
	var f vectorFile
	require.NoError(t, json.Unmarshal(raw, &f))
	require.NotEmpty(t, f.Vectors)
	for _, v := range f.Vectors {
		t.Run(v.ID, func(t *testing.T) {
			tokens := []string{v.AuthToken}
			var err error
			jsonBody := v.Body != nil && strings.Contains(v.URL, "bodySHA256=")
			if jsonBody {
				err = webhook.VerifyBody(tokens, v.URL, []byte(*v.Body), v.ExpectedSignature)
			} else {
				err = webhook.Verify(tokens, v.URL, url.Values(v.Params), v.ExpectedSignature)
			}
			if v.Valid {
				assert.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.True(t, errors.Is(err, webhook.ErrInvalidSignature) || errors.Is(err, webhook.ErrMissingSignature), "%v", err)
			}
			// With a rotated-out token first, the current one still verifies.
			if v.Valid && !jsonBody {
				err = webhook.Verify([]string{"previous-token", v.AuthToken}, v.URL, url.Values(v.Params), v.ExpectedSignature)
				assert.NoError(t, err)
			}
		})
	}
}

func TestSignDocsExample(t *testing.T) {
	params := url.Values{
		"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+14158675310"}, "Digits": {"1234"},
		"From": {"+14158675310"}, "To": {"+18005551212"},
	}
	sig := webhook.Sign("12345", "https://example.com/myapp.php?foo=1&bar=2", params)
	assert.Equal(t, "L/OH5YylLD5NRKLltdqwSvS0BnU=", sig)
}

func TestVerifyErrors(t *testing.T) {
	u := "https://example.com/oos"
	p := url.Values{"From": {"+14155550100"}}
	sig := webhook.Sign("tok", u, p)
	assert.NoError(t, webhook.Verify([]string{"tok"}, u, p, sig))
	assert.ErrorIs(t, webhook.Verify(nil, u, p, sig), webhook.ErrNoAuthToken)
	assert.ErrorIs(t, webhook.Verify([]string{"tok"}, u, p, ""), webhook.ErrMissingSignature)
	err := webhook.Verify([]string{"other"}, u, p, sig)
	require.ErrorIs(t, err, webhook.ErrInvalidSignature)
	assert.NotContains(t, err.Error(), sig, "no signature in an error text")
	assert.NotContains(t, err.Error(), "other")
	// Port variants: signed without the port, received with it, and back.
	assert.NoError(t, webhook.Verify([]string{"tok"}, "https://example.com:443/oos", p, sig))
	sig8443 := webhook.Sign("tok", "https://example.com:8443/oos", p)
	assert.NoError(t, webhook.Verify([]string{"tok"}, "https://example.com/oos", p, webhook.Sign("tok", "https://example.com:443/oos", p)))
	assert.ErrorIs(t, webhook.Verify([]string{"tok"}, "https://example.com:9443/oos", p, sig8443), webhook.ErrInvalidSignature)
	// Every value of a repeated name is signed.
	p2 := url.Values{"To": {"b", "a", "a"}}
	assert.NoError(t, webhook.Verify([]string{"tok"}, u, url.Values{"To": {"a", "b"}}, webhook.Sign("tok", u, p2)))
	assert.Error(t, webhook.Verify([]string{"tok"}, u, url.Values{"To": {"a"}}, webhook.Sign("tok", u, p2)))
	// A body whose hash does not match fails even with a good URL signature.
	bu := "https://example.com/json?bodySHA256=" + strings.Repeat("0", 64)
	assert.ErrorIs(t, webhook.VerifyBody([]string{"tok"}, bu, []byte("{}"), webhook.Sign("tok", bu, nil)), webhook.ErrInvalidSignature)
}

// A malformed bodySHA256 says what is wrong with it, and is still a 403.
func TestVerifyBodyHash(t *testing.T) {
	body := []byte(`{"event":"x"}`)
	sum := sha256.Sum256(body)
	for _, tt := range []struct{ hash, says string }{
		{base64.StdEncoding.EncodeToString(sum[:]), "base64"},
		{"abc", "not 64 hex digits"},
		{"", "empty"},
		{hex.EncodeToString(make([]byte, 32)), "not the SHA-256 of the body"},
	} {
		u := "https://hooks.example.com/events?bodySHA256=" + url.QueryEscape(tt.hash)
		err := webhook.VerifyBody([]string{token}, u, body, webhook.Sign(token, u, nil))
		assert.ErrorIs(t, err, webhook.ErrBodyHash)
		assert.ErrorIs(t, err, webhook.ErrInvalidSignature, "still a 403")
		assert.Contains(t, err.Error(), tt.says)
	}
	u := "https://hooks.example.com/events?bodySHA256=" + strings.ToUpper(hex.EncodeToString(sum[:]))
	assert.NoError(t, webhook.VerifyBody([]string{token}, u, body, webhook.Sign(token, u, nil)), "hex in capitals is the same hash")
	u = "https://hooks.example.com/events?x=1"
	assert.ErrorIs(t, webhook.VerifyBody([]string{token}, u, body, webhook.Sign(token, u, nil)), webhook.ErrBodyHash, "no bodySHA256 at all")
}

// A check allocates nothing per field: the same few allocations for 10
// fields as for 200, and none at all for a Verifier's keyed HMACs.
func TestVerifyAllocatesNothingPerField(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts under the race detector")
	}
	const u = "https://hooks.example.com/status"
	v := newVerifier(t, &webhook.Options{PublicURL: "https://hooks.example.com"}, token)
	r := httptest.NewRequest(http.MethodPost, u, nil)
	var perCheck []float64
	for _, n := range []int{10, 200} {
		form := url.Values{}
		for i := range n {
			form.Set(fmt.Sprintf("Field%d", i), fmt.Sprintf("+1415555%04d", i))
		}
		sig := webhook.Sign(token, u, form)
		r.Header.Set(webhook.Header, sig)
		body := []byte(form.Encode())
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		fn := testing.AllocsPerRun(50, func() { require.NoError(t, webhook.Verify([]string{token}, u, form, sig)) })
		vf := testing.AllocsPerRun(50, func() { require.NoError(t, v.VerifyForm(r, form)) })
		vb := testing.AllocsPerRun(50, func() { require.NoError(t, v.Verify(r, body)) })
		assert.Zero(t, vf, "VerifyForm, %d fields", n)
		assert.LessOrEqual(t, vb, 1.0, "Verify, %d fields: the body's text", n)
		perCheck = append(perCheck, fn)
	}
	assert.Equal(t, perCheck[0], perCheck[1], "Verify keys one HMAC per check, whatever the fields")
}

// FuzzSignBody: a form body signed as url.ParseQuery reads it (Sign of its
// url.Values) is verified from the body by a Verifier, which parses and
// sorts it its own way; a body url.ParseQuery refuses is a malformed form.
func FuzzSignBody(f *testing.F) {
	f.Add("From=%2B14155550100&To=%2B14155550199&Body=Hi+there&MessageSid=SM1")
	f.Add("a=1&a=0&a=1&b&=c&%41=%42&a=")
	f.Add("To=b&To=a&To=a&T=oa&Toa=")
	f.Add("a=1;b=2&c=%zz")
	v, err := webhook.NewVerifier([]string{token}, nil)
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, body string) {
		const u = "http://example.com/status"
		r := httptest.NewRequest(http.MethodPost, u, nil)
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		params, qerr := url.ParseQuery(body)
		if qerr != nil {
			r.Header.Set(webhook.Header, "x")
			if err := v.Verify(r, []byte(body)); !errors.Is(err, webhook.ErrMalformedForm) {
				t.Fatalf("url.ParseQuery refuses %q (%v), Verify says %v", body, qerr, err)
			}
			return
		}
		r.Header.Set(webhook.Header, webhook.Sign(token, u, params))
		if err := v.Verify(r, []byte(body)); err != nil {
			t.Fatalf("%q: %v", body, err)
		}
		if err := v.VerifyForm(r, params); err != nil {
			t.Fatalf("%q: %v", body, err)
		}
	})
}
