package twiml

import "github.com/oosc-dev/oosc/twiml/internal/check"

// Document rules: Twilio refuses the document (12100, 12102, 11750), or the
// answer does not fit the channel (14110, 13803). Always errors.
const (
	RuleTooLarge           = check.RuleTooLarge           // body over the size limit (11750)
	RuleInvalidUTF8        = check.RuleInvalidUTF8        // bytes that are not UTF-8 (12100)
	RuleMalformed          = check.RuleMalformed          // not well-formed XML (12100)
	RuleBeforeDeclaration  = check.RuleBeforeDeclaration  // white space before <?xml ...?> (12100)
	RuleDuplicateAttribute = check.RuleDuplicateAttribute // the same attribute twice on an element (12100)
	RuleAfterRoot          = check.RuleAfterRoot          // text, elements or a declaration after </Response> (12100)
	RuleDoctype            = check.RuleDoctype            // <!DOCTYPE ...> or another directive (12100)
	RuleRoot               = check.RuleRoot               // a root element other than <Response> (12102)
	RuleEmpty              = check.RuleEmpty              // no root element (12100)
	RuleWrongChannel       = check.RuleWrongChannel       // a verb of the other channel (14110, 13803)
	RuleUnknownChannel     = check.RuleUnknownChannel     // validation asked for a channel other than voice and sms
)

// Schema rules: Twilio logs 12200 (schema validation warning) and ignores
// the element or attribute. Errors in strict mode, warnings in lenient
// mode.
const (
	RuleUnknownElement      = check.RuleUnknownElement      // an element the channel does not have
	RuleElementCase         = check.RuleElementCase         // a known element in the wrong case (<say>)
	RuleMisplacedElement    = check.RuleMisplacedElement    // a known element under a parent that does not allow it
	RuleUnknownAttribute    = check.RuleUnknownAttribute    // an attribute the element does not have
	RuleAttributeCase       = check.RuleAttributeCase       // a known attribute in the wrong case (Voice=)
	RuleAttributeNotAllowed = check.RuleAttributeNotAllowed // an attribute the element's parent forbids (<Gather><Play digits>)
	RuleMissingAttribute    = check.RuleMissingAttribute    // a required attribute is absent
	RuleTextNotAllowed      = check.RuleTextNotAllowed      // text in an element that takes none
)

// Value rules: Twilio logs a 13xxx/14xxx/31xxx warning or error and
// ignores the value or fails the verb. Errors in strict mode, warnings in
// lenient mode.
const (
	RuleInvalidValue = check.RuleInvalidValue // a value outside the attribute's type, enumeration or pattern
	RuleOutOfRange   = check.RuleOutOfRange   // a number outside the documented range
	RuleTooLong      = check.RuleTooLong      // text or a value over its length limit
	RuleTooShort     = check.RuleTooShort     // text or a value under its minimum length
	RuleMissingText  = check.RuleMissingText  // an element that needs text has none (13520 for <Say>)
	RuleMixedContent = check.RuleMixedContent // text and child nouns mixed where only one is allowed
	RuleEmptyVerb    = check.RuleEmptyVerb    // a verb with nothing to do (<Dial/>, <Message/>, <Play/>)
	RuleTooMany      = check.RuleTooMany      // more children than Twilio takes (10 <Message>, 10 <Media>, ...)
	RuleConflict     = check.RuleConflict     // nouns that cannot be combined (<Conference> with <Number>, 13000)
)

// Lint rules: Twilio accepts the document, but it is probably not what was
// meant. Always warnings.
const (
	RuleUnreachable     = check.RuleUnreachable     // a verb after <Hangup>, <Reject>, <Redirect>, ...
	RuleNearLimit       = check.RuleNearLimit       // a length within 10% of its limit
	RuleNotE164         = check.RuleNotE164         // a phone number Twilio accepts but that is not E.164
	RuleDeprecated      = check.RuleDeprecated      // a deprecated or legacy element or attribute
	RuleRejectNotFirst  = check.RuleRejectNotFirst  // <Reject> after another verb: the call is answered and billed
	RuleBelowSoftMin    = check.RuleBelowSoftMin    // a value under the documented minimum that Twilio tolerates
	RuleProcInst        = check.RuleProcInst        // a processing instruction Twilio ignores
	RuleByteOrderMark   = check.RuleByteOrderMark   // a UTF-8 byte order mark, which XML allows but Twilio may not
	RuleEmptyAttribute  = check.RuleEmptyAttribute  // an attribute present with an empty value
	RuleUnconfirmedForm = check.RuleUnconfirmedForm // a form the docs show but whose acceptance is unconfirmed
	RuleEmptyRedirect   = check.RuleEmptyRedirect   // <Redirect/> without a URL: the current document again
	RuleTextBesideMedia = check.RuleTextBesideMedia // <Message> text beside <Media>, where <Body> is meant
	RuleBooleanDigit    = check.RuleBooleanDigit    // a boolean written 1 or 0, which XML Schema allows but Twilio documents as true or false
)
