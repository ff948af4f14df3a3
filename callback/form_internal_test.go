package callback

import (
	"bytes"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFormKeepsBodyOrder(t *testing.T) {
	fields, err := parseForm("To=%2B1&From=a&From=b&&Body=hi+there&MediaUrl05=x&NumMedia=2&MediaUrl1=u1&MediaContentType1=image%2Fpng&From=")
	require.NoError(t, err)
	r := requestOf(fields, nil)
	assert.Equal(t, "a", r.From, "the first value of a repeated name counts")
	assert.Equal(t, "a", r.Get("From"))
	assert.Equal(t, []string{"a", "b", ""}, r.Form()["From"], "every value, in body order")
	assert.Equal(t, "hi there", r.Body)
	assert.Equal(t, "+1", r.To)
	assert.Equal(t, 2, r.NumMedia)
	assert.Equal(t, []Attachment{{URL: "u1", ContentType: "image/png"}}, r.Attachments, "MediaUrl05 is not MediaUrl5; MediaUrl0 is absent")
	assert.Equal(t, "", r.Get("Missing"))

	form := r.Form()
	form.Set("From", "changed")
	assert.Equal(t, "a", r.Get("From"), "Form returns a copy")
}

func TestParseFormRefusesWhatParseQueryRefuses(t *testing.T) {
	for _, body := range []string{"a=1;b=2", "a=%zz", "a%=1", "a=%4", strings.Repeat("&", maxFormFields)} {
		_, err := parseForm(body)
		assert.ErrorIs(t, err, ErrMalformedForm, "%.40q", body)
		_, qerr := url.ParseQuery(body)
		assert.Error(t, qerr, "%.40q", body)
	}
}

// FuzzParseForm: parseForm accepts exactly what url.ParseQuery accepts,
// with the same values; the request and the signed form built from its
// fields are those built from url.ParseQuery's map.
func FuzzParseForm(f *testing.F) {
	f.Add("From=%2B14155550100&To=%2B14155550199&Body=Hi+there&MessageSid=SM1")
	f.Add("a=1&a=0&a=1&b&=c&%41=%42")
	f.Add("NumMedia=3&MediaUrl0=x&MediaUrl2=y&MediaContentType2=z&MediaUrl9=w")
	f.Add("sessionSid=KC1&sessionSid=KC2&sessionDateEnded=2026-01-01T00:00:00Z&inboundParticipantIdentifier=%2B1")
	f.Add("a=1;b=2&c=%zz")
	f.Fuzz(func(t *testing.T, body string) {
		fields, err := parseForm(body)
		want, qerr := url.ParseQuery(body)
		if (err != nil) != (qerr != nil) {
			t.Fatalf("parseForm error %v, url.ParseQuery error %v", err, qerr)
		}
		if err != nil {
			return
		}
		got := valuesOf(fields)
		if len(got) != len(want) || (len(got) > 0 && !reflect.DeepEqual(got, want)) {
			t.Fatalf("values %v, url.ParseQuery %v", got, want)
		}
		if a, b := signedForm(fields), signedForm(fieldsOf(want)); !bytes.Equal(a, b) {
			t.Fatalf("signed form %q, from the map %q", a, b)
		}
		r, m := requestOf(fields, nil), ParseRequest(want, nil)
		r.fields, m.fields = nil, nil
		if !reflect.DeepEqual(r, m) {
			t.Fatalf("request %+v, from the map %+v", r, m)
		}
	})
}
