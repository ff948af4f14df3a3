package oosc

import "strconv"

// Code is a Twilio error or warning code, as Twilio's Debugger logs it,
// such as 80905. Each code the module reports is declared once, here.
type Code int

// Codes of TwiML and of webhooks in general.
const (
	CodeHTTPRetrievalFailure Code = 11200 // a webhook's answer could not be fetched
	CodeTwiMLTooLarge        Code = 11750 // a TwiML body over 64 kB
	CodeDocumentParseFailure Code = 12100 // TwiML that is not well-formed XML
	CodeRootNotResponse      Code = 12102 // TwiML whose root is not <Response>
	CodeSchemaValidation     Code = 12200 // TwiML that parses but breaks the schema
	CodeInvalidContentType   Code = 12300 // an answer whose Content-Type Twilio cannot use
	CodeConferenceWithNumber Code = 13000 // <Conference> beside <Number> in one <Dial>
	CodeInvalidCallerID      Code = 13214 // a <Dial> callerId Twilio does not take
	CodeInvalidSIPURI        Code = 13243 // a <Sip> URI that is not a SIP URI
	CodeSayInvalidText       Code = 13520 // <Say> without text to speak
	CodeSMSVerbNotSupported  Code = 13803 // a messaging verb in voice TwiML
	CodeInvalidSMSVerb       Code = 14110 // a voice verb in messaging TwiML
	CodeStreamURLScheme      Code = 31922 // a <Stream> URL that is not wss://
)

// Codes of Twilio's REST API.
const (
	// CodeBadParameters is what Twilio's v1 APIs answer, with status 400,
	// for a missing or malformed parameter ("Missing required parameter
	// Identifier in the post body"); its catalogue title is older.
	CodeBadParameters    Code = 20001
	CodePermissionDenied Code = 20003 // wrong or missing credentials
	CodeNotFound         Code = 20404 // no such resource
	CodeTooManyRequests  Code = 20429 // rate limited
)

// Codes of Twilio Proxy.
const (
	CodeParticipantAlreadyInSession Code = 80103 // the identifier is already a Participant of this Session
	CodeNoProxyForCountry           Code = 80203 // no pool number matches the identifier's country
	CodeNoProxiesForService         Code = 80205 // the pool is empty
	CodeNoAvailableProxy            Code = 80206 // no compatible number for this Participant
	CodeNoUnreservedNumbers         Code = 80207 // every matching number is reserved
	CodeNoAvailableUnusedProxy      Code = 80208 // every matching number is in use by this identifier
	CodeParticipantIdentifierBad    Code = 80404 // neither E.164 nor a channel address
	CodePhoneNumberNotAvailable     Code = 80601 // the number is in another Service, or not in this pool
	CodeNonUniqueSessionName        Code = 80603 // uniqueName already used in the Service
	CodeProxyIdentifierInUse        Code = 80604 // the (identifier, proxy number) pair is held by another active Session
	CodeProxyIdentifierNotInService Code = 80605 // the proxy number is not in the pool
	CodeSessionClosed               Code = 80607 // the Session is closed
	CodeSessionStatusInvalid        Code = 80608 // a status change Proxy does not support
	CodeTooManyParticipants         Code = 80609 // a third Participant
	CodeDuplicateEntry              Code = 80612 // a removed Participant's identifier added back to its Session
	CodeNoPartnerParticipant        Code = 80614 // routed into a Session with no one to deliver to
	CodeIdentifierTypeForMode       Code = 80616 // a channel address outside a message-only Session
	CodeDuplicateParticipant        Code = 80623 // the same Participant requested in several Sessions
	CodeParameterValidation         Code = 80701 // a parameter Proxy refuses
	CodeReopenPairConflict          Code = 80801 // a reopen made an (identifier, proxy number) pair active in two Sessions (accounts that allow it)
	CodeCreatePairConflict          Code = 80802 // a Participant create made a pair active in two Sessions (accounts that allow it)
	CodeMessageMatchedStopWord      Code = 80901 // an opt-out keyword; the message is dropped
	CodeNoActiveSession             Code = 80902 // a call from someone in no active Session
	CodeUnknownParticipant          Code = 80903 // Proxy cannot match a Participant
	CodeExpiredSession              Code = 80904 // a Session reached its ttl or dateExpiry
	CodeUnknownScenario             Code = 80905 // no Session, and no valid answer from the out-of-session callback
	CodeCallbackError               Code = 80908 // one of the Service's callbacks failed
	CodeInboundContactRejected      Code = 80909 // the intercept callback answered 403
	CodeMessageToVoiceOnlySession   Code = 80910 // a message into a voice-only Session
	CodeCallToMessageOnlySession    Code = 80911 // a call into a message-only Session
	CodeOutOfSessionCallbackError   Code = 80913 // the out-of-session callback failed or answered outside 2xx
)

// codeInfo is Twilio's title and log level of a code, as its error
// catalogue gives them.
type codeInfo struct {
	title   string
	warning bool
}

var codes = map[Code]codeInfo{
	CodeHTTPRetrievalFailure:        {"HTTP retrieval failure", false},
	CodeTwiMLTooLarge:               {"TwiML response body too large", false},
	CodeDocumentParseFailure:        {"Document parse failure", false},
	CodeRootNotResponse:             {"The root element must be Response", false},
	CodeSchemaValidation:            {"Schema validation warning", true},
	CodeInvalidContentType:          {"Invalid Content-Type", false},
	CodeConferenceWithNumber:        {"Conference Noun cannot be mixed with Number nouns", true},
	CodeInvalidCallerID:             {"Dial: Invalid callerId value", true},
	CodeInvalidSIPURI:               {"Dial->SIP: Invalid SIP URI", true},
	CodeSayInvalidText:              {"Say: Invalid text", true},
	CodeSMSVerbNotSupported:         {"SMS verb not supported in this realm", false},
	CodeInvalidSMSVerb:              {"Invalid Verb for SMS Reply", true},
	CodeStreamURLScheme:             {"Stream - WebSocket - URL Schema Not Supported", false},
	CodeBadParameters:               {"Unknown parameters", true},
	CodePermissionDenied:            {"Permission Denied", false},
	CodeNotFound:                    {"Not Found", false},
	CodeTooManyRequests:             {"Too Many Requests", false},
	CodeParticipantAlreadyInSession: {"Participant Already In Session", false},
	CodeNoProxyForCountry:           {"No Available Proxy For Country", false},
	CodeNoProxiesForService:         {"No Proxies For Service", true},
	CodeNoAvailableProxy:            {"No Available Proxy", true},
	CodeNoUnreservedNumbers:         {"No unreserved numbers in proxy pool", false},
	CodeNoAvailableUnusedProxy:      {"No Available Unused Proxy", false},
	CodeParticipantIdentifierBad:    {"Participant Identifier Invalid", false},
	CodePhoneNumberNotAvailable:     {"Phone Number Not Available", true},
	CodeNonUniqueSessionName:        {"Non Unique Session Name", false},
	CodeProxyIdentifierInUse:        {"Proxy Identifier In Use", true},
	CodeProxyIdentifierNotInService: {"Proxy Identifier Not In Service", true},
	CodeSessionClosed:               {"Session Closed", true},
	CodeSessionStatusInvalid:        {"Session Status Invalid", false},
	CodeTooManyParticipants:         {"Too Many Added Participants", true},
	CodeDuplicateEntry:              {"Duplicate Entry", false},
	CodeNoPartnerParticipant:        {"No Partner Participant Found", true},
	CodeIdentifierTypeForMode:       {"Unsupported Identifier Type For Session Mode", false},
	CodeDuplicateParticipant:        {"Duplicate Participant Request", false},
	CodeParameterValidation:         {"Parameter Validation Failed", true},
	CodeReopenPairConflict:          {"Invalid attempt to Re-Open a Session", false},
	CodeCreatePairConflict:          {"Simultaneous requests to create the same Identifier in one or more Sessions", false},
	CodeMessageMatchedStopWord:      {"Message Matched Stop Word", true},
	CodeNoActiveSession:             {"No Active Session", false},
	CodeUnknownParticipant:          {"Unknown Participant", true},
	CodeExpiredSession:              {"Expired Proxy Session", true},
	CodeUnknownScenario:             {"Unknown Scenario", true},
	CodeCallbackError:               {"Callback Error", true},
	CodeInboundContactRejected:      {"Inbound Contact Rejected", true},
	CodeMessageToVoiceOnlySession:   {"Message To Voice Only Session Rejected", true},
	CodeCallToMessageOnlySession:    {"Call To Message Only Session Rejected", true},
	CodeOutOfSessionCallbackError:   {"Out-Of-Session Callback Error", false},
}

// String returns the code's number, as Twilio writes it: "80905". So
// fmt.Println of a list of codes prints [12100 80905], and %v and %s agree
// with %d. [Code.Title] gives the code's title.
func (c Code) String() string { return strconv.Itoa(int(c)) }

// Title returns Twilio's title of the code, such as "Unknown Scenario" for
// 80905, or "" for a code this module does not know (as
// net/http.StatusText does for an unknown status).
func (c Code) Title() string { return codes[c].title }

// Known reports whether the module knows the code's title and level.
func (c Code) Known() bool {
	_, ok := codes[c]
	return ok
}

// Warning reports whether Twilio logs the code as a warning rather than an
// error. Unknown codes are errors.
func (c Code) Warning() bool { return codes[c].warning }

// URL returns the page of Twilio's documentation for the code, the
// more_info of Twilio's error answers.
func (c Code) URL() string { return "https://www.twilio.com/docs/errors/" + strconv.Itoa(int(c)) }
