package callback

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// DefaultMaxBodyBytes is the default limit of a request body: a Proxy
// callback is a few kilobytes of form fields.
const DefaultMaxBodyBytes = 64 << 10

// Verifier checks the X-Twilio-Signature of webhook requests. It is
// reusable for any Twilio webhook, not only the out-of-session callback.
// Its zero value has no token and rejects every request.
type Verifier struct {
	// AuthTokens are the Auth Tokens to accept, primary first. Several allow
	// rotation: keep the previous token until the new one is promoted.
	AuthTokens []string
	// PublicURL is the scheme and host Twilio calls, such as
	// https://hooks.example.com (with any path prefix a proxy strips). The
	// request URI, exactly as received, is appended to it. Default: the
	// scheme from r.TLS and the host from r.Host, or from trusted forwarded
	// headers.
	PublicURL string
	// TrustedProxies are the networks of the reverse proxies whose
	// X-Forwarded-Proto, X-Forwarded-Host and Forwarded headers are believed.
	// The headers are used only when the request comes directly from one of
	// them. Default: none; forwarded headers are ignored.
	TrustedProxies []netip.Prefix
	// MaxBodyBytes limits the body the middleware reads. Default (0):
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
}

// URL returns the URL Twilio called for r, as the signature covers it.
//
// Behind a trusted proxy (TrustedProxies), the scheme and host come from
// the Forwarded header (RFC 7239) if present, else from X-Forwarded-Proto
// and X-Forwarded-Host. Of a list of values, across all lines of a header,
// the last is used: the one the nearest proxy wrote. The first ones may have
// come from the client, which could otherwise have a signature it made for
// its own host accepted. A proto is used only when it is http or https, in
// any case; a host only when it has no space, slash or quote.
func (v *Verifier) URL(r *http.Request) string {
	uri := r.RequestURI
	if !strings.HasPrefix(uri, "/") {
		uri = r.URL.RequestURI()
	}
	if v.PublicURL != "" {
		return strings.TrimSuffix(v.PublicURL, "/") + uri
	}
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if v.trusted(r) {
		var p, h string
		if fw := r.Header.Values("Forwarded"); len(fw) > 0 {
			p, h = forwarded(lastElement(fw))
		} else {
			p = lastElement(r.Header.Values("X-Forwarded-Proto"))
			h = lastElement(r.Header.Values("X-Forwarded-Host"))
		}
		if p = strings.ToLower(p); p == "http" || p == "https" {
			scheme = p
		}
		if h != "" && !strings.ContainsAny(h, " \t/\\\"") {
			host = h
		}
	}
	return scheme + "://" + host + uri
}

func (v *Verifier) trusted(r *http.Request) bool {
	if len(v.TrustedProxies) == 0 {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range v.TrustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// lastElement returns the last element of a comma-separated header whose
// lines are lines: the one the nearest proxy wrote. Commas inside quoted
// strings (RFC 7239) do not separate elements.
func lastElement(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		line := lines[i]
		start, quoted := 0, false
		for j := 0; j < len(line); j++ {
			switch line[j] {
			case '"':
				quoted = !quoted
			case ',':
				if !quoted {
					start = j + 1
				}
			}
		}
		if el := strings.TrimSpace(line[start:]); el != "" {
			return el
		}
	}
	return ""
}

// forwarded returns proto and host from one element of an RFC 7239
// Forwarded header, such as for=192.0.2.60;proto=https;host=example.com.
func forwarded(element string) (proto, host string) {
	for _, pair := range strings.Split(element, ";") {
		k, val, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok {
			continue
		}
		val = strings.Trim(strings.TrimSpace(val), `"`)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "proto":
			proto = val
		case "host":
			host = val
		}
	}
	return proto, host
}

// Verify checks the signature of r, whose body (already read) is body: a
// form, or, when the URL carries bodySHA256, any bytes whose hash it gives.
func (v *Verifier) Verify(r *http.Request, body []byte) error {
	u := v.URL(r)
	sig := r.Header.Get(SignatureHeader)
	if HasBodyHash(u) {
		if sig == "" {
			return ErrMissingSignature
		}
		if err := checkBodyHash(u, body); err != nil {
			return err
		}
		return verify(v.AuthTokens, u, sig, nil)
	}
	s := getScratch()
	defer s.put()
	var err error
	if s.pairs, err = parsePairs(string(body), s.pairs); err != nil {
		return ErrMalformedForm
	}
	return v.verifyPairs(r, u, s)
}

// VerifyForm checks the signature of r, whose form body is already parsed.
func (v *Verifier) VerifyForm(r *http.Request, form url.Values) error {
	return v.verifyForm(r, v.URL(r), form)
}

func (v *Verifier) verifyForm(r *http.Request, u string, form url.Values) error {
	s := getScratch()
	defer s.put()
	s.pairs = formPairs(s.pairs, form)
	return v.verifyPairs(r, u, s)
}

// verifyPairs checks the signature of r over the form s.pairs; it signs
// into s.signed, keeping the sorted order in s.keys.
func (v *Verifier) verifyPairs(r *http.Request, u string, s *scratch) error {
	sig, err := v.signature(r)
	if err != nil {
		return err
	}
	s.signed, s.keys = appendPairs(s.signed[:0], s.pairs, s.keys)
	return verify(v.AuthTokens, u, sig, s.signed)
}

// signature returns r's X-Twilio-Signature, or why there is nothing to check.
func (v *Verifier) signature(r *http.Request) (string, error) {
	if len(v.AuthTokens) == 0 {
		return "", ErrNoAuthToken
	}
	sig := r.Header.Get(SignatureHeader)
	if sig == "" {
		return "", ErrMissingSignature
	}
	return sig, nil
}

// Middleware returns a handler that verifies each request's signature
// before calling next, and answers as Twilio's own middleware does: 405 for
// a method other than POST, 413 for a body over the limit, 400 for a
// missing signature or a malformed form, 403 for a signature that matches
// no token, 500 when no token is configured. The error bodies are short,
// fixed texts. next receives a copy of the request whose body holds the
// same bytes; the caller's request is not changed.
func (v *Verifier) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed)
			return
		}
		body, err := readBody(w, r, v.MaxBodyBytes)
		if err != nil {
			writeError(w, statusOf(err))
			return
		}
		if err := v.Verify(r, body); err != nil {
			writeError(w, statusOf(err))
			return
		}
		r2 := r.Clone(r.Context())
		r2.Body = io.NopCloser(bytes.NewReader(body))
		r2.ContentLength = int64(len(body))
		next.ServeHTTP(w, r2)
	})
}

// readBody reads the body up to limit (default DefaultMaxBodyBytes).
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	if r.ContentLength > limit {
		return nil, ErrBodyTooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, ErrBodyTooLarge
		}
		return nil, ErrMalformedForm
	}
	return body, nil
}

// isForm reports whether the request's Content-Type is a form.
func isForm(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	if ct == "application/x-www-form-urlencoded" { // what Twilio sends: no parse needed
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// statusOf maps a request error to its HTTP status.
func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrMethodNotAllowed):
		return http.StatusMethodNotAllowed
	case errors.Is(err, ErrUnsupportedMediaType):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, ErrBodyTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrMalformedForm), errors.Is(err, ErrMissingSignature):
		return http.StatusBadRequest
	case errors.Is(err, ErrInvalidSignature):
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// writeError writes a short fixed text for status, with http.Error's
// header discipline. No detail of the failure reaches the client.
func writeError(w http.ResponseWriter, status int) {
	h := w.Header()
	h.Del("Content-Length")
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	io.WriteString(w, http.StatusText(status)+"\n")
}
