package hashers

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DefaultPBKDF2Iterations is Django 5.2's PBKDF2PasswordHasher.iterations.
const DefaultPBKDF2Iterations = 1_000_000

// PBKDF2SHA256 is Django's default hasher, PBKDF2PasswordHasher:
// PBKDF2-HMAC-SHA256 with a 32-byte key, written as
// "pbkdf2_sha256$<iterations>$<salt>$<base64 hash>".
//
// The zero value uses [DefaultPBKDF2Iterations].
type PBKDF2SHA256 struct {
	// Iterations is the iteration count of new hashes; 0 means
	// DefaultPBKDF2Iterations.
	Iterations int
}

// PBKDF2SHA1 is Django's PBKDF2SHA1PasswordHasher: like [PBKDF2SHA256] with
// HMAC-SHA1 and a 20-byte key, written as "pbkdf2_sha1$…".
//
// The zero value uses [DefaultPBKDF2Iterations].
type PBKDF2SHA1 struct {
	// Iterations is the iteration count of new hashes; 0 means
	// DefaultPBKDF2Iterations.
	Iterations int
}

// Algorithm returns "pbkdf2_sha256".
func (PBKDF2SHA256) Algorithm() string { return "pbkdf2_sha256" }

// Salt returns a new random salt (see [NewSalt]).
func (PBKDF2SHA256) Salt() string { return NewSalt() }

// Encode hashes password with salt and h.Iterations.
func (h PBKDF2SHA256) Encode(password, salt string) (string, error) {
	return pbkdf2Encode(h.Algorithm(), sha256.New, password, salt, iterationsOrDefault(h.Iterations))
}

// Verify reports whether password matches encoded.
func (h PBKDF2SHA256) Verify(password, encoded string) (bool, error) {
	return pbkdf2Verify(h.Algorithm(), sha256.New, password, encoded)
}

// MustUpdate reports whether encoded was made with another iteration count
// or with a salt of less than 128 bits.
func (h PBKDF2SHA256) MustUpdate(encoded string) bool {
	return pbkdf2MustUpdate(h.Algorithm(), encoded, iterationsOrDefault(h.Iterations))
}

// HardenRuntime runs the iterations that encoded lacks compared with
// h.Iterations.
func (h PBKDF2SHA256) HardenRuntime(password, encoded string) {
	pbkdf2Harden(h.Algorithm(), sha256.New, password, encoded, iterationsOrDefault(h.Iterations))
}

// Algorithm returns "pbkdf2_sha1".
func (PBKDF2SHA1) Algorithm() string { return "pbkdf2_sha1" }

// Salt returns a new random salt (see [NewSalt]).
func (PBKDF2SHA1) Salt() string { return NewSalt() }

// Encode hashes password with salt and h.Iterations.
func (h PBKDF2SHA1) Encode(password, salt string) (string, error) {
	return pbkdf2Encode(h.Algorithm(), sha1.New, password, salt, iterationsOrDefault(h.Iterations))
}

// Verify reports whether password matches encoded.
func (h PBKDF2SHA1) Verify(password, encoded string) (bool, error) {
	return pbkdf2Verify(h.Algorithm(), sha1.New, password, encoded)
}

// MustUpdate reports whether encoded was made with another iteration count
// or with a salt of less than 128 bits.
func (h PBKDF2SHA1) MustUpdate(encoded string) bool {
	return pbkdf2MustUpdate(h.Algorithm(), encoded, iterationsOrDefault(h.Iterations))
}

// HardenRuntime runs the iterations that encoded lacks compared with
// h.Iterations.
func (h PBKDF2SHA1) HardenRuntime(password, encoded string) {
	pbkdf2Harden(h.Algorithm(), sha1.New, password, encoded, iterationsOrDefault(h.Iterations))
}

func iterationsOrDefault(n int) int {
	if n == 0 {
		return DefaultPBKDF2Iterations
	}
	return n
}

type pbkdf2Hash struct {
	iterations int
	salt       string
}

// pbkdf2Decode splits "<algorithm>$<iterations>$<salt>$<hash>".
func pbkdf2Decode(algorithm, encoded string) (pbkdf2Hash, error) {
	parts := strings.SplitN(encoded, "$", 4)
	if len(parts) != 4 || parts[0] != algorithm {
		return pbkdf2Hash{}, fmt.Errorf("%w: not a %s hash", ErrMalformedHash, algorithm)
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil || n < 1 {
		return pbkdf2Hash{}, fmt.Errorf("%w: %s iterations %q", ErrMalformedHash, algorithm, parts[1])
	}
	return pbkdf2Hash{iterations: n, salt: parts[2]}, nil
}

func pbkdf2Key[H hash.Hash](newHash func() H, password, salt string, iterations int) ([]byte, error) {
	return pbkdf2.Key(newHash, password, []byte(salt), iterations, newHash().Size())
}

func pbkdf2Encode[H hash.Hash](algorithm string, newHash func() H, password, salt string, iterations int) (string, error) {
	if err := checkSalt(salt); err != nil {
		return "", err
	}
	if iterations < 1 {
		return "", fmt.Errorf("%w: %s iterations %d", ErrInvalidParameters, algorithm, iterations)
	}
	key, err := pbkdf2Key(newHash, password, salt, iterations)
	if err != nil {
		return "", fmt.Errorf("hashers: %s: %w", algorithm, err)
	}
	return algorithm + "$" + strconv.Itoa(iterations) + "$" + salt + "$" + base64.StdEncoding.EncodeToString(key), nil
}

func pbkdf2Verify[H hash.Hash](algorithm string, newHash func() H, password, encoded string) (bool, error) {
	d, err := pbkdf2Decode(algorithm, encoded)
	if err != nil {
		return false, err
	}
	// As Django does, re-encode and compare whole strings: a hash written
	// in a non-canonical form (say "030000" iterations) never matches.
	again, err := pbkdf2Encode(algorithm, newHash, password, d.salt, d.iterations)
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrMalformedHash, err)
	}
	return constantTimeEqual(encoded, again), nil
}

func pbkdf2MustUpdate(algorithm, encoded string, iterations int) bool {
	d, err := pbkdf2Decode(algorithm, encoded)
	if err != nil {
		return false
	}
	return d.iterations != iterations || mustUpdateSalt(utf8.RuneCountInString(d.salt))
}

func pbkdf2Harden[H hash.Hash](algorithm string, newHash func() H, password, encoded string, iterations int) {
	d, err := pbkdf2Decode(algorithm, encoded)
	if err != nil {
		return
	}
	if extra := iterations - d.iterations; extra > 0 {
		_, _ = pbkdf2Key(newHash, password, d.salt, extra)
	}
}
