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
// changes nothing. Where Twilio documents no behaviour the emulator picks
// the strict, deterministic reading, marked "convention" below.
//
// Creating a Session checks, in order: uniqueName over 191 characters
// (80701); a uniqueName shaped like a Session SID, KC and 32 hex digits
// (20001: another Session may get that SID); a uniqueName used by a
// Session that is not deleted (80603); a mode other than message-only,
// voice-only, voice-and-message (80701); a dateExpiry not in the future
// or a negative ttl (80701); a dateExpiry past 9999-12-31T23:59:59Z, or a
// ttl that would carry the expiry past it (20001); then it adds
// each Participant in order, and any failure fails the create. An omitted
// mode is message-only when a Participant is a channel address, else
// voice-and-message (convention: Twilio says only that Proxy chooses).
//
// Adding a Participant checks, in order: the Session closed (80607); two
// Participants already (80609); an identifier neither E.164 nor a channel
// address (80404); a channel address outside a message-only Session
// (80616); the identifier already a Participant (80103); a given proxy
// identifier not in the pool (80605) or whose pair with the identifier an
// active Session holds (80604). Without a proxy identifier the emulator
// chooses one: an empty pool is 80205; a phone number matches the pool's
// numbers of its country calling code (and, with geoMatchLevel area-code,
// for +1 numbers, of its area code), a channel address matches any
// (convention), and no match is 80203; reserved numbers are never chosen
// (80207 when every match is reserved); numbers the identifier holds in
// an active Session are skipped (80208 when none is left). Then
// prefer-sticky (the default) takes the number the identifier held most
// recently, when it is a candidate, else the first in pool order;
// avoid-sticky takes the first the identifier never held, else the one it
// held least recently. Two Participants may share a number.
//
// A Session expires when its dateExpiry passes, or its ttl (the
// Service's defaultTtl when it has none) from the later of its creation,
// its last routed interaction and its reopening. As the clock moves, each
// expired Session closes with closedReason "expired" (convention) and
// ended at its expiry time, and 80904 is logged. A Session closed for 90
// days is deleted with its Participants. Closing through the API sets
// closedReason "api" (80607 if closed). Updating the status to in-progress
// reopens a closed Session (80604, and it stays closed, when another
// active Session holds one of its pairs; 80608 for an active one); any
// other status is 80608. A deleted Session is gone: its uniqueName is free
// and its senders count as never having had it.
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
// Session in progress. Any other contact is out of session, for the first
// cause that holds: other-proxy-number (the sender is in an active
// Session on another number), session-expired, session-closed (their
// latest Session on this number), no-previous-session. Without an
// out-of-session callback it fails with 80905. Otherwise the callback is
// POSTed a signed form: Twilio's voice or SMS parameters, and, whenever a
// previous Session of that sender on that number is known (the latest not
// deleted), whatever the cause, its session* fields and both of its
// Participants (inboundParticipant*, outboundParticipant*). Redirects are
// not followed. The answer is judged by package judge: a status outside
// 2xx or no answer is 80913; valid TwiML for the channel answers the
// contact (no Session); an auto-create document valid on its own terms
// creates a Session between (from, to) and the participant it names, as
// creating a Session does (a failure gives its code and 80905), and the
// contact is routed into it; anything else is 80905. Codes are listed
// ascending, without repeats.
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
// across restarts, and [Proxy.Version] tells a saver when it changed. Where Twilio's API answers differently from the Go API, the
// server follows Twilio: a pair conflict on create is 409 with 80623
// there (80604 here), and a missing or malformed parameter is 400 with
// 20001.
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
// 1,000), deliveries (MaxDeliveries, 1,000), webhooks (MaxWebhooks, 100)
// and each Session's Interactions (MaxInteractions, 1,000); memory stays
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
// geoMatchLevel country or area-code; numberSelectionBehavior
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
// step, op, outcome (ok or error for an operation; routed, twiml,
// created, failed, ignored, dropped or blocked for a contact), codes,
// session, deliverTo and shownFrom (routed or created), cause (every
// contact that found no Session), detail, events (warnings logged as the
// clock moved to the step, such as 80904), and expected (whether its
// expect held). oosc simulate exits 1 when an expect does not hold, or
// when a step without expect logs 80905 or 80913 (a scenario that
// reproduces them on purpose says so with expect), 0 otherwise, and 2 on
// a usage or scenario-file error.
package emulator
