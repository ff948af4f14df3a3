package autocreate

import (
	"fmt"

	"github.com/oosc-dev/oosc"
)

// Parse rules: the document is not a well-formed auto-create object.
const (
	RuleSyntax         oosc.Rule = "syntax"          // not JSON, not exactly one value, or trailing data
	RuleInvalidUTF8    oosc.Rule = "invalid-utf8"    // bytes that are not UTF-8, which JSON must be (RFC 8259 §8.1)
	RuleByteOrderMark  oosc.Rule = "byte-order-mark" // a byte order mark, which a JSON sender must not add (RFC 8259 §8.1)
	RuleNotObject      oosc.Rule = "not-object"      // a JSON value other than an object
	RuleUnknownField   oosc.Rule = "unknown-field"   // a key Proxy does not define
	RuleFieldCase      oosc.Rule = "field-case"      // a known key in another case (ParticipantIdentifier)
	RuleDuplicateField oosc.Rule = "duplicate-field" // the same key twice
	RuleWrongType      oosc.Rule = "wrong-type"      // a value of the wrong JSON type (ttl as a string)
	RuleMissingField   oosc.Rule = "missing-field"   // no participantIdentifier
)

// Value rules: the fields parse but Proxy would refuse them, or create a
// Session that cannot carry the interaction.
const (
	RuleEmptyField            oosc.Rule = "empty-field"                // participantIdentifier present but empty
	RuleInvalidMode           oosc.Rule = "invalid-mode"               // mode outside the three values
	RuleInvalidTTL            oosc.Rule = "invalid-ttl"                // a negative or fractional ttl
	RuleInvalidDate           oosc.Rule = "invalid-date"               // dateExpiry not RFC 3339
	RuleDateNotFuture         oosc.Rule = "date-not-future"            // dateExpiry not after now (80701)
	RuleTooLong               oosc.Rule = "too-long"                   // uniqueName over 191 characters (80701)
	RuleInvalidIdentifier     oosc.Rule = "invalid-identifier"         // neither E.164 nor a channel address (80404)
	RuleSenderAsParticipant   oosc.Rule = "sender-as-participant"      // participantIdentifier is the sender (80103)
	RuleModeChannel           oosc.Rule = "mode-channel-mismatch"      // a mode that cannot carry the inbound call or message (80911, 80910)
	RuleAddressNeedsMessaging oosc.Rule = "address-needs-message-only" // a channel address outside a message-only Session (80616)
)

// Warning rules: reported, not refused.
const (
	RulePII          oosc.Rule = "pii-in-unique-name"  // uniqueName holds what looks like a phone number
	RuleTTLAndExpiry oosc.Rule = "ttl-and-date-expiry" // both set: dateExpiry wins
	RuleModeUnset    oosc.Rule = "mode-unset"          // a channel address without mode message-only
)

// report collects the problems of a validation: at most
// oosc.MaxProblems, then only how many more there are.
type report struct {
	oosc.Report
	dropped int  // problems past oosc.MaxProblems, counted only
	errs    bool // whether a dropped problem was an error
}

// full reports whether the report has no room for another problem: the
// caller may then skip the work of describing it.
func (r *report) full() bool { return len(r.Problems) >= oosc.MaxProblems }

func (r *report) add(sev oosc.Severity, code oosc.Code, rule oosc.Rule, field, format string, args ...any) {
	if r.full() {
		r.dropped++
		r.errs = r.errs || sev == oosc.SeverityError
		return
	}
	r.Problems = append(r.Problems, oosc.Problem{Severity: sev, Rule: rule, Code: code, Field: field, Message: fmt.Sprintf(format, args...)})
}

// valid reports whether no problem, listed or counted, is an error.
func (r *report) valid() bool { return r.Valid() && !r.errs }

// done returns the report, with the count of the problems not listed.
func (r *report) done() oosc.Report {
	if r.dropped > 0 {
		sev := oosc.SeverityWarning
		if r.errs {
			sev = oosc.SeverityError
		}
		r.Problems = append(r.Problems, oosc.Problem{Severity: sev, Rule: oosc.RuleTooManyProblems,
			Message: fmt.Sprintf("%d more problems are not listed", r.dropped)})
		r.dropped = 0
	}
	return r.Report
}

// errorf records an error that causes no Twilio code of its own (the
// answer as a whole causes 80905).
func (r *report) errorf(rule oosc.Rule, field, format string, args ...any) {
	r.add(oosc.SeverityError, 0, rule, field, format, args...)
}

// codef records an error that causes the Twilio code code.
func (r *report) codef(code oosc.Code, rule oosc.Rule, field, format string, args ...any) {
	r.add(oosc.SeverityError, code, rule, field, format, args...)
}

func (r *report) warnf(rule oosc.Rule, field, format string, args ...any) {
	r.add(oosc.SeverityWarning, 0, rule, field, format, args...)
}
