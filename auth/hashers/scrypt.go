package hashers

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/scrypt"
)

// Django 5.2's ScryptPasswordHasher defaults. (Django 4.x used p=1; Django
// 5.1 raised it to 5.)
const (
	DefaultScryptN = 1 << 14 // work factor
	DefaultScryptR = 8       // block size
	DefaultScryptP = 5       // parallelism
	// ScryptKeyLength is the length of the derived key in bytes (Django's
	// dklen).
	ScryptKeyLength = 64
)

// maxScryptMemory bounds 128*N*r, the memory a hash read from storage may
// ask for.
const maxScryptMemory = 1 << 30

// Scrypt is Django's ScryptPasswordHasher, written as
// "scrypt$<N>$<salt>$<r>$<p>$<base64 64-byte hash>".
//
// The zero value uses Django 5.2's defaults N=2**14, r=8, p=5.
type Scrypt struct {
	N int // CPU/memory cost, a power of two; 0 means DefaultScryptN
	R int // block size; 0 means DefaultScryptR
	P int // parallelism; 0 means DefaultScryptP
}

func (h Scrypt) params() (n, r, p int) {
	n, r, p = h.N, h.R, h.P
	if n == 0 {
		n = DefaultScryptN
	}
	if r == 0 {
		r = DefaultScryptR
	}
	if p == 0 {
		p = DefaultScryptP
	}
	return n, r, p
}

// Algorithm returns "scrypt".
func (Scrypt) Algorithm() string { return "scrypt" }

// Salt returns a new random salt (see [NewSalt]).
func (Scrypt) Salt() string { return NewSalt() }

// Encode hashes password with salt and h's parameters.
func (h Scrypt) Encode(password, salt string) (string, error) {
	n, r, p := h.params()
	return scryptEncode(password, salt, n, r, p)
}

// Verify reports whether password matches encoded.
func (h Scrypt) Verify(password, encoded string) (bool, error) {
	d, err := scryptDecode(encoded)
	if err != nil {
		return false, err
	}
	again, err := scryptEncode(password, d.salt, d.n, d.r, d.p)
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrMalformedHash, err)
	}
	return constantTimeEqual(encoded, again), nil
}

// MustUpdate reports whether encoded was made with other parameters. (As in
// Django, the salt's entropy is not checked for scrypt.)
func (h Scrypt) MustUpdate(encoded string) bool {
	d, err := scryptDecode(encoded)
	if err != nil {
		return false
	}
	n, r, p := h.params()
	return d.n != n || d.r != r || d.p != p
}

// HardenRuntime does nothing: as in Django, scrypt's runtime is too
// complicated to bridge sensibly.
func (Scrypt) HardenRuntime(password, encoded string) {}

type scryptHash struct {
	n, r, p int
	salt    string
}

func scryptDecode(encoded string) (scryptHash, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "scrypt" {
		return scryptHash{}, fmt.Errorf("%w: not a scrypt hash", ErrMalformedHash)
	}
	d := scryptHash{salt: parts[2]}
	for _, f := range []struct {
		dst *int
		s   string
	}{{&d.n, parts[1]}, {&d.r, parts[3]}, {&d.p, parts[4]}} {
		v, err := strconv.Atoi(f.s)
		if err != nil {
			return scryptHash{}, fmt.Errorf("%w: scrypt parameter %q", ErrMalformedHash, f.s)
		}
		*f.dst = v
	}
	return d, nil
}

func scryptEncode(password, salt string, n, r, p int) (string, error) {
	if err := checkSalt(salt); err != nil {
		return "", err
	}
	if n < 2 || n&(n-1) != 0 || r < 1 || p < 1 || r > maxScryptMemory/128/n {
		return "", fmt.Errorf("%w: scrypt N=%d r=%d p=%d", ErrInvalidParameters, n, r, p)
	}
	key, err := scrypt.Key([]byte(password), []byte(salt), n, r, p, ScryptKeyLength)
	if err != nil {
		return "", fmt.Errorf("%w: scrypt: %w", ErrInvalidParameters, err)
	}
	return fmt.Sprintf("scrypt$%d$%s$%d$%d$%s", n, salt, r, p, base64.StdEncoding.EncodeToString(key)), nil
}
