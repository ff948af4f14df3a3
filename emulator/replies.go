package emulator

import (
	"slices"
	"strings"

	"github.com/beevik/etree"

	"github.com/oosc-dev/oosc"
)

// replies returns what the phones receive when Proxy carries out a TwiML
// answer to an out-of-session contact in, as package doc's rule table
// says: each <Message> (or the deprecated <Sms>) is a message, to the
// sender unless it says to whom, from the Proxy number reached unless it
// says from which; of a call, what the caller hears (every <Say>'s text
// and <Play>'s URL, <Gather>'s included, in order) is one delivery on the
// voice channel, and each number a <Dial> calls receives a call, shown
// from its callerId, else from the caller's own number. doc is an answer
// the judge found valid TwiML; a document that does not parse gives
// nothing.
func replies(doc []byte, in oosc.Inbound) []Delivery {
	d := etree.NewDocument()
	if err := d.ReadFromBytes(doc); err != nil || d.Root() == nil {
		return nil
	}
	var out []Delivery
	heard := Delivery{To: in.From, From: in.To, Channel: oosc.Voice}
	var said []string
	var walk func(verbs []*etree.Element)
	walk = func(verbs []*etree.Element) {
		for _, v := range verbs {
			switch v.Tag {
			case "Message", "Sms":
				out = append(out, message(v, in))
			case "Say":
				if t := strings.TrimSpace(textOf(v)); t != "" && in.Channel == oosc.Voice {
					said = append(said, t)
				}
			case "Play":
				if u := strings.TrimSpace(textOf(v)); u != "" && in.Channel == oosc.Voice {
					heard.Media = append(heard.Media, u)
				}
			case "Gather":
				walk(v.ChildElements())
			case "Dial":
				if in.Channel == oosc.Voice {
					out = append(out, dialed(v, in)...)
				}
			}
		}
	}
	walk(d.Root().ChildElements())
	if heard.Body = strings.Join(said, "\n"); heard.Body != "" || len(heard.Media) > 0 {
		out = slices.Insert(out, 0, heard)
	}
	return out
}

// message is what a <Message> (or <Sms>) sends: its <Body> texts, else
// its own text, and its <Media> URLs.
func message(v *etree.Element, in oosc.Inbound) Delivery {
	m := Delivery{To: attr(v, "to", in.From), From: attr(v, "from", in.To), Channel: oosc.SMS}
	var body strings.Builder
	bodies := false
	for _, k := range v.ChildElements() {
		switch k.Tag {
		case "Body":
			bodies = true
			body.WriteString(textOf(k))
		case "Media":
			if u := strings.TrimSpace(textOf(k)); u != "" {
				m.Media = append(m.Media, u)
			}
		}
	}
	if !bodies {
		body.WriteString(ownText(v))
	}
	m.Body = strings.TrimSpace(body.String())
	return m
}

// dialed are the calls a <Dial> places: to its text, a number, or to each
// of its <Number> nouns; other nouns (Client, Sip, Conference, Queue)
// reach no phone number.
func dialed(v *etree.Element, in oosc.Inbound) []Delivery {
	from := attr(v, "callerId", in.From)
	var numbers []string
	if n := strings.TrimSpace(ownText(v)); n != "" {
		numbers = append(numbers, n)
	}
	for _, k := range v.ChildElements() {
		if n := strings.TrimSpace(textOf(k)); k.Tag == "Number" && n != "" {
			numbers = append(numbers, n)
		}
	}
	out := make([]Delivery, len(numbers))
	for i, n := range numbers {
		out[i] = Delivery{To: n, From: from, Channel: oosc.Voice}
	}
	return out
}

// attr is an attribute's value, trimmed, or def when it is missing or
// empty.
func attr(e *etree.Element, name, def string) string {
	if v := strings.TrimSpace(e.SelectAttrValue(name, "")); v != "" {
		return v
	}
	return def
}

// textOf is the text of an element and of every element in it, in
// order: a <Say>'s words through its SSML.
func textOf(e *etree.Element) string {
	var b strings.Builder
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		for _, t := range e.Child {
			switch t := t.(type) {
			case *etree.CharData:
				b.WriteString(t.Data)
			case *etree.Element:
				walk(t)
			}
		}
	}
	walk(e)
	return b.String()
}

// ownText is an element's text outside its child elements.
func ownText(e *etree.Element) string {
	var b strings.Builder
	for _, t := range e.Child {
		if c, ok := t.(*etree.CharData); ok {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}
