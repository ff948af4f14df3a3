package conformance_test

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// The document under test: Twilio's OpenAPI description of Proxy v1, as
// Twilio ships it in an npm package, pinned by version and by the SHA-256
// of the file itself (the same document as twilio/twilio-oai's
// spec/json/twilio_proxy_v1.json).
const (
	specPackage = "@twilio-alpha/mcp@0.7.0"
	specFile    = "package/twilio-oai/spec/json/twilio_proxy_v1.json"
	specSHA256  = "541bd9c51dad846fb147a48af7e87e1c9bfe33ad5d3838f97ced21938d2c53a7"
)

// maxSpecBytes bounds what is read of the document and of the tarball's
// entries: the document is 162 kB.
const maxSpecBytes = 4 << 20

// exception is a place where Twilio's document cannot express what
// Twilio's own examples and helper libraries show: the test reads the
// document with that one change, and says why.
type exception struct {
	where  string // what in the document
	change string // what the test changes
	source string // where Twilio shows it
	apply  func(*openapi3.T) error
}

// nullable makes a component schema nullable.
func nullable(name string) func(*openapi3.T) error {
	return func(doc *openapi3.T) error {
		ref := doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			return fmt.Errorf("the document has no schema %s", name)
		}
		ref.Value.Nullable = true
		return nil
	}
}

// formItems gives the items of an array of an operation's form body a
// type, so that each value of the form is read as one item of it.
func formItems(path, method, property, typ string) func(*openapi3.T) error {
	return func(doc *openapi3.T) error {
		op := doc.Paths.Find(path).GetOperation(method)
		media := op.RequestBody.Value.Content.Get("application/x-www-form-urlencoded")
		prop := media.Schema.Value.Properties[property]
		if prop == nil || prop.Value.Items == nil {
			return fmt.Errorf("%s %s has no array %s", method, path, property)
		}
		prop.Value.Items = openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{typ}})
		return nil
	}
}

// exceptions are every change the test makes to Twilio's document, one
// line each with its source.
var exceptions = []exception{
	{"interaction_enum_resource_status", "may be null", "docs/proxy/api/interaction: an Interaction may be one-sided, as a Message Interaction is, whose inbound leg this document's own examples give as null; twilio-oai's spec/yaml had nullable: true beside this $ref until 2025-03-20", nullable("interaction_enum_resource_status")},
	{"message_interaction_enum_resource_status", "may be null", "this document's examples of CreateMessageInteraction and FetchMessageInteraction (inbound_resource_status: null; \"Always empty for created Message Interactions\"); twilio-oai's spec/yaml had nullable: true beside this $ref until 2025-03-20", nullable("message_interaction_enum_resource_status")},
	{"CreateSession's Participants items", "are strings (items: {} has no type to decode a form value into)", "twilio-go CreateSessionParams.Participants and twilio-node send each Participant as one form value holding a JSON object", formItems("/v1/Services/{ServiceSid}/Sessions", "POST", "Participants", openapi3.TypeString)},
}

var (
	specOnce sync.Once
	specData []byte
	specErr  error
	specSkip string
)

// fetchSpec returns the document's bytes, fetched once per test binary:
// npm pack of the pinned package into a temporary directory, the file
// read from the tarball, its SHA-256 checked. Without npm the test is
// skipped, unless CI is set: there it fails.
func fetchSpec(t *testing.T) []byte {
	t.Helper()
	specOnce.Do(func() { specData, specSkip, specErr = download() })
	if specSkip != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set, and %s: the conformance test must run on CI", specSkip)
		}
		t.Skipf("skipped: %s (install Node.js and npm to check the emulator against Twilio's OpenAPI)", specSkip)
	}
	if specErr != nil {
		t.Fatal(specErr)
	}
	return specData
}

func download() (data []byte, skip string, err error) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		return nil, "npm is not on PATH", nil
	}
	dir, err := os.MkdirTemp("", "oosc-conformance-")
	if err != nil {
		return nil, "", err
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "pack", specPackage, "--pack-destination", dir, "--ignore-scripts", "--silent")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "npm_config_update_notifier=false", "npm_config_fund=false", "npm_config_audit=false")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, "", fmt.Errorf("npm pack %s: %v\n%s", specPackage, err, out)
	}
	tarballs, err := filepath.Glob(filepath.Join(dir, "*.tgz"))
	if err != nil || len(tarballs) != 1 {
		return nil, "", fmt.Errorf("npm pack %s left %d tarballs in %s, not one", specPackage, len(tarballs), dir)
	}
	data, err = fileFromTarball(tarballs[0], specFile)
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != specSHA256 {
		return nil, "", fmt.Errorf("%s in %s has SHA-256 %s, not the pinned %s", specFile, specPackage, got, specSHA256)
	}
	return data, "", nil
}

// fileFromTarball returns one file of a gzipped tarball.
func fileFromTarball(path, name string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s has no %s", path, name)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if h.Name != name {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(tr, maxSpecBytes+1))
		if err != nil {
			return nil, err
		}
		if len(data) > maxSpecBytes {
			return nil, fmt.Errorf("%s in %s is over %d bytes", name, path, maxSpecBytes)
		}
		return data, nil
	}
}

// loadSpec reads the document, applies the exceptions, checks it is a
// valid OpenAPI document whose examples match its schemas, and makes
// every response object strict.
func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := parseSpec(t, exceptions, true)
	if err != nil {
		t.Fatal(err)
	}
	strictResponses(doc)
	return doc
}

// parseSpec reads the document with the exceptions given and, when
// validate is set, validates it, examples included.
func parseSpec(t *testing.T, with []exception, validate bool) (*openapi3.T, error) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(fetchSpec(t))
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", specFile, err)
	}
	for _, e := range with {
		if err := e.apply(doc); err != nil {
			return nil, fmt.Errorf("exception for %s: %w", e.where, err)
		}
	}
	if !validate {
		return doc, nil
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("%s is not a valid OpenAPI document: %w", specFile, err)
	}
	return doc, nil
}

// strictResponses makes every object of every response schema require
// each property it documents and refuse any other: Twilio's answers carry
// every documented field (null when empty), so an answer with a field
// missing, misnamed or added does not match what Twilio sends, and a
// list's items under another key than the documented one (a list that
// helper libraries would read as empty) is caught.
func strictResponses(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(*openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		if len(s.Properties) > 0 {
			names := make([]string, 0, len(s.Properties))
			for name, p := range s.Properties {
				names = append(names, name)
				walk(p)
			}
			slices.Sort(names)
			s.Required = names
			no := false
			s.AdditionalProperties = openapi3.AdditionalProperties{Has: &no}
		}
		walk(s.Items)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, resp := range op.Responses.Map() {
				if resp.Value == nil {
					continue
				}
				for _, media := range resp.Value.Content {
					walk(media.Schema)
				}
			}
		}
	}
}
