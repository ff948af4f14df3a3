package twiml

// SSML is a <Say> or an SSML container inside it (<p>, <s>, <prosody>,
// <emphasis>, <lang>, <w>): add text and SSML elements with its methods.
// Tags are written in lowercase and attributes with their SSML names
// (interpret-as, xml:lang), as Twilio requires. Each method that adds an
// element returns it; Text returns the receiver, so that text can follow.
type SSML struct{ node }

// Text adds text to speak.
func (s *SSML) Text(t string) *SSML {
	if t != "" {
		s.el.CreateText(t)
	}
	return s
}

// BreakAttrs are the attributes of <break>.
type BreakAttrs struct {
	Strength string // none, x-weak, weak, medium, strong, x-strong
	Time     string // such as 500ms or 2s
}

func (a *BreakAttrs) typed() (t attrs) {
	if a == nil {
		return nil
	}
	t.str("strength", a.Strength)
	t.str("time", a.Time)
	return t
}

// Break is a <break>.
type Break struct{ node }

// Break adds a pause.
func (s *SSML) Break(a *BreakAttrs) *Break { return &Break{s.add("break", a.typed(), nil, "")} }

// container adds an SSML container with text.
func (s *SSML) container(tag, text string, t attrs) *SSML {
	return &SSML{s.add(tag, t, nil, text)}
}

// Emphasis adds a container spoken with emphasis: level strong, moderate
// or reduced, or "" for the default.
func (s *SSML) Emphasis(text, level string) *SSML {
	var t attrs
	t.str("level", level)
	return s.container("emphasis", text, t)
}

// Lang adds a container spoken in another language (xml:lang, such as fr-FR).
func (s *SSML) Lang(text, lang string) *SSML {
	var t attrs
	t.str("xml:lang", lang)
	return s.container("lang", text, t)
}

// P adds a paragraph.
func (s *SSML) P(text string) *SSML { return s.container("p", text, nil) }

// S adds a sentence.
func (s *SSML) S(text string) *SSML { return s.container("s", text, nil) }

// W adds a word container with a role, such as amazon:VB.
func (s *SSML) W(text, role string) *SSML {
	var t attrs
	t.str("role", role)
	return s.container("w", text, t)
}

// ProsodyAttrs are the attributes of <prosody>.
type ProsodyAttrs struct {
	Volume string // default, silent, x-soft ... x-loud, or a change such as +6dB
	Rate   string // x-slow ... x-fast, or a percentage such as 90%
	Pitch  string // default, x-low ... x-high, or a change such as +10%
}

func (a *ProsodyAttrs) typed() (t attrs) {
	if a == nil {
		return nil
	}
	t.str("volume", a.Volume)
	t.str("rate", a.Rate)
	t.str("pitch", a.Pitch)
	return t
}

// Prosody adds a container with another volume, rate or pitch.
func (s *SSML) Prosody(text string, a *ProsodyAttrs) *SSML {
	return s.container("prosody", text, a.typed())
}

// Phoneme is a <phoneme>.
type Phoneme struct{ node }

// Phoneme adds a word with its pronunciation: alphabet ipa or x-sampa, ph
// the phonetic symbols.
func (s *SSML) Phoneme(text, alphabet, ph string) *Phoneme {
	var t attrs
	t.str("alphabet", alphabet)
	t.str("ph", ph)
	return &Phoneme{s.add("phoneme", t, nil, text)}
}

// SayAs is a <say-as>.
type SayAs struct{ node }

// SayAs adds text read as interpretAs says (characters, digits, date,
// telephone, ...), with an optional date format (mdy, dmy, ...).
func (s *SSML) SayAs(text, interpretAs, format string) *SayAs {
	var t attrs
	t.str("interpret-as", interpretAs)
	t.str("format", format)
	return &SayAs{s.add("say-as", t, nil, text)}
}

// Sub is a <sub>.
type Sub struct{ node }

// Sub adds text read as alias.
func (s *SSML) Sub(text, alias string) *Sub {
	var t attrs
	t.str("alias", alias)
	return &Sub{s.add("sub", t, nil, text)}
}
