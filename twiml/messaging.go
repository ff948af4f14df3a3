package twiml

import "github.com/oosc-dev/oosc"

// MessagingResponse builds messaging TwiML: the answer to an inbound
// message.
//
// Its zero value is an empty messaging response, ready to use, as
// NewMessagingResponse returns. A response is not safe for concurrent
// building; once built, it may be written out from many goroutines.
type MessagingResponse struct{ doc }

// NewMessagingResponse returns an empty messaging response (<Response/>),
// which sends no reply.
func NewMessagingResponse() *MessagingResponse { return &MessagingResponse{} }

// Channel returns [oosc.SMS].
func (r *MessagingResponse) Channel() oosc.Channel { return oosc.SMS }

// Validate checks the built document as messaging TwiML in strict mode,
// without writing it out, as [VoiceResponse.Validate] does for voice.
func (r *MessagingResponse) Validate() oosc.Report { return r.validate(oosc.SMS) }

// MessageAttrs are the attributes of <Message>.
type MessageAttrs struct {
	To     string // default: the sender
	From   string // default: the number the message was sent to
	Action string // status callback URL; verbs after the message are not reached
	Method Method
	// StatusCallback is the older name of Action, which Twilio's libraries
	// mark deprecated; Twilio's docs
	// (https://www.twilio.com/docs/messaging/twiml/message) suggest setting
	// both to the same URL.
	StatusCallback string
	Extra          []Attr
}

func (a *MessageAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("to", a.To)
	t.str("from", a.From)
	t.str("action", a.Action)
	t.method("method", a.Method)
	t.str("statusCallback", a.StatusCallback)
	return t, a.Extra
}

// Message is a <Message>: add its <Body> and <Media> on it.
type Message struct{ node }

// Message sends a reply with body as its text; pass "" and add <Body> and
// <Media> on the returned [*Message] instead.
func (r *MessagingResponse) Message(body string, a *MessageAttrs) *Message {
	t, x := a.typed()
	return &Message{r.top().add("Message", t, x, body)}
}

// Body is a <Body>.
type Body struct{ node }

// Body adds text to the message. Several bodies are sent as one text.
func (m *Message) Body(text string) *Body { return &Body{m.add("Body", nil, nil, text)} }

// Media is a <Media>.
type Media struct{ node }

// Media adds the URL of an image or other media (MMS), up to 10.
func (m *Message) Media(url string) *Media { return &Media{m.add("Media", nil, nil, url)} }

// Redirect continues with the messaging TwiML at url.
func (r *MessagingResponse) Redirect(url string, a *RedirectAttrs) *Redirect {
	t, x := a.typed()
	return &Redirect{r.top().add("Redirect", t, x, url)}
}
