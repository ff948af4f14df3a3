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
	Strength string `twiml:"strength"` // none, x-weak, weak, medium, strong, x-strong
	Time     string `twiml:"time"`     // such as 500ms or 2s
}

// Break is a <break>.
type Break struct{ node }

// Break adds a pause.
func (s *SSML) Break(a *BreakAttrs) *Break { return &Break{s.add("break", a, "")} }

// container adds an SSML container with text and the attributes of a (see
// node.add).
func (s *SSML) container(tag, text string, a any) *SSML {
	return &SSML{s.add(tag, a, text)}
}

// The attributes of the SSML elements whose builders take them as
// arguments.
type (
	emphasisAttrs struct {
		Level string `twiml:"level"`
	}
	langAttrs struct {
		Lang string `twiml:"xml:lang"`
	}
	wAttrs struct {
		Role string `twiml:"role"`
	}
	phonemeAttrs struct {
		Alphabet string `twiml:"alphabet"`
		Ph       string `twiml:"ph"`
	}
	sayAsAttrs struct {
		InterpretAs string `twiml:"interpret-as"`
		Format      string `twiml:"format"`
	}
	subAttrs struct {
		Alias string `twiml:"alias"`
	}
)

// Emphasis adds a container spoken with emphasis: level strong, moderate
// or reduced, or "" for the default.
func (s *SSML) Emphasis(text, level string) *SSML {
	return s.container("emphasis", text, &emphasisAttrs{level})
}

// Lang adds a container spoken in another language (xml:lang, such as fr-FR).
func (s *SSML) Lang(text, lang string) *SSML {
	return s.container("lang", text, &langAttrs{lang})
}

// P adds a paragraph.
func (s *SSML) P(text string) *SSML { return s.container("p", text, nil) }

// S adds a sentence.
func (s *SSML) S(text string) *SSML { return s.container("s", text, nil) }

// W adds a word container with a role, such as amazon:VB.
func (s *SSML) W(text, role string) *SSML {
	return s.container("w", text, &wAttrs{role})
}

// ProsodyAttrs are the attributes of <prosody>.
type ProsodyAttrs struct {
	Volume string `twiml:"volume"` // default, silent, x-soft ... x-loud, or a change such as +6dB
	Rate   string `twiml:"rate"`   // x-slow ... x-fast, or a percentage such as 90%
	Pitch  string `twiml:"pitch"`  // default, x-low ... x-high, or a change such as +10%
}

// Prosody adds a container with another volume, rate or pitch.
func (s *SSML) Prosody(text string, a *ProsodyAttrs) *SSML {
	return s.container("prosody", text, a)
}

// Phoneme is a <phoneme>.
type Phoneme struct{ node }

// Phoneme adds a word with its pronunciation: alphabet ipa or x-sampa, ph
// the phonetic symbols.
func (s *SSML) Phoneme(text, alphabet, ph string) *Phoneme {
	return &Phoneme{s.add("phoneme", &phonemeAttrs{alphabet, ph}, text)}
}

// SayAs is a <say-as>.
type SayAs struct{ node }

// SayAs adds text read as interpretAs says (characters, digits, date,
// telephone, ...), with an optional date format (mdy, dmy, ...).
func (s *SSML) SayAs(text, interpretAs, format string) *SayAs {
	return &SayAs{s.add("say-as", &sayAsAttrs{interpretAs, format}, text)}
}

// Sub is a <sub>.
type Sub struct{ node }

// Sub adds text read as alias.
func (s *SSML) Sub(text, alias string) *Sub {
	return &Sub{s.add("sub", &subAttrs{alias}, text)}
}
