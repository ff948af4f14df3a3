package twiml

// ContentType is the media type of a TwiML answer, exactly as Proxy
// requires it for the out-of-session callback.
const ContentType = "application/xml"
