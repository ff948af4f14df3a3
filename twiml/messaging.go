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
	To     string `twiml:"to"`     // default: the sender
	From   string `twiml:"from"`   // default: the number the message was sent to
	Action string `twiml:"action"` // status callback URL; verbs after the message are not reached
	Method Method `twiml:"method"`
	// StatusCallback is the older name of Action, which Twilio's libraries
	// mark deprecated; Twilio's docs
	// (https://www.twilio.com/docs/messaging/twiml/message) suggest setting
	// both to the same URL.
	StatusCallback string `twiml:"statusCallback"`
	Extra          []Attr
}

// Message is a <Message>: add its <Body> and <Media> on it.
type Message struct{ node }

// Message sends a reply with body as its text; pass "" and add <Body> and
// <Media> on the returned [*Message] instead.
func (r *MessagingResponse) Message(body string, a *MessageAttrs) *Message {
	return &Message{r.top().add("Message", a, body)}
}

// Body is a <Body>.
type Body struct{ node }

// Body adds text to the message. Several bodies are sent as one text.
func (m *Message) Body(text string) *Body { return &Body{m.add("Body", nil, text)} }

// Media is a <Media>.
type Media struct{ node }

// Media adds the URL of an image or other media (MMS), up to 10.
func (m *Message) Media(url string) *Media { return &Media{m.add("Media", nil, url)} }

// Redirect continues with the messaging TwiML at url.
func (r *MessagingResponse) Redirect(url string, a *RedirectAttrs) *Redirect {
	return &Redirect{r.top().add("Redirect", a, url)}
}
