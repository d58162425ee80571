package validators

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"sync"
	"unicode/utf8"
)

// DefaultMinLength is MinimumLength's default minimum.
const DefaultMinLength = 8

// MinimumLength refuses passwords shorter than Min characters (code
// points). The zero value uses DefaultMinLength.
type MinimumLength struct {
	Min int // 0 means DefaultMinLength
}

func (v MinimumLength) min() int {
	if v.Min == 0 {
		return DefaultMinLength
	}
	return v.Min
}

// Validate refuses a password shorter than the minimum.
func (v MinimumLength) Validate(password string, _ UserAttrs) error {
	if n := v.min(); utf8.RuneCountInString(password) < n {
		return &Error{Code: CodeTooShort, Message: fmt.Sprintf(
			"This password is too short. It must contain at least %d %s.", n, plural(n, "character", "characters"))}
	}
	return nil
}

// HelpText describes the minimum.
func (v MinimumLength) HelpText() string {
	n := v.min()
	return fmt.Sprintf("Your password must contain at least %d %s.", n, plural(n, "character", "characters"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// NumericPassword refuses passwords made only of digits (Python's
// str.isdigit, which also counts digits such as '²' and '①').
type NumericPassword struct{}

// Validate refuses an entirely numeric password.
func (NumericPassword) Validate(password string, _ UserAttrs) error {
	if isDigits(password) {
		return &Error{Code: CodeEntirelyNumeric, Message: "This password is entirely numeric."}
	}
	return nil
}

// HelpText describes the rule.
func (NumericPassword) HelpText() string { return "Your password can’t be entirely numeric." }

//go:embed common-passwords.txt.gz
var commonPasswordsGz []byte

var defaultCommon = sync.OnceValue(func() map[string]struct{} {
	set, err := readList(bytes.NewReader(commonPasswordsGz))
	if err != nil {
		panic("validators: embedded common-passwords.txt.gz: " + err.Error())
	}
	return set
})

// CommonPassword refuses passwords found, lower-cased and trimmed, in a list
// of common passwords. The zero value uses the list Django ships (about
// 20,000 passwords, embedded in this package; see README.md); use
// [NewCommonPassword] for another list.
type CommonPassword struct {
	passwords map[string]struct{}
}

// NewCommonPassword reads a list of common passwords, one per line,
// lower-cased, optionally gzip-compressed.
func NewCommonPassword(r io.Reader) (CommonPassword, error) {
	set, err := readList(r)
	if err != nil {
		return CommonPassword{}, err
	}
	return CommonPassword{passwords: set}, nil
}

func readList(r io.Reader) (map[string]struct{}, error) {
	br := bufio.NewReader(r)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("validators: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	set := make(map[string]struct{}, 20000)
	for {
		line, err := br.ReadString('\n')
		if len(line) > 0 {
			set[pyStrip(line)] = struct{}{}
		}
		if errors.Is(err, io.EOF) {
			return set, nil
		}
		if err != nil {
			return nil, fmt.Errorf("validators: reading password list: %w", err)
		}
	}
}

// Len returns the number of passwords in the list.
func (v CommonPassword) Len() int { return len(v.set()) }

func (v CommonPassword) set() map[string]struct{} {
	if v.passwords == nil {
		return defaultCommon()
	}
	return v.passwords
}

// Validate refuses a password that is in the list.
func (v CommonPassword) Validate(password string, _ UserAttrs) error {
	if _, found := v.set()[pyStrip(pyLower(password))]; found {
		return &Error{Code: CodeTooCommon, Message: "This password is too common."}
	}
	return nil
}

// HelpText describes the rule.
func (CommonPassword) HelpText() string { return "Your password can’t be a commonly used password." }
