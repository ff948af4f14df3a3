package twiml

import "github.com/beevik/etree"

// SSML adds text and SSML elements inside a <Say> or inside an SSML
// container (<p>, <s>, <prosody>, <emphasis>, <lang>, <w>). Tags are written
// in lowercase and attributes with their SSML names (interpret-as, xml:lang),
// as Twilio requires. Methods that add a container return the container;
// the others return the receiver, so calls chain.
type SSML struct {
	d  *doc
	el *etree.Element
}

// Text adds text to speak.
func (s *SSML) Text(t string) *SSML {
	text(s.el, t)
	return s
}

func (s *SSML) child(tag, content string, t attrs) *SSML {
	el := s.d.element(s.el, tag, t, nil)
	text(el, content)
	return &SSML{d: s.d, el: el}
}

// BreakAttrs are the attributes of <break>.
type BreakAttrs struct {
	Strength string // none, x-weak, weak, medium, strong, x-strong
	Time     string // such as 500ms or 2s
}

// Break adds a pause.
func (s *SSML) Break(a BreakAttrs) *SSML {
	var t attrs
	t.str("strength", a.Strength)
	t.str("time", a.Time)
	s.child("break", "", t)
	return s
}

// Emphasis adds a container spoken with emphasis: strong, moderate or reduced.
func (s *SSML) Emphasis(text, level string) *SSML {
	var t attrs
	t.str("level", level)
	return s.child("emphasis", text, t)
}

// Lang adds a container spoken in another language (xml:lang, such as fr-FR).
func (s *SSML) Lang(text, lang string) *SSML {
	var t attrs
	t.str("xml:lang", lang)
	return s.child("lang", text, t)
}

// P adds a paragraph.
func (s *SSML) P(text string) *SSML { return s.child("p", text, nil) }

// S adds a sentence.
func (s *SSML) S(text string) *SSML { return s.child("s", text, nil) }

// W adds a word container with a role, such as amazon:VB.
func (s *SSML) W(text, role string) *SSML {
	var t attrs
	t.str("role", role)
	return s.child("w", text, t)
}

// ProsodyAttrs are the attributes of <prosody>.
type ProsodyAttrs struct {
	Volume string // default, silent, x-soft ... x-loud, or a change such as +6dB
	Rate   string // x-slow ... x-fast, or a percentage such as 90%
	Pitch  string // default, x-low ... x-high, or a change such as +10%
}

// Prosody adds a container with another volume, rate or pitch.
func (s *SSML) Prosody(text string, a ProsodyAttrs) *SSML {
	var t attrs
	t.str("volume", a.Volume)
	t.str("rate", a.Rate)
	t.str("pitch", a.Pitch)
	return s.child("prosody", text, t)
}

// Phoneme adds a word with its pronunciation: alphabet ipa or x-sampa, ph
// the phonetic symbols.
func (s *SSML) Phoneme(text, alphabet, ph string) *SSML {
	var t attrs
	t.str("alphabet", alphabet)
	t.str("ph", ph)
	s.child("phoneme", text, t)
	return s
}

// SayAs adds text read as interpretAs says (characters, digits, date,
// telephone, ...), with an optional date format (mdy, dmy, ...).
func (s *SSML) SayAs(text, interpretAs, format string) *SSML {
	var t attrs
	t.str("interpret-as", interpretAs)
	t.str("format", format)
	s.child("say-as", text, t)
	return s
}

// Sub adds text read as alias.
func (s *SSML) Sub(text, alias string) *SSML {
	var t attrs
	t.str("alias", alias)
	s.child("sub", text, t)
	return s
}
