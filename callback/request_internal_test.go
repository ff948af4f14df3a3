package callback

import (
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"testing"

	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/twiml"
)

// requestByLookups is the plain reading of the Request's fields: one
// url.Values.Get per field. It shares no code with fieldOf and the pair
// pass, and is the oracle they are held to.
func requestByLookups(form url.Values, header http.Header) *Request {
	get := form.Get
	r := &Request{
		From: get("From"), To: get("To"), Body: get("Body"),
		CallSid: get("CallSid"), MessageSid: get("MessageSid"), AccountSid: get("AccountSid"),
		Form: form,
	}
	if r.MessageSid == "" {
		r.MessageSid = get("SmsSid")
	}
	switch {
	case r.CallSid != "":
		r.Channel = twiml.Voice
	case r.MessageSid != "":
		r.Channel = twiml.Messaging
	}
	if n, err := strconv.Atoi(get("NumMedia")); err == nil && n > 0 {
		r.NumMedia = n
		for i := 0; i < n && i < 10; i++ {
			if u := get("MediaUrl" + strconv.Itoa(i)); u != "" {
				r.Media = append(r.Media, Media{URL: u, ContentType: get("MediaContentType" + strconv.Itoa(i))})
			}
		}
	}
	r.IdempotencyToken, r.HomeRegion = header.Get(IdempotencyHeader), header.Get(HomeRegionHeader)
	if s := (PreviousSession{
		Sid: get("sessionSid"), UniqueName: get("sessionUniqueName"), Status: get("sessionStatus"),
		ClosedReason: get("sessionClosedReason"), Mode: autocreate.Mode(get("sessionMode")),
		DateCreated: date(get("sessionDateCreated")), DateUpdated: date(get("sessionDateUpdated")),
		DateStarted: date(get("sessionDateStarted")), DateEnded: date(get("sessionDateEnded")),
		DateLastInteraction: date(get("sessionDateLastInteraction")),
	}); s.Sid != "" || s.Status != "" || s.UniqueName != "" {
		r.PreviousSession = &s
	}
	for _, side := range []struct {
		to     **Participant
		prefix string
	}{{&r.Inbound, "inboundParticipant"}, {&r.Outbound, "outboundParticipant"}} {
		k := side.prefix
		p := Participant{Sid: get(k + "Sid"), Identifier: get(k + "Identifier"), ProxyIdentifier: get(k + "ProxyIdentifier"), FriendlyName: get(k + "FriendlyName")}
		if p != (Participant{}) {
			*side.to = &p
		}
	}
	return r
}

// FuzzRequestFromPairs: the handler's one pass over the pairs in body
// order, and ParseRequest over the map, both give the Request that one
// url.Values.Get per field gives, repeated and empty fields included.
func FuzzRequestFromPairs(f *testing.F) {
	for _, s := range []string{
		"CallSid=CA1&From=%2B14155550100&To=%2B14155550199&sessionSid=KC1&sessionStatus=closed",
		"MessageSid=&SmsSid=SM1&From=&From=%2B1&Body=a&Body=b&NumMedia=2&MediaUrl1=u1&MediaContentType1=image%2Fpng&MediaUrl0=u0",
		"NumMedia=12&MediaUrl9=x&MediaUrl10=y&MediaContentType9=&MediaUrlA=z&Media=1",
		"inboundParticipantSid=KP1&outboundParticipantFriendlyName=d&outboundParticipantFriendlyName=e&sessionDateEnded=2026-11-27T07:00:00Z&sessionUniqueName=",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		ps, err := parsePairs(body, nil)
		if err != nil {
			return
		}
		form := formOf(ps)
		header := http.Header{IdempotencyHeader: {"tok"}, HomeRegionHeader: {"us1"}}
		want := requestByLookups(form, header)
		if got := parseRequest(ps, form, header); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: from pairs %+v, want %+v", body, got, want)
		}
		if got := ParseRequest(form, header); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: ParseRequest %+v, want %+v", body, got, want)
		}
	})
}
