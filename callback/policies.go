package callback

import (
	"context"
	"errors"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/twiml"
)

// Reply is a policy that answers every interaction with a fixed message:
// voiceText spoken to a caller, then the call ends; smsText sent back to a
// message's sender. An empty text gives an empty answer for that channel
// (silence and hang-up, or no reply).
func Reply(voiceText, smsText string) DecideFunc {
	voice := twiml.NewVoiceResponse()
	if voiceText != "" {
		voice.Say(voiceText, nil)
	}
	voice.Hangup()
	sms := twiml.NewMessagingResponse()
	if smsText != "" {
		sms.Message(smsText, nil)
	}
	return func(_ context.Context, req *Request) (Answer, error) {
		if req.Channel == oosc.Voice {
			return TwiML(voice), nil
		}
		return TwiML(sms), nil
	}
}

// ReconnectOptions configure [Reconnect]. Zero values are the defaults; a
// nil *ReconnectOptions is all defaults.
type ReconnectOptions struct {
	// TTL of the new Session. Default: one hour.
	TTL time.Duration
	// Mode of the new Session. Default: voice-and-message, which carries
	// both channels (a channel-address counterpart gets message-only).
	Mode autocreate.Mode
	// UniqueName names the new Session; it must hold no personal data.
	// Default: "oosc-" plus the previous Session's SID and the inbound
	// interaction's SID, or no name when there is no previous SID.
	UniqueName func(*Request) string
	// Otherwise decides when the payload names no counterpart. Default:
	// Reply with a short notice that the conversation has ended.
	Otherwise DecideFunc
}

// DefaultEndedNotice is what Reconnect and Directory answer, spoken to a
// caller or sent back to a message's sender, when there is no one to
// connect with and Otherwise is not set.
const DefaultEndedNotice = "This conversation has ended. Please use the app to get in touch again."

// Reconnect is a policy that puts the sender back in touch with the other
// party of their previous Session: an auto-create answer with the previous
// outbound Participant's identifier as participantIdentifier and their
// previous proxy number as participantProxyIdentifier, so that the
// counterpart sees the same number as before. When the payload names no
// counterpart, Otherwise decides.
func Reconnect(options *ReconnectOptions) DecideFunc {
	var opts ReconnectOptions
	if options != nil {
		opts = *options
	}
	if opts.TTL == 0 {
		opts.TTL = time.Hour
	}
	if opts.Mode == "" {
		opts.Mode = autocreate.VoiceAndMessage
	}
	if opts.UniqueName == nil {
		opts.UniqueName = defaultUniqueName
	}
	if opts.Otherwise == nil {
		opts.Otherwise = Reply(DefaultEndedNotice, DefaultEndedNotice)
	}
	return func(ctx context.Context, req *Request) (Answer, error) {
		out := req.OutboundParticipant
		if out == nil || out.Identifier == "" || out.Identifier == req.From {
			return opts.Otherwise(ctx, req)
		}
		s := autocreate.Session{
			UniqueName:                 opts.UniqueName(req),
			Mode:                       opts.Mode,
			TTL:                        opts.TTL,
			ParticipantIdentifier:      out.Identifier,
			ParticipantProxyIdentifier: out.ProxyIdentifier,
		}
		if id, err := autocreate.ParseIdentifier(out.Identifier); err == nil && id.Kind == autocreate.ChannelAddress {
			s.Mode = autocreate.MessageOnly
		}
		return AutoCreate(s), nil
	}
}

func defaultUniqueName(req *Request) string {
	if req.PreviousSession == nil || req.PreviousSession.Sid == "" {
		return ""
	}
	sid := req.CallSid
	if sid == "" {
		sid = req.MessageSid
	}
	return "oosc-" + req.PreviousSession.Sid + "-" + sid
}

// Counterpart is whom a directory lookup connects the sender with.
type Counterpart struct {
	Identifier      string // E.164 number or channel address; required
	ProxyIdentifier string // the proxy number they are given; "" lets Proxy choose
	UniqueName      string // the new Session's name, without personal data; may be ""
}

// LookupFunc finds whom to connect the request's sender with, or returns
// ErrNoCounterpart.
type LookupFunc func(ctx context.Context, req *Request) (Counterpart, error)

// DirectoryOptions configure [Directory]. Zero values are the defaults; a
// nil *DirectoryOptions is all defaults.
type DirectoryOptions struct {
	TTL  time.Duration   // Default: one hour.
	Mode autocreate.Mode // Default: voice-and-message.
	// Otherwise decides when the lookup returns ErrNoCounterpart. Default:
	// Reply with the notice that the conversation has ended.
	Otherwise DecideFunc
}

// Directory is a policy that asks the application's lookup whom to connect
// the sender with and answers with an auto-create session for that
// counterpart. ErrNoCounterpart hands over to Otherwise; any other lookup
// error is the decision's error, so the handler falls back.
func Directory(lookup LookupFunc, options *DirectoryOptions) DecideFunc {
	var opts DirectoryOptions
	if options != nil {
		opts = *options
	}
	if opts.TTL == 0 {
		opts.TTL = time.Hour
	}
	if opts.Mode == "" {
		opts.Mode = autocreate.VoiceAndMessage
	}
	if opts.Otherwise == nil {
		opts.Otherwise = Reply(DefaultEndedNotice, DefaultEndedNotice)
	}
	return func(ctx context.Context, req *Request) (Answer, error) {
		c, err := lookup(ctx, req)
		if errors.Is(err, ErrNoCounterpart) {
			return opts.Otherwise(ctx, req)
		}
		if err != nil {
			return Answer{}, err
		}
		mode := opts.Mode
		if id, err := autocreate.ParseIdentifier(c.Identifier); err == nil && id.Kind == autocreate.ChannelAddress {
			mode = autocreate.MessageOnly
		}
		return AutoCreate(autocreate.Session{
			UniqueName: c.UniqueName, Mode: mode, TTL: opts.TTL,
			ParticipantIdentifier: c.Identifier, ParticipantProxyIdentifier: c.ProxyIdentifier,
		}), nil
	}
}
