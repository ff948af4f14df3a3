package twiml

import "github.com/beevik/etree"

// MessagingResponse builds messaging TwiML: the answer to an inbound message.
//
// Its zero value is an empty messaging response, ready to use, as
// NewMessagingResponse returns. A response is not safe for concurrent
// building; once built, it may be written out from many goroutines.
type MessagingResponse struct{ doc }

// NewMessagingResponse returns an empty messaging response (<Response/>),
// which sends no reply.
func NewMessagingResponse() *MessagingResponse { return &MessagingResponse{} }

// Channel returns [Messaging].
func (r *MessagingResponse) Channel() Channel { return Messaging }

// Validate validates the written document for messaging in strict mode.
func (r *MessagingResponse) Validate() Report { return r.validate(Messaging) }

// MessageAttrs are the attributes of <Message>.
type MessageAttrs struct {
	To     string // default: the sender
	From   string // default: the number the message was sent to
	Action string // status callback URL; verbs after the message are not reached
	Method Method
	// StatusCallback is the older name of Action, which Twilio's libraries
	// mark deprecated; Twilio's docs suggest setting both to the same URL.
	StatusCallback string
	Extra          []Attr
}

// Message sends a reply with body as its text. Pass "" and use the returned
// [*Message] to add <Body> and <Media> instead.
func (r *MessagingResponse) Message(body string, a *MessageAttrs) *Message {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("to", a.To)
		t.str("from", a.From)
		t.str("action", a.Action)
		t.method("method", a.Method)
		t.str("statusCallback", a.StatusCallback)
		x = a.Extra
	}
	el := r.element(r.top(), "Message", t, x)
	text(el, body)
	return &Message{d: &r.doc, el: el}
}

// Message adds the body and media of a <Message>.
type Message struct {
	d  *doc
	el *etree.Element
}

// Body adds text to the message. Several bodies are sent as one text.
func (m *Message) Body(text string) *Message {
	m.el.CreateElement("Body").CreateText(text)
	return m
}

// Media adds the URL of an image or other media (MMS), up to 10.
func (m *Message) Media(url string) *Message {
	m.el.CreateElement("Media").CreateText(url)
	return m
}

// Redirect continues with the messaging TwiML at url.
func (r *MessagingResponse) Redirect(url string, a *RedirectAttrs) {
	t, x := a.typed()
	text(r.element(r.top(), "Redirect", t, x), url)
}
