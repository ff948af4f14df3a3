package callback

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/internal/form"
)

func TestRequestKeepsBodyOrder(t *testing.T) {
	fields, err := form.Parse(nil, []byte("To=%2B1&From=a&From=b&&Body=hi+there&MediaUrl05=x&NumMedia=2&MediaUrl1=u1&MediaContentType1=image%2Fpng&From="))
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

	values := r.Form()
	values.Set("From", "changed")
	assert.Equal(t, "a", r.Get("From"), "Form returns a copy")
}

// FuzzParseForm: the request built from a body's fields, as the handler
// builds it, is the one ParseRequest builds from url.ParseQuery's map, and
// its Form is that map.
func FuzzParseForm(f *testing.F) {
	f.Add("From=%2B14155550100&To=%2B14155550199&Body=Hi+there&MessageSid=SM1")
	f.Add("a=1&a=0&a=1&b&=c&%41=%42")
	f.Add("NumMedia=3&MediaUrl0=x&MediaUrl2=y&MediaContentType2=z&MediaUrl9=w")
	f.Add("sessionSid=KC1&sessionSid=KC2&sessionDateEnded=2026-01-01T00:00:00Z&inboundParticipantIdentifier=%2B1")
	f.Fuzz(func(t *testing.T, body string) {
		fields, err := form.Parse(nil, []byte(body))
		want, qerr := url.ParseQuery(body)
		if err != nil || qerr != nil {
			return // form.Parse refuses what url.ParseQuery refuses: its own fuzz target
		}
		got := valuesOf(fields)
		if len(got) != len(want) || (len(got) > 0 && !reflect.DeepEqual(got, want)) {
			t.Fatalf("values %v, url.ParseQuery %v", got, want)
		}
		r, m := requestOf(fields, nil), ParseRequest(want, nil)
		r.fields, m.fields = nil, nil
		if !reflect.DeepEqual(r, m) {
			t.Fatalf("request %+v, from the map %+v", r, m)
		}
	})
}
