package check

import "github.com/oosc-dev/oosc"

// The rules of a TwiML document, in four classes. Package twiml exports
// each under the same name with its documentation.

// Document rules: Twilio refuses the document, or it does not fit the
// channel. Always errors.
const (
	RuleTooLarge           oosc.Rule = "too-large"
	RuleInvalidUTF8        oosc.Rule = "invalid-utf8"
	RuleMalformed          oosc.Rule = "malformed-xml"
	RuleBeforeDeclaration  oosc.Rule = "content-before-declaration"
	RuleDuplicateAttribute oosc.Rule = "duplicate-attribute"
	RuleAfterRoot          oosc.Rule = "content-after-root"
	RuleDoctype            oosc.Rule = "doctype-not-allowed"
	RuleRoot               oosc.Rule = "root-not-response"
	RuleEmpty              oosc.Rule = "empty-document"
	RuleWrongChannel       oosc.Rule = "wrong-channel"
	RuleUnknownChannel     oosc.Rule = "unknown-channel"
	RuleTooManyProblems              = oosc.RuleTooManyProblems
)

// Schema rules: Twilio logs 12200 and ignores the element or attribute.
// Errors in strict mode, warnings in lenient mode.
const (
	RuleUnknownElement      oosc.Rule = "unknown-element"
	RuleElementCase         oosc.Rule = "element-case"
	RuleMisplacedElement    oosc.Rule = "misplaced-element"
	RuleUnknownAttribute    oosc.Rule = "unknown-attribute"
	RuleAttributeCase       oosc.Rule = "attribute-case"
	RuleAttributeNotAllowed oosc.Rule = "attribute-not-allowed-here"
	RuleMissingAttribute    oosc.Rule = "missing-attribute"
	RuleTextNotAllowed      oosc.Rule = "text-not-allowed"
)

// Value rules: Twilio logs a 13xxx/14xxx/31xxx warning or error and
// ignores the value or fails the verb. Errors in strict mode, warnings in
// lenient mode.
const (
	RuleInvalidValue oosc.Rule = "invalid-value"
	RuleOutOfRange   oosc.Rule = "out-of-range"
	RuleTooLong      oosc.Rule = "too-long"
	RuleTooShort     oosc.Rule = "too-short"
	RuleMissingText  oosc.Rule = "missing-text"
	RuleMixedContent oosc.Rule = "mixed-content"
	RuleEmptyVerb    oosc.Rule = "empty-verb"
	RuleTooMany      oosc.Rule = "too-many"
	RuleConflict     oosc.Rule = "conflicting-nouns"
)

// Lint rules: Twilio accepts the document, but it is probably not what was
// meant. Always warnings.
const (
	RuleUnreachable     oosc.Rule = "unreachable-verb"
	RuleNearLimit       oosc.Rule = "near-limit"
	RuleNotE164         oosc.Rule = "not-e164"
	RuleDeprecated      oosc.Rule = "deprecated"
	RuleRejectNotFirst  oosc.Rule = "reject-not-first"
	RuleBelowSoftMin    oosc.Rule = "below-documented-minimum"
	RuleProcInst        oosc.Rule = "processing-instruction"
	RuleByteOrderMark   oosc.Rule = "byte-order-mark"
	RuleEmptyAttribute  oosc.Rule = "empty-attribute"
	RuleUnconfirmedForm oosc.Rule = "unconfirmed-form"
	RuleEmptyRedirect   oosc.Rule = "empty-redirect"
	RuleTextBesideMedia oosc.Rule = "text-beside-media"
	RuleBooleanDigit    oosc.Rule = "boolean-digit"
)

type class int

const (
	classDocument class = iota
	classSchema
	classValue
	classLint
)

func classOf(r oosc.Rule) class {
	switch r {
	case RuleUnknownElement, RuleElementCase, RuleMisplacedElement, RuleUnknownAttribute,
		RuleAttributeCase, RuleAttributeNotAllowed, RuleMissingAttribute, RuleTextNotAllowed:
		return classSchema
	case RuleInvalidValue, RuleOutOfRange, RuleTooLong, RuleTooShort, RuleMissingText,
		RuleMixedContent, RuleEmptyVerb, RuleTooMany, RuleConflict:
		return classValue
	case RuleUnreachable, RuleNearLimit, RuleNotE164, RuleDeprecated, RuleRejectNotFirst,
		RuleBelowSoftMin, RuleProcInst, RuleByteOrderMark, RuleEmptyAttribute, RuleUnconfirmedForm,
		RuleEmptyRedirect, RuleTextBesideMedia, RuleBooleanDigit:
		return classLint
	}
	return classDocument
}

// codeOf is the Twilio error a rule's problem causes in a document for ch,
// 0 when Twilio names none (the answer as a whole then causes 80905).
func codeOf(r oosc.Rule, ch oosc.Channel) oosc.Code {
	switch r {
	case RuleTooLarge:
		return oosc.CodeTwiMLTooLarge
	case RuleInvalidUTF8, RuleMalformed, RuleBeforeDeclaration, RuleDuplicateAttribute,
		RuleAfterRoot, RuleDoctype, RuleEmpty:
		return oosc.CodeDocumentParseFailure
	case RuleRoot:
		return oosc.CodeRootNotResponse
	case RuleWrongChannel:
		if ch == oosc.SMS {
			return oosc.CodeInvalidSMSVerb
		}
		return oosc.CodeSMSVerbNotSupported
	case RuleUnknownElement, RuleElementCase, RuleMisplacedElement, RuleUnknownAttribute,
		RuleAttributeCase, RuleAttributeNotAllowed, RuleMissingAttribute, RuleTextNotAllowed:
		return oosc.CodeSchemaValidation
	case RuleConflict:
		return oosc.CodeConferenceWithNumber
	}
	return 0
}
