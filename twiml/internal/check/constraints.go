package check

import (
	"strings"
	"unicode/utf8"

	"github.com/oosc-dev/oosc"
)

// Rules the schema table states only in words, per element.
const (
	maxDialNouns   = 10   // <Number>/<Client> dialled at once
	maxMessages    = 10   // <Message> replies per inbound message (14109)
	maxMedia       = 10   // <Media> per <Message>
	maxMessageBody = 1600 // characters of a message body (14103)
	maxSayBasic    = 4096 // characters of <Say> text for man/woman (13521)
	maxSayPolly    = 3000
	maxSayGoogle   = 5000
	messageVerb    = "Message"
)

func (c *checker) checkConstraints(el *node, spec *elemSpec, path *node, parent string, line int) {
	switch spec.key {
	case "Response":
		c.checkFlow(el)
		if c.ch == oosc.Voice {
			for k := el.kids; k != nil; k = k.next {
				if k != el.kids && k.spec != nil && k.spec.name == "Reject" && c.room(RuleRejectNotFirst) {
					c.addAt(RuleRejectNotFirst, k, "", int(k.line), "<Reject> after another verb answers the call first, so it is billed; put it first")
				}
			}
		} else if n := count(el, messageVerb); n > maxMessages && c.room(RuleTooMany) {
			c.addAt(RuleTooMany, path, "", line, "%d <Message> verbs; Twilio sends at most %d replies to one message (14109)", n, maxMessages)
		}
	case "Dial":
		text := el.directText()
		if n := count(el, "Number") + count(el, "Client"); n > maxDialNouns && c.room(RuleTooMany) {
			c.addAt(RuleTooMany, path, "", line, "%d <Number>/<Client> nouns; Twilio dials at most %d at once", n, maxDialNouns)
		}
		if count(el, "Conference") > 0 && count(el, "Number") > 0 && c.room(RuleConflict) {
			c.addAt(RuleConflict, path, "", line, "<Conference> cannot be combined with <Number> in one <Dial>")
		}
		c.textOrNouns(spec, path, line, text, el.kids != nil, "a number to dial, as text or as nouns such as <Number>")
		if id, ok := el.attr("callerId"); ok && id != "" && (text != "" || count(el, "Number") > 0) {
			c.checkCallerID(id, path, line)
		}
	case "Client":
		c.textOrNouns(spec, path, line, el.directText(), el.kids != nil, "a client identity, as text or as <Identity>")
	case "Message":
		c.checkMessage(el, path, line)
	case "Play":
		if el.directText() == "" && !el.has("digits") && c.room(RuleEmptyVerb) {
			c.addAt(RuleEmptyVerb, path, "", line, "<Play> needs an audio URL as its text, or a digits attribute")
		}
	case "Say":
		c.checkSayLength(el, path, line)
	case "Stream":
		if (parent == "Start" || parent == "Connect") && !el.has("url") && c.room(RuleMissingAttribute) {
			c.addAt(RuleMissingAttribute, path, "url", line, "<Stream> inside <%s> needs the attribute url, the wss:// URL to stream to", parent)
		}
	case "Siprec":
		if parent == "Start" && !el.has("connectorName") && c.room(RuleMissingAttribute) {
			c.addAt(RuleMissingAttribute, path, "connectorName", line, "<Siprec> inside <Start> needs the attribute connectorName, the SIPREC connector to record with")
		}
	case "Refer":
		if count(el, "Sip") == 0 && c.room(RuleEmptyVerb) {
			c.addAt(RuleEmptyVerb, path, "", line, "<Refer> has nothing to refer to; it needs a <Sip> child with the transfer target")
		}
	case "Enqueue":
		if el.directText() == "" && !el.has("workflowSid") && c.room(RuleEmptyVerb) {
			c.addAt(RuleEmptyVerb, path, "", line, "<Enqueue> needs a queue name as its text, or a workflowSid for TaskRouter")
		}
	}
}

// checkCallerID checks the callerId of a <Dial> that calls a phone number
// (as its text, or a <Number>): Twilio's 13214 says it must be "the
// calling number, called number, or a validated outgoing number", so a
// client identifier (client:name, which a Dial of <Client> nouns may
// show) or a name without digits is refused; a number that is not E.164
// (or a documentation placeholder such as +1888XXXXXXX) gets the usual
// warning. The caller ID of the other nouns is not checked: no Twilio
// source says what it may be.
func (c *checker) checkCallerID(id string, path *node, line int) {
	switch {
	case strings.HasPrefix(id, "client:"):
		if c.room(RuleInvalidValue) {
			c.addCodeAt(oosc.CodeInvalidCallerID, RuleInvalidValue, path, "callerId", line,
				"callerId=%q is a client identifier, but this <Dial> calls a phone number, which needs a phone number as caller ID: the caller's, the called number, or a verified one", clip(id))
		}
	case !strings.ContainsAny(id, "0123456789"):
		if c.room(RuleInvalidValue) {
			c.addCodeAt(oosc.CodeInvalidCallerID, RuleInvalidValue, path, "callerId", line,
				"callerId=%q is not a phone number; a <Dial> to a phone number shows the caller's number, the called number, or a verified one", clip(id))
		}
	case !c.match(reE164, id):
		if c.room(RuleNotE164) {
			c.addAt(RuleNotE164, path, "callerId", line, "callerId=%q is not E.164 (+ and 2 to 15 digits); Twilio guesses the country", clip(id))
		}
	}
}

// textOrNouns checks an element that takes either text or child nouns.
func (c *checker) textOrNouns(spec *elemSpec, path *node, line int, text string, hasKids bool, need string) {
	switch {
	case text != "" && hasKids:
		if c.room(RuleMixedContent) {
			c.addAt(RuleMixedContent, path, "", line, "<%s> has both text and child elements; use one or the other", spec.name)
		}
	case text == "" && !hasKids:
		if c.room(RuleEmptyVerb) {
			c.addAt(RuleEmptyVerb, path, "", line, "<%s> is empty; it needs %s", spec.name, need)
		}
	}
}

func (c *checker) checkMessage(el *node, path *node, line int) {
	text := el.directText()
	bodies, media := 0, count(el, "Media")
	var body strings.Builder
	for k := el.kids; k != nil; k = k.next {
		if k.spec != nil && k.spec.name == "Body" {
			bodies++
			body.WriteString(k.directText())
		}
	}
	switch {
	case text != "" && bodies > 0:
		if c.room(RuleMixedContent) {
			c.addAt(RuleMixedContent, path, "", line, "<Message> has both text and <Body>; put all the text in <Body>")
		}
	case text != "" && media > 0: // twilio-python's documented MMS sample; Twilio sends it
		if c.room(RuleTextBesideMedia) {
			c.addAt(RuleTextBesideMedia, path, "", line, "<Message> has text beside <Media>; Twilio sends it, but <Body> says what is meant")
		}
	}
	if media > maxMedia && c.room(RuleTooMany) {
		c.addAt(RuleTooMany, path, "", line, "%d <Media>; a message takes at most %d", media, maxMedia)
	}
	if text == "" && body.Len() == 0 && media == 0 && c.room(RuleEmptyVerb) {
		c.addAt(RuleEmptyVerb, path, "", line, "<Message> has no body and no media; Twilio sends nothing (14103)")
	}
	if bodies > 1 {
		c.checkLength(utf8.RuneCountInString(body.String()), 0, maxMessageBody, "the <Body> texts together", path, line)
	}
}

func (c *checker) checkSayLength(el *node, path *node, line int) {
	voice, _ := el.attr("voice")
	limit, kind := maxSayBasic, "basic voices"
	switch {
	case strings.HasPrefix(voice, "Polly."):
		limit, kind = maxSayPolly, "Polly voices"
	case strings.HasPrefix(voice, "Google."):
		limit, kind = maxSayGoogle, "Google voices"
	}
	n := utf8.RuneCountInString(el.fullText())
	switch {
	case n > limit:
		if c.room(RuleTooLong) {
			c.addAt(RuleTooLong, path, "", line, "<Say> text is %d characters; %s speak at most %d (13521)", n, kind, limit)
		}
	case n >= limit*9/10:
		if c.room(RuleNearLimit) {
			c.addAt(RuleNearLimit, path, "", line, "<Say> text is %d characters, near the %d-character limit for %s", n, limit, kind)
		}
	}
}

// checkFlow reports the verbs of el that come after a verb that ends the
// document.
func (c *checker) checkFlow(el *node) {
	var end *node // the verb that ends the document, if any
	for k := el.kids; k != nil; k = k.next {
		if end != nil {
			if c.room(RuleUnreachable) {
				action := ""
				if end.spec.flow == flowTerminalWithAction {
					action = " action"
				}
				c.addAt(RuleUnreachable, k, "", int(k.line), "<%s> is never reached: it follows <%s%s> at %s", k.name, end.spec.name, action, end.path())
			}
			continue
		}
		if k.spec == nil {
			continue
		}
		if k.spec.flow == flowTerminal || k.spec.flow == flowTerminalWithAction && k.has("action") {
			end = k
		}
	}
}

// count returns how many children of el are the element name.
func count(el *node, name string) int {
	n := 0
	for k := el.kids; k != nil; k = k.next {
		if k.spec != nil && k.spec.name == name {
			n++
		}
	}
	return n
}
