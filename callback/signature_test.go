package callback_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/callback"
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
				err = callback.VerifySignatureBody(tokens, v.URL, []byte(*v.Body), v.ExpectedSignature)
			} else {
				err = callback.VerifySignature(tokens, v.URL, url.Values(v.Params), v.ExpectedSignature)
			}
			if v.Valid {
				assert.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.True(t, errors.Is(err, callback.ErrInvalidSignature) || errors.Is(err, callback.ErrMissingSignature), "%v", err)
			}
			// With a rotated-out token first, the current one still verifies.
			if v.Valid && !jsonBody {
				err = callback.VerifySignature([]string{"previous-token", v.AuthToken}, v.URL, url.Values(v.Params), v.ExpectedSignature)
				assert.NoError(t, err)
			}
		})
	}
}

func TestSignatureDocsExample(t *testing.T) {
	params := url.Values{
		"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+14158675310"}, "Digits": {"1234"},
		"From": {"+14158675310"}, "To": {"+18005551212"},
	}
	sig := callback.Signature("12345", "https://example.com/myapp.php?foo=1&bar=2", params)
	assert.Equal(t, "L/OH5YylLD5NRKLltdqwSvS0BnU=", sig)
}

func TestVerifySignatureErrors(t *testing.T) {
	u := "https://example.com/oos"
	p := url.Values{"From": {"+14155550100"}}
	sig := callback.Signature("tok", u, p)
	assert.NoError(t, callback.VerifySignature([]string{"tok"}, u, p, sig))
	assert.ErrorIs(t, callback.VerifySignature(nil, u, p, sig), callback.ErrNoAuthToken)
	assert.ErrorIs(t, callback.VerifySignature([]string{"tok"}, u, p, ""), callback.ErrMissingSignature)
	err := callback.VerifySignature([]string{"other"}, u, p, sig)
	require.ErrorIs(t, err, callback.ErrInvalidSignature)
	assert.NotContains(t, err.Error(), sig, "no signature in an error text")
	assert.NotContains(t, err.Error(), "other")
	// Port variants: signed without the port, received with it, and back.
	assert.NoError(t, callback.VerifySignature([]string{"tok"}, "https://example.com:443/oos", p, sig))
	sig8443 := callback.Signature("tok", "https://example.com:8443/oos", p)
	assert.NoError(t, callback.VerifySignature([]string{"tok"}, "https://example.com/oos", p, callback.Signature("tok", "https://example.com:443/oos", p)))
	assert.ErrorIs(t, callback.VerifySignature([]string{"tok"}, "https://example.com:9443/oos", p, sig8443), callback.ErrInvalidSignature)
	// Every value of a repeated name is signed.
	p2 := url.Values{"To": {"b", "a", "a"}}
	assert.NoError(t, callback.VerifySignature([]string{"tok"}, u, url.Values{"To": {"a", "b"}}, callback.Signature("tok", u, p2)))
	assert.Error(t, callback.VerifySignature([]string{"tok"}, u, url.Values{"To": {"a"}}, callback.Signature("tok", u, p2)))
	// A body whose hash does not match fails even with a good URL signature.
	bu := "https://example.com/json?bodySHA256=" + strings.Repeat("0", 64)
	assert.ErrorIs(t, callback.VerifySignatureBody([]string{"tok"}, bu, []byte("{}"), callback.Signature("tok", bu, nil)), callback.ErrInvalidSignature)
}
