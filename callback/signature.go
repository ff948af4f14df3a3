// This file holds the X-Twilio-Signature algorithm as plain functions, usable
// without the handler: compute a signature, and verify one against several
// auth tokens and the URL variants Twilio may have signed.

package callback

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
)

// SignatureHeader is the header Twilio signs its webhook requests with.
const SignatureHeader = "X-Twilio-Signature"

// Signature computes the X-Twilio-Signature of a request to rawURL (exactly
// as Twilio called it: scheme, host, path and query, not re-encoded) with
// the form parameters params (the body only, never the query). Parameter
// names are taken in byte order; the values of a repeated name are sorted
// and de-duplicated; each is appended as name+value. The result is the
// base64 HMAC-SHA1 of that string keyed with the auth token.
func Signature(authToken, rawURL string, params url.Values) string {
	return sign(authToken, rawURL, signedForm(fieldsOf(params)))
}

// sign returns the base64 HMAC-SHA1 of rawURL and the signed form.
func sign(authToken, rawURL string, form []byte) string {
	return base64.StdEncoding.EncodeToString(mac(authToken, rawURL, form))
}

// mac returns the HMAC-SHA1 of rawURL and the signed form.
func mac(authToken, rawURL string, form []byte) []byte {
	m := hmac.New(sha1.New, []byte(authToken))
	m.Write([]byte(rawURL))
	m.Write(form)
	return m.Sum(nil)
}

// VerifySignature reports whether signature is Twilio's signature of a form
// request to rawURL with params, under any of authTokens. It tries the URL
// as given, then with the default port added (when it has none) or removed
// (when it has one), as Twilio's own libraries do. Comparison is constant
// time. The error is ErrMissingSignature, ErrInvalidSignature or ErrNoAuthToken.
func VerifySignature(authTokens []string, rawURL string, params url.Values, signature string) error {
	return verify(authTokens, rawURL, signature, signedForm(fieldsOf(params)))
}

// VerifySignatureBody verifies a request whose body is not a form (JSON):
// Twilio then adds bodySHA256, the hex SHA-256 of the body, to the URL's
// query and signs the URL alone. Both the hash and the signature must match.
func VerifySignatureBody(authTokens []string, rawURL string, body []byte, signature string) error {
	if err := checkBodyHash(rawURL, body); err != nil {
		return err
	}
	return verify(authTokens, rawURL, signature, nil)
}

// hasBodyHash reports whether rawURL's query has a bodySHA256 parameter
// (the exact name), which Twilio adds when the body it signs is not a form.
func hasBodyHash(rawURL string) bool {
	_, ok := bodyHashParam(rawURL)
	return ok
}

// bodyHashParam returns the value of the query parameter named exactly
// bodySHA256 (the first, if repeated) and whether there is one.
func bodyHashParam(rawURL string) (string, bool) {
	_, query, ok := strings.Cut(rawURL, "?")
	if !ok {
		return "", false
	}
	query, _, _ = strings.Cut(query, "#")
	for query != "" {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		name, value, _ := strings.Cut(pair, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if name != "bodySHA256" {
			continue
		}
		if v, err := url.QueryUnescape(value); err == nil {
			value = v
		}
		return value, true
	}
	return "", false
}

// checkBodyHash checks that the URL's bodySHA256 is the hex SHA-256 of body,
// and says what is wrong when it is not.
func checkBodyHash(rawURL string, body []byte) error {
	given, ok := bodyHashParam(rawURL)
	switch {
	case !ok:
		return &bodyHashError{"the URL has no bodySHA256 parameter"}
	case given == "":
		return &bodyHashError{"bodySHA256 is empty; Twilio sends the SHA-256 of the body as 64 hex digits"}
	}
	want := sha256.Sum256(body)
	got, err := hex.DecodeString(given)
	if err != nil || len(got) != sha256.Size {
		if b, err := base64.StdEncoding.DecodeString(given); err == nil && len(b) == sha256.Size {
			return &bodyHashError{"bodySHA256 is base64; Twilio sends the SHA-256 of the body as 64 hex digits"}
		}
		return &bodyHashError{fmt.Sprintf("bodySHA256 is not 64 hex digits (it has %d characters)", len(given))}
	}
	if !hmac.Equal(got, want[:]) {
		return &bodyHashError{"bodySHA256 is not the SHA-256 of the body received"}
	}
	return nil
}

// verify checks signature against rawURL and the signed form under each
// token, with the URL as given and with its default port added or
// removed, comparing in constant time.
func verify(authTokens []string, rawURL, signature string, form []byte) error {
	if len(authTokens) == 0 {
		return ErrNoAuthToken
	}
	if signature == "" {
		return ErrMissingSignature
	}
	got := []byte(signature)
	if matches(authTokens, rawURL, form, got) {
		return nil
	}
	urls := []string{rawURL}
	if v := portVariant(rawURL); v != "" && v != rawURL {
		if matches(authTokens, v, form, got) {
			return nil
		}
		urls = append(urls, v)
	}
	return &signatureError{urls: urls, tokens: len(authTokens)}
}

// matches reports whether signature is the signature of rawURL and the
// signed form under one of authTokens, comparing in constant time.
func matches(authTokens []string, rawURL string, form, signature []byte) bool {
	var want [28]byte // the base64 of an HMAC-SHA1
	for _, token := range authTokens {
		if token == "" {
			continue
		}
		base64.StdEncoding.Encode(want[:], mac(token, rawURL, form))
		if hmac.Equal(want[:], signature) {
			return true
		}
	}
	return false
}

// portVariant returns rawURL with its port removed, or with the scheme's
// default port added when it has none; "" when the URL has no authority or
// an unknown scheme without a port. Nothing else of the URL is changed.
func portVariant(rawURL string) string {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return ""
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	hostStart := strings.LastIndexByte(authority, '@') + 1
	host := authority[hostStart:]
	portAt := -1
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		portAt = i
	}
	if portAt >= 0 {
		return scheme + "://" + authority[:hostStart] + host[:portAt] + tail
	}
	var port string
	switch strings.ToLower(scheme) {
	case "https":
		port = ":443"
	case "http":
		port = ":80"
	default:
		return ""
	}
	return scheme + "://" + authority + port + tail
}
