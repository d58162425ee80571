package hashers

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"math"
	"strings"
)

// Errors returned by hashers and registries. Errors from this package wrap one
// of these, so callers can test them with errors.Is.
var (
	// ErrUnknownAlgorithm reports an encoded hash whose algorithm is not in
	// the registry (Django's "Unknown password hashing algorithm").
	ErrUnknownAlgorithm = errors.New("hashers: unknown password hashing algorithm")
	// ErrMalformedHash reports an encoded hash that its hasher cannot decode.
	ErrMalformedHash = errors.New("hashers: malformed encoded password")
	// ErrUnsupported reports a well-formed hash that uses a variant or a
	// parameter this package cannot compute (for example argon2d).
	ErrUnsupported = errors.New("hashers: unsupported hash variant")
	// ErrInvalidSalt reports a salt that is empty, contains '$', or does not
	// fit the hasher.
	ErrInvalidSalt = errors.New("hashers: salt must be provided and cannot contain $")
	// ErrInvalidParameters reports cost parameters that are out of range.
	ErrInvalidParameters = errors.New("hashers: invalid cost parameters")
	// ErrPasswordTooLong reports a password longer than the hasher can
	// read whole (BCrypt: 72 bytes).
	ErrPasswordTooLong = errors.New("hashers: password too long for the hasher")
	// ErrNoHashers reports a registry built without any hasher.
	ErrNoHashers = errors.New("hashers: a registry needs at least one hasher")
	// ErrLegacyPreferred reports a registry whose preferred hasher is a
	// legacy, verify-only one.
	ErrLegacyPreferred = errors.New("hashers: a legacy hasher cannot be the preferred hasher")
	// ErrDuplicateAlgorithm reports two hashers with the same algorithm name
	// in one registry.
	ErrDuplicateAlgorithm = errors.New("hashers: duplicate algorithm in registry")
)

// Hasher is one password hashing algorithm with its cost parameters, the
// counterpart of a Django BasePasswordHasher subclass.
//
// Implementations must be safe for concurrent use.
type Hasher interface {
	// Algorithm returns the algorithm name, the first '$'-separated field of
	// the hashes it writes (for example "pbkdf2_sha256").
	Algorithm() string
	// Salt returns a new random salt suitable for Encode.
	Salt() string
	// Encode hashes password with salt and returns the encoded hash.
	Encode(password, salt string) (string, error)
	// Verify reports whether password matches encoded, comparing in
	// constant time. It returns an error (and false) when encoded is not a
	// well-formed hash of this algorithm.
	Verify(password, encoded string) (bool, error)
	// MustUpdate reports whether encoded, a hash of this algorithm, was made
	// with parameters (costs, salt entropy) other than the hasher's current
	// ones, so it should be re-encoded when the password is next known. It
	// reports false when encoded cannot be decoded.
	MustUpdate(encoded string) bool
}

// RuntimeHardener is implemented by hashers that can spend the extra work a
// hash with a lower cost than the current one would have taken, so that a
// failed check takes as long as it would with the current cost (Django's
// harden_runtime). [Registry.Check] calls it after a failed check of a hash
// that the hasher's MustUpdate reports, whether the hasher is the preferred
// one or not (Django hardens the preferred one only). The legacy hashers'
// HardenRuntime does nothing: they have no cost to raise, and Check runs
// the preferred hasher after a failed check of their hashes instead.
type RuntimeHardener interface {
	HardenRuntime(password, encoded string)
}

// legacy is implemented by the verify-only hashers.
type legacy interface{ legacy() }

// RandomStringChars is the alphabet of salts and of the random part of
// unusable passwords (Django's RANDOM_STRING_CHARS).
const RandomStringChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// saltEntropy is the minimum entropy of a salt, in bits (Django's
// BasePasswordHasher.salt_entropy).
const saltEntropy = 128

// SaltLength is the length of the salts made by [NewSalt]: the number of
// characters from [RandomStringChars] that carry 128 bits of entropy,
// ceil(128 / log2(62)).
const SaltLength = 22

// NewSalt returns a random salt of [SaltLength] characters from
// [RandomStringChars], read from crypto/rand (Django's
// BasePasswordHasher.salt).
func NewSalt() string { return RandomString(SaltLength) }

// RandomString returns n characters drawn uniformly from [RandomStringChars]
// with crypto/rand (Django's get_random_string).
func RandomString(n int) string {
	const chars = RandomStringChars
	// Rejection sampling: bytes >= 248 (4*62) are discarded so every
	// character is equally likely.
	const limit = 256 - 256%len(chars)
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/4+8)
	for len(out) < n {
		rand.Read(buf) // never returns an error; it crashes the program instead
		for _, b := range buf {
			if int(b) < limit {
				out = append(out, chars[int(b)%len(chars)])
				if len(out) == n {
					break
				}
			}
		}
	}
	return string(out)
}

// mustUpdateSalt reports whether salt carries less than 128 bits of entropy
// when read as characters from RandomStringChars (Django's must_update_salt).
// n is the salt's length in characters.
func mustUpdateSalt(n int) bool {
	return float64(n)*math.Log2(float64(len(RandomStringChars))) < saltEntropy
}

// checkSalt refuses an empty salt or one containing '$'.
func checkSalt(salt string) error {
	if salt == "" || strings.Contains(salt, "$") {
		return ErrInvalidSalt
	}
	return nil
}

// constantTimeEqual compares two strings in time that depends only on their
// lengths (Django's constant_time_compare).
func constantTimeEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
