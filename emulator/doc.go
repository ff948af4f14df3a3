// Package emulator plays Twilio Proxy: Services with their number pools,
// Sessions and Participants with their lifecycle on a virtual clock,
// inbound calls and messages routed as Proxy routes them, and the webhooks
// Proxy sends (the out-of-session callback, the intercept callback, the
// interaction status callback), signed as Twilio signs them. It lets a
// team prove, without Twilio, that none of the five causes of error 80905
// reaches their users: no Session for that sender and number; a Session
// closed, expired or deleted; no out-of-session callback; an answer Proxy
// refuses; a sender who dialled a number other than the one they were
// given.
//
// One engine serves three front ends: this Go API ([Proxy]), the command
// oosc simulate (a scenario file, [ParseScenario] and [RunScenario]), and
// oosc emulate, Proxy's REST API served locally ([NewServer]).
//
// # The rules
//
// Errors are Twilio's codes ([oosc.Code]); an operation that fails
// changes nothing. Each rule below follows a Twilio source, named in the
// table at the end of this section. Where Twilio says nothing the
// emulator picks a strict, deterministic reading that refuses nothing
// Twilio is known to allow, marked "convention"; where Twilio's sources
// disagree, behaviour pages win for behaviour and the OpenAPI description
// for shapes, marked "sources disagree".
//
// Creating a Session checks, in order: uniqueName over 191 characters
// (80701); a uniqueName shaped like a Session SID, KC and 32 hex digits
// (20001: another Session may get that SID); a uniqueName used by a
// Session that is not deleted (80603); a mode other than message-only,
// voice-only, voice-and-message (80701); a dateExpiry not in the future
// or a negative ttl (80701); a dateExpiry past 9999-12-31T23:59:59Z, or a
// ttl that would carry the expiry past it (20001); a status other than
// open (the default) or in-progress (80608); then it adds each
// Participant in order, and any failure fails the create. An omitted mode
// is message-only when a Participant is a channel address, else
// voice-and-message.
//
// Adding a Participant checks, in order: the Session closed (80607); two
// Participants already (80609); an identifier neither E.164 nor a channel
// address (80404); a channel address outside a message-only Session
// (80616); the identifier already a Participant (80103), or removed from
// this Session (80612); a given proxy identifier not in the pool (80605)
// or whose pair with the identifier an active Session holds (80604; on the
// REST API 409 and 80623). With Options.AllowParticipantConflict (Twilio's
// legacy account flag ProxyAllowParticipantConflict) that pair conflict
// succeeds and logs 80802, unless the request sets
// FailOnParticipantConflict; contacts of a pair held twice go to the
// Participant that took it last. Without a proxy identifier the emulator
// chooses one: an empty pool is 80205; a phone number matches the pool's
// numbers of its country calling code (none: 80203) and, with
// GeoMatchLevel area-code, for +1 numbers, of its area code too (none:
// 80206); overlay and radius match as country does; a channel address
// matches any number; reserved numbers are never chosen (80207 when every
// match is reserved); numbers the identifier holds in an active Session
// are skipped (80208 when none is left). Then prefer-sticky (the default)
// takes the number the identifier held most recently, when it is a
// candidate, else the first in pool order; avoid-sticky takes the first
// the identifier never held, else the one it held least recently. Two
// Participants may share a number. Removing a Participant is a soft
// delete: it stays in its Session with its date deleted, its pair is
// free, it cannot be added back (80612), and a Message Interaction to it
// is 80903.
//
// A Session expires when its dateExpiry passes, or its ttl (the
// Service's defaultTtl when it has none, else [DefaultTTL], 90 days) from
// the later of its creation, its last routed interaction and its
// reopening. As the clock moves, each expired Session closes with
// closedReason "expired" and ended at its expiry time, and 80904 is
// logged. A Session closed for 90 days is deleted with its Participants.
// Closing through the API sets closedReason "api" (80607 if closed).
// Updating the status to in-progress reopens a closed Session (80604, and
// it stays closed, when another active Session holds one of its pairs;
// with AllowParticipantConflict it reopens and logs 80801, unless the
// update sets FailOnParticipantConflict; 80608 for an active one); any
// other status is 80608. The emulator never sets the statuses failed and
// unknown of Twilio's enum. A deleted Session is gone: its uniqueName is
// free and its senders count as never having had it.
//
// An inbound contact (voice or sms, from, to, a message's body and media)
// goes, in order: a message that is exactly an opt-out keyword (STOP,
// STOPALL, UNSUBSCRIBE, END, CANCEL, QUIT, ARRET, ARRETE, ARRETT, UNSTOP;
// trimmed, any case) is dropped with 80901 and calls nothing; a number
// not in the pool is ignored; a sender holding that number in an active
// Session is routed: 80911 for a call into a message-only Session, 80910
// for a message into a voice-only one, 80614 without another
// Participant, 80909 (blocked) when the intercept callback answers 403,
// else delivered to the other Participant from their proxy number, the
// Session in progress, and an Interaction made. Any other contact is out
// of session, for the first cause that holds: other-proxy-number (the
// sender is in an active Session on another number), session-expired,
// session-closed (their latest Session on this number),
// no-previous-session. Without an out-of-session callback it fails with
// 80905. Otherwise the callback is POSTed a signed form: Twilio's voice or
// SMS parameters with the geography of each number, and, whenever a
// previous Session of that sender on that number is known (the latest not
// deleted), whatever the cause, its session* fields and both of its
// Participants (inboundParticipant*, outboundParticipant*). Redirects are
// not followed. The answer is judged by package judge: a status outside
// 2xx or no answer is 80913; valid TwiML for the channel answers the
// contact (no Session), and what Proxy carries out of it is recorded as
// deliveries (see Deliveries); an auto-create document valid on its own terms
// creates a Session between (from, to) and the participant it names, as
// creating a Session does (a failure gives its code and 80905), and the
// contact is routed into it; anything else gives the codes
// judge.Verdict.LoggedCodes gives (the answer's errors' codes and 80905,
// such as [12100 80905] for TwiML that does not parse), so that the
// emulator and the judge agree. Codes are listed ascending, without
// repeats.
//
// # Events and webhooks
//
// What Proxy would log is kept as Twilio's Debugger keeps it, in package
// debugger's model: [Proxy.Events] and [Proxy.AdvanceTo] return
// debugger.Events, numbered NO… in the order logged, each with its level,
// Service, Session, sender and Proxy number (of a pair conflict, 80801 or
// 80802: the pair's identifier and proxy number; of a Message
// Interaction: its proxy number and its Participant), what went wrong
// (Text), every code of the same contact (Codes: an 80905 beside the
// 80603 of an auto-create Session that could not be made), the webhook
// exchange it came from (the out-of-session callback's, also for a
// failure routing into the Session its auto-create answer made; the
// intercept callback's 403 to a contact or a Message Interaction, and
// its answer when the Session changed meanwhile, 80903; the status
// callback's failure), and its Explanation, made as it is logged, from
// the whole answer. The events' log keeps three kinds apart,
// Options.MaxEvents of each, so that no flood of one pushes out another:
// faults (errors, and 80905, a warning in Twilio's catalogue that loses a
// contact), expiries (80904, which the clock logs by the hundreds when it
// moves by days) and the other warnings (80908 for every contact while a
// status callback fails, ...): no number of expiries or failed status
// callbacks pushes out an 80905 or an 80913.
//
// [Proxy.Webhooks] is the webhooks' history: each webhook sent, as an
// [Exchange], in flight until its answer or its failure is recorded: the
// request (kind, URL, parameters), the answer (status, headers, the first
// [MaxLoggedBodyBytes] of its body), or why none came (the webhook's
// Error: refused, reset, timed out), its Latency on the wall clock, and,
// for the out-of-session callback, the judge's verdict, made from the
// whole answer; a contact's [Result].Callback holds its out-of-session
// exchange with the whole body. [Options].OnEvent and OnWebhook are told
// of each event and exchange as it is logged, and OnContact of each
// inbound contact once it has ended, never under the emulator's lock.
//
// # Deliveries
//
// [Proxy.Deliveries] is what each phone received, each [Delivery] with
// its [Source]: a contact routed to the other Participant of its Session
// (routed), a Message Interaction (message-interaction), and what Proxy
// carried out of the out-of-session callback's TwiML answer (twiml), by
// the rules below. Each <Message>, or the deprecated <Sms>, is a message
// (its <Body> texts, else its own text, trimmed, and its <Media> URLs) to
// the sender unless its to attribute names another number, from the
// Proxy number reached unless its from attribute names another. Of a
// call, what the caller heard is one delivery on the voice channel, to
// the caller from the Proxy number: its Body the text of each <Say>, a
// <Gather>'s included, one a line; its Media the URL of each <Play>. Each
// number a <Dial> calls (its text, or each <Number>) receives a call,
// shown from the Dial's callerId, else from the caller's own number, as
// Twilio passes an inbound caller ID on: an answer that dials out without
// callerId shows the caller's real number, which a masking app rarely
// wants. Other verbs reach no phone (<Redirect>, <Enqueue>, a <Dial> to a
// Client, a SIP address or a Conference) and are not recorded; an empty
// <Response/> sends nothing.
//
// An Interaction's legs carry the statuses of Twilio's Calls and
// Messages ([ResourceStatus]): a routed message is received and delivered; a routed call is
// in-progress (answered by Proxy) and initiated (the call to the other
// Participant), both completed when it ends ([Proxy.EndCall], or a
// duration given to the control API), its data then {"duration": "N"}. A
// Message Interaction has no inbound leg, and its message, with its
// media, is delivered at once. The intercept callback gets the
// Interaction and its inbound leg (13 parameters) before it is made, for
// a routed contact and for a Message Interaction (a 403 refuses it:
// 80909); the status callback gets the Interaction and both legs (18
// parameters, empty for a leg it has not) when it is made and when a call
// ends; a status callback that fails is logged as 80908.
//
// Where each rule comes from. [OAI] is Twilio's OpenAPI description of
// Proxy (twilio_proxy_v1.json); [Webhooks], [Session], [Participant],
// [Interaction], [PhoneNumber], [OOSGuide], [Changelog] are the pages of
// twilio.com/docs/proxy; [E80604] is the error page
// twilio.com/docs/api/errors/80604, and so on; [CHANGES] is twilio-oai's
// CHANGES.md; [Message] is twilio.com/docs/messaging/twiml/message,
// [Sms] twilio.com/docs/voice/twiml/sms, [Dial]
// twilio.com/docs/voice/twiml/dial, [VoiceChangelog] Twilio's changelog
// entry of 2022-11-16, "Upcoming changes to withheld caller ID behavior
// for <Dial> calls". A rule marked "convention" is the emulator's where Twilio
// says nothing; "sources disagree" says which source won.
//
//	uniqueName: 191 characters at most, unique among Sessions
//	    [OAI] unique_name, [E80603]
//	mode: the three of the enum; omitted, chosen from the Participants
//	    [OAI] session_enum_mode; [OOSGuide]: Proxy "will try to make an intelligent choice" (convention for the choice)
//	status on create: open or in-progress, else 80608
//	    [OAI] CreateSession Status, [E80608] (convention: no source says what a status on create does)
//	statuses failed and unknown: never set
//	    [OAI] session_enum_status lists them (convention: no source says when Proxy sets them)
//	dateExpiry in the future, ttl not negative: 80701
//	    [OAI] DateExpiry, Ttl; [E80701] (convention for the order of the checks)
//	two Participants at most (80609); none added to a closed Session (80607)
//	    [E80609], [E80607]
//	identifier E.164 or a channel address (80404), a channel address only in message-only Sessions (80616)
//	    [E80404], [E80616], [Participant]
//	a removed Participant stays, with date_deleted, and is not added back (80612)
//	    [OAI] DeleteParticipant ("soft-delete ... cannot be re-added"), date_deleted
//	a Message Interaction to a removed Participant: 80903
//	    [E80903]: Proxy cannot match the Participant, such as a deleted one of a Message Interaction
//	pair conflicts refused: 409 and 80623 on create, 400 and 80604 on reopen
//	    [E80623], [E80802], [E80801], [E80604] (sources disagree: 80604's page also names a create with a given
//	    proxy identifier; the emulator answers 409 80623 on create, as the pages of 80623 and 80802 do)
//	FailOnParticipantConflict; a legacy account's conflicts succeed and log 80802 (create) or 80801 (reopen)
//	    [E80801], [E80802], [E80623], [CHANGES] 2020-09-17 (sources disagree: [CHANGES] 2022-10-31 removed the
//	    parameter from [OAI]; the error pages, behaviour pages, win)
//	a pair held twice routes to the Participant that took it last
//	    [E80802]: "routed to unintended recipients" (convention for which)
//	proxy number selection: country (80203), area code for +1 (80206), reserved (80207), in use (80208), empty pool (80205)
//	    [E80203], [E80206], [E80207], [E80208], [E80205]
//	GeoMatchLevel overlay and radius match as country
//	    [OAI] service_enum_geo_match_level; [OAI] and [E80206] speak of "extended-area-code", which the enum
//	    lacks, and no source defines overlay or radius (convention: the permissive reading)
//	a channel address matches any proxy number
//	    (convention: no source)
//	prefer-sticky and avoid-sticky
//	    [OAI] NumberSelectionBehavior (its description as twilio-go v1.31.0 has it)
//	expiry: dateExpiry, else ttl from creation, last interaction, reopening
//	    [OAI] ttl, date_expiry; [E80904]
//	a ttl of 90 days when neither the Session nor its Service sets one
//	    [E80904] (sources disagree: [OAI] default_ttl calls 0 unlimited; the behaviour page wins)
//	closedReason api when closed through the API, expired when it expires
//	    [Webhooks] example (api); expired: convention, no source names it
//	closed Sessions deleted after 90 days, with their Participants and Interactions
//	    [Changelog] 2019.11.18, [Session]
//	opt-out keywords dropped with 80901
//	    [Changelog] 2020.09.15, the opt-out keywords page, [E80901]
//	80911, 80910, 80614 for a contact its Session cannot carry
//	    [E80911], [E80910], [E80614]
//	the five causes of 80905; 80913 for a callback that fails
//	    [E80905], [E80913], [OOSGuide]
//	a valid TwiML answer is carried out, with no Session: <Message>, <Say>, <Play>, <Dial> and the others
//	    [OOSGuide] ("respond with custom <Play>, <Say>, <Message> and other verbs"; only auto-create makes a
//	    Session); [Webhooks] (valid TwiML "will be processed": "play a message for a call, send an automated text
//	    message response, or redirect a call to another number")
//	a <Message> without to goes to the sender; from the Proxy number reached
//	    [Message] to ("If no 'to' attribute is provided, Twilio sends the message as a reply to the current
//	    sender") (convention for from: the number the reply answers, as Twilio's messaging replies are sent;
//	    no source says it of Proxy)
//	an <Sms> during a call goes to the caller, from the number called
//	    [Sms] ("When sending an SMS during an incoming call, 'to' defaults to the caller", and "'from' defaults to
//	    the called party")
//	a <Dial> without callerId shows the caller's own number to the number called
//	    [Dial] callerId; [E13214] (without callerId the inbound caller ID "will be passed to the destination");
//	    [VoiceChangelog]
//	what a caller heard: the <Say> texts and <Play> URLs, <Gather>'s included, as one delivery
//	    (convention: no source records what a caller heard; the emulator's record of the verbs Twilio performs)
//	a number's in_use: the active Sessions that use it, once each, though both Participants share it
//	    [OAI] in_use ("The number of open session assigned to the number")
//	out-of-session form: voice or messaging parameters, geography, session*, inboundParticipant*, outboundParticipant*
//	    [Webhooks] example; Twilio's voice and messaging webhook pages (convention: the previous Session whatever the cause)
//	geography from the number's digits, empty when they do not tell (city and ZIP code always)
//	    ITU-T E.164 country codes and the NANP's area codes, in package internal/numbering
//	webhooks: interactionType Voice, Message; resource types call, message
//	    [Webhooks] example (Voice, call); Message and message by analogy (convention)
//	status callback: 18 parameters, on each new Interaction and when a call ends
//	    [Webhooks] ("fired for each new interaction"); [OAI] callback_url ("when the interaction status
//	    changes") (sources disagree: the emulator does both)
//	intercept callback: 13 parameters, before each Interaction; 403 blocks (80909), anything else goes on
//	    [Webhooks], [E80909]
//	intercept callback for Message Interactions; a 403 refuses the create with 400 80909
//	    [Webhooks] ("fires on each interaction") (convention for the REST answer: no source)
//	Interaction statuses: a call in-progress and initiated, then completed; a message received and delivered
//	    [OAI] interaction_enum_resource_status (sources disagree: [Interaction] says the inbound leg is "always
//	    delivered for messages and in-progress for calls"; Twilio's Message statuses, an inbound message being
//	    received, win for messages)
//	a call's data {"duration": "N"} once it ends, empty before
//	    [OAI] data; [Webhooks] example (interactionData empty for a call)
//	Message Interaction: no inbound leg; MediaUrl delivered with the body
//	    [OAI] CreateMessageInteraction: inbound "always empty"; MediaUrl "reserved" (convention: delivered)
//	REST: success statuses, list keys, field names
//	    [OAI] responses (MessageInteraction create 200, Participant delete 200, list key interactions)
//	REST: SIDs in paths; a unique name only to fetch a Service or a Session
//	    [OAI] path parameter patterns
//	numbers of the account added by Sid; an unknown Sid is 404 and 20404
//	    [OAI] CreatePhoneNumber Sid, [PhoneNumber] (convention for the error: no source)
//	no ShortCodes
//	    [CHANGES] 2025-07-03
//	iso_country from the number
//	    [OAI] iso_country; ITU-T E.164, the NANP
//	webhooks signed, a 15 s timeout, redirects not followed
//	    Twilio's webhook security page and webhooks FAQ (convention for redirects)
//
// # The REST server
//
// [NewServer] serves a Proxy over HTTP as Twilio serves it, so that an
// application's REST half, through Twilio's own helper libraries, and its
// webhooks run together against the emulator: the REST API (/v1), the
// control API for the world outside Proxy (/emulator), and a page (/);
// NewServer lists the routes, the error answers and the gates every
// request passes (its Host must name the emulator, no web page of another
// origin may call it, the control API takes JSON only). oosc emulate
// serves one; [Proxy.SaveState] and [Proxy.RestoreState] keep its state
// across restarts, and [Proxy.Version] tells a saver when it changed. It
// answers with the status each operation's success has in Twilio's
// OpenAPI description, takes SIDs in paths as the description says (a
// unique name only to fetch a Service or a Session), and checks itself
// against the description (module conformance). Where Twilio's API
// answers differently from the Go API, the server follows Twilio: a pair
// conflict on create is 409 with 80623 there (80604 here), and a missing
// or malformed parameter is 400 with 20001. The control API's JSON is the
// Go API's: a contact answers its [Result], the clock and GET
// /emulator/events answer debugger.Events, GET /emulator/webhooks the
// [Exchange] of each webhook, GET /emulator/deliveries each [Delivery].
//
// # The page
//
// The page at / answers "what went wrong?" first: the Debugger's
// summary, a count per code of the events the log holds in the window it
// names (errors and 80905 first, "3 × 80905, 1 × 80913, 154 × 80904"),
// each linking to its rows; then the events, newest first, a run of
// 80904s one row with its count; the webhooks' history (each request's
// parameters, its answer's status, Content-Type and body, the latency,
// the verdict); the deliveries; and each Service's pool (per number, its
// active Sessions, Twilio's in_use, and their Participants), Sessions
// (when each expires, or ended) and latest Interactions, with Session
// names and phone numbers beside SIDs and message bodies as text. Query
// parameters, which a plain GET form writes, filter it: service and
// session (a SID or a uniqueName), code, number (the "+" may be left
// out). Each table shows 200 rows a page; eventsPage, webhooksPage,
// deliveriesPage, sessionsPage and numbersPage (from 1) choose another.
// refresh=N adds a meta refresh of N seconds (2 to 3,600). A parameter
// the page cannot read is ignored, and the page says so. It is plain HTML
// and CSS, no script (its Content-Security-Policy allows none), every
// value escaped; below 700 px wide each table's rows stack as cards.
//
// Phone numbers are shown whole, on the page as in the control API's
// JSON and the REST API: the emulator is a local tool that shows the
// developer's own test data, behind the gates and Basic auth of the
// control API, and a number cut short could not be matched with the one
// the app sent. Logs are where numbers are masked (oosc emulate's lines
// on stdout mask them unless asked not to).
//
// # Limits
//
// The emulator holds times from year 1 to 9999-12-31T23:59:59Z, the last
// second RFC 3339 writes: a clock moved past it, a dateExpiry past it (an
// offset such as -23:59 included) and a ttl or a Service's defaultTtl
// that would carry an expiry past it are refused where they enter (20001;
// a step of a scenario file names its key), so that nothing makes the
// state unsaveable. A Service's uniqueName shaped like a Service SID (KS
// and 32 hex digits) is refused likewise. Any JSON object it reads (a
// Participants value, a control API body, a scenario file, a state file)
// with a key given twice, or two keys that differ only in case, is
// refused (20001), since which one counted would depend on their order.
//
// Every log the emulator keeps is a ring of its latest entries, counting
// what it dropped ([Proxy.Dropped]): events ([Options].MaxEvents, default
// 1,000 of each of its three kinds), deliveries (MaxDeliveries, 1,000),
// webhooks (MaxWebhooks, 100) and each Session's Interactions (MaxInteractions, 1,000); memory stays
// flat under any stream of contacts, whatever their bodies. No lock is
// held while a webhook is waited for; a Reset, RestoreState or
// DeleteService while a contact waits on one ends that contact as failed,
// with no code and nothing of it carried out (no Session, no delivery, no
// event). A contact waits for three webhooks at most (out-of-session,
// intercept, status), each for Options.WebhookTimeout (15 s, as Proxy):
// [Proxy.ContactTimeout] bounds it, and a server that answers it over HTTP
// needs a write timeout above that (oosc emulate sizes its own from it).
//
// RestoreState checks the whole file before it changes anything: the
// JSON (nothing after it, no key twice), the format and account, every
// time in range, every SID well-formed, given once and numbered within
// the file's counter, uniqueNames once and not shaped like SIDs, a number
// in one pool, one active Session per identifier/proxy number pair; it
// recomputes what is derived (in-use counts, indexes), and says what is
// wrong in a [*StateError] that names the resource.
//
// # Scenario files
//
// oosc simulate runs a scenario file: one JSON object. Unknown keys, a
// key given twice, data after the object, a ttl that does not fit, and
// steps that go back in time are errors naming the step and the key.
//
//	{
//	  "service": {
//	    "numbers": [{"number": "+14155550100"}, {"number": "+14155550111", "reserved": true}],
//	    "callback": true,
//	    "interceptCallback": false,
//	    "defaultTtl": 0,
//	    "geoMatchLevel": "country",
//	    "numberSelectionBehavior": "prefer-sticky"
//	  },
//	  "steps": [
//	    {"at": "2026-01-05T10:00:00Z", "create": {"uniqueName": "ride-1", "mode": "voice-and-message", "ttl": 3600,
//	      "participants": [{"identifier": "+19515550101", "proxyIdentifier": "+14155550100"}, {"identifier": "+17075550102"}]},
//	      "expect": {"outcome": "ok", "session": "ride-1"}},
//	    {"at": "2026-01-05T10:05:00Z", "inbound": {"channel": "sms", "from": "+19515550101", "to": "+14155550100", "body": "on my way"},
//	      "expect": {"outcome": "routed", "deliverTo": "+17075550102", "shownFrom": "+14155550100"}},
//	    {"at": "2026-01-05T10:06:00Z", "close": "ride-1"},
//	    {"at": "2026-01-05T10:07:00Z", "reopen": "ride-1"},
//	    {"at": "2026-01-05T10:08:00Z", "update": {"uniqueName": "ride-1", "status": "closed"}},
//	    {"at": "2026-01-05T12:00:00Z", "inbound": {"channel": "voice", "from": "+19515550101", "to": "+14155550100"},
//	      "expect": {"outcome": "created", "codes": [], "cause": "session-closed", "session": "KC*"}}
//	  ]
//	}
//
// service: numbers (number: E.164 or a channel address; reserved), and
// whether the Service has an out-of-session callback (callback) and an
// intercept callback (interceptCallback), whose URLs the command line
// gives (--callback-url, --intercept-url); defaultTtl in seconds;
// geoMatchLevel country, area-code, overlay or radius; numberSelectionBehavior
// prefer-sticky or avoid-sticky.
//
// Each step has "at" (RFC 3339) and exactly one operation: create
// (uniqueName, mode, ttl, dateExpiry, participants of identifier,
// proxyIdentifier, friendlyName), close, delete or reopen (a uniqueName),
// update (uniqueName, status, ttl, dateExpiry), or inbound (channel voice
// or sms, messaging a synonym of sms; from; to; and for sms body and
// media, a list of URLs). A step may carry expect: any of outcome, codes,
// cause, session, deliverTo, shownFrom, each compared exactly with the
// step's result; session "KC*" matches any Session SID.
//
// Each step gives one result ([StepResult]; one JSON line with --json):
// step (its index in steps, from 0, as errors name it), op, outcome (ok
// or error for an operation; routed, twiml, created, failed, ignored,
// dropped or blocked for a contact), codes,
// session, deliverTo and shownFrom (routed or created), cause (every
// contact that found no Session), detail, events (warnings logged as the
// clock moved to the step, such as 80904), and expected (whether its
// expect held). oosc simulate exits 1 when an expect does not hold, or
// when a step without expect logs 80905 or 80913 (a scenario that
// reproduces them on purpose says so with expect), 0 otherwise, and 2 on
// a usage or scenario-file error.
package emulator
