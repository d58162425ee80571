package hashers

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/blowfish"
)

// DefaultBCryptCost is Django 5.2's BCryptSHA256PasswordHasher.rounds.
const DefaultBCryptCost = 12

// Bcrypt cost limits (log2 of the number of key expansion rounds).
const (
	MinBCryptCost = 4
	MaxBCryptCost = 31
)

// BCryptSHA256 is Django's BCryptSHA256PasswordHasher: bcrypt of the
// lower-case hex SHA-256 of the password (64 bytes, so bcrypt's 72-byte
// truncation never applies), written as
// "bcrypt_sha256$$2b$<cost>$<22-char salt><31-char hash>".
//
// Its salts are bcrypt salt strings, "$2b$<cost>$<22 chars>", as returned by
// [BCryptSHA256.Salt] and by Python's bcrypt.gensalt; Encode takes the cost
// from the salt, as Django does.
//
// The zero value uses [DefaultBCryptCost].
type BCryptSHA256 struct {
	// Cost is the bcrypt cost of new salts; 0 means DefaultBCryptCost.
	Cost int
}

// Algorithm returns "bcrypt_sha256".
func (BCryptSHA256) Algorithm() string { return "bcrypt_sha256" }

func (h BCryptSHA256) core() bcryptHasher {
	return bcryptHasher{alg: h.Algorithm(), cost: h.Cost, key: sha256Hex}
}

// Salt returns a new bcrypt salt string "$2b$<cost>$<22 chars>" with 16
// random bytes.
func (h BCryptSHA256) Salt() string { return h.core().salt() }

// Encode hashes password with a bcrypt salt string such as the one Salt
// returns.
func (h BCryptSHA256) Encode(password, salt string) (string, error) {
	return h.core().encode(password, salt)
}

// Verify reports whether password matches encoded.
func (h BCryptSHA256) Verify(password, encoded string) (bool, error) {
	return h.core().verify(password, encoded)
}

// MustUpdate reports whether encoded was made with another cost.
func (h BCryptSHA256) MustUpdate(encoded string) bool { return h.core().mustUpdate(encoded) }

// HardenRuntime hashes password 2**(h.Cost-cost)-1 more times with the salt
// of encoded, where cost is encoded's lower cost.
func (h BCryptSHA256) HardenRuntime(password, encoded string) {
	h.core().hardenRuntime(password, encoded)
}

// BCrypt is Django's BCryptPasswordHasher: bcrypt of the password itself,
// written as "bcrypt$$2b$<cost>$<22-char salt><31-char hash>". bcrypt reads
// at most 72 bytes of a password, so Django's documentation recommends
// BCryptSHA256 instead; BCrypt is here so that the users of a Django site
// that preferred it can log in (Default verifies its hashes, and a login
// upgrades them to the preferred hasher).
//
// Verify, as bcrypt always did when such hashes were made (Python's bcrypt
// before 5.0, and every C implementation), reads only the first 72 bytes
// of the password: a longer password matches a hash of its first 72 bytes.
// Encode refuses a password longer than 72 bytes with
// [ErrPasswordTooLong], as Python's bcrypt 5.0 does (Django 5.2 then fails
// with a ValueError, on checks too), rather than make a hash that ignores
// the rest of it. The zero value uses [DefaultBCryptCost].
type BCrypt struct {
	// Cost is the bcrypt cost of new salts; 0 means DefaultBCryptCost.
	Cost int
}

// Algorithm returns "bcrypt".
func (BCrypt) Algorithm() string { return "bcrypt" }

func (h BCrypt) core() bcryptHasher {
	return bcryptHasher{alg: h.Algorithm(), cost: h.Cost, key: func(p string) []byte { return []byte(p) }}
}

// Salt returns a new bcrypt salt string "$2b$<cost>$<22 chars>" with 16
// random bytes.
func (h BCrypt) Salt() string { return h.core().salt() }

// Encode hashes password with a bcrypt salt string such as the one Salt
// returns. It fails with ErrPasswordTooLong for a password longer than 72
// bytes.
func (h BCrypt) Encode(password, salt string) (string, error) {
	if len(password) > bcryptMaxKey {
		return "", fmt.Errorf("%w: %d bytes, bcrypt reads at most %d (prefer bcrypt_sha256)", ErrPasswordTooLong, len(password), bcryptMaxKey)
	}
	return h.core().encode(password, salt)
}

// Verify reports whether password, cut to its first 72 bytes, matches
// encoded.
func (h BCrypt) Verify(password, encoded string) (bool, error) {
	return h.core().verify(password, encoded)
}

// MustUpdate reports whether encoded was made with another cost.
func (h BCrypt) MustUpdate(encoded string) bool { return h.core().mustUpdate(encoded) }

// HardenRuntime hashes password 2**(h.Cost-cost)-1 more times with the salt
// of encoded, where cost is encoded's lower cost.
func (h BCrypt) HardenRuntime(password, encoded string) { h.core().hardenRuntime(password, encoded) }

// bcryptHasher is what BCryptSHA256 and BCrypt share: the format
// "<alg>$<bcrypt string>", and the bcrypt of key(password).
type bcryptHasher struct {
	alg  string
	cost int                    // 0 means DefaultBCryptCost
	key  func(pw string) []byte // what bcrypt hashes
}

func (h bcryptHasher) costOr() int {
	if h.cost == 0 {
		return DefaultBCryptCost
	}
	return h.cost
}

func (h bcryptHasher) salt() string {
	var raw [16]byte
	rand.Read(raw[:]) // never returns an error
	return fmt.Sprintf("$2b$%02d$%s", h.costOr(), bcryptB64.EncodeToString(raw[:]))
}

func (h bcryptHasher) encode(password, salt string) (string, error) {
	s, err := bcryptParseSalt(salt)
	if err != nil {
		return "", err
	}
	return h.alg + "$" + s.hash(h.key(password)), nil
}

func (h bcryptHasher) verify(password, encoded string) (bool, error) {
	data, ok := strings.CutPrefix(encoded, h.alg+"$")
	if !ok || len(data) != bcryptLen {
		return false, fmt.Errorf("%w: not a %s hash", ErrMalformedHash, h.alg)
	}
	s, err := bcryptParseSalt(data[:bcryptSaltEnd])
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrMalformedHash, err)
	}
	return constantTimeEqual(data, s.hash(h.key(password))), nil
}

func (h bcryptHasher) mustUpdate(encoded string) bool {
	data, ok := strings.CutPrefix(encoded, h.alg+"$")
	if !ok || len(data) < bcryptSaltEnd {
		return false
	}
	s, err := bcryptParseSalt(data[:bcryptSaltEnd])
	return err == nil && s.cost != h.costOr()
}

func (h bcryptHasher) hardenRuntime(password, encoded string) {
	data, ok := strings.CutPrefix(encoded, h.alg+"$")
	if !ok || len(data) < bcryptSaltEnd {
		return
	}
	s, err := bcryptParseSalt(data[:bcryptSaltEnd])
	if err != nil || s.cost >= h.costOr() {
		return
	}
	key := h.key(password)
	for n := (1 << (h.costOr() - s.cost)) - 1; n > 0; n-- {
		s.hash(key)
	}
}

func sha256Hex(password string) []byte {
	sum := sha256.Sum256([]byte(password))
	return []byte(hex.EncodeToString(sum[:]))
}

// bcrypt's own base64 alphabet, without padding.
var bcryptB64 = base64.NewEncoding("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789").WithPadding(base64.NoPadding).Strict()

const (
	bcryptSaltLen = 22                 // base64 characters of the 16-byte salt
	bcryptSaltEnd = 7 + bcryptSaltLen  // "$2b$12$" + salt
	bcryptLen     = bcryptSaltEnd + 31 // + base64 of the 23-byte hash
	bcryptMaxKey  = 72                 // bytes of the key bcrypt uses
	bcryptRounds  = 64                 // encryptions of the magic text
	bcryptMagic   = "OrpheanBeholderScryDoubt"
)

type bcryptSalt struct {
	prefix string // "2a", "2b" or "2y"
	cost   int
	salt   [16]byte
}

// bcryptParseSalt parses "$2b$12$<22 chars>" (extra characters after the
// salt are an error).
func bcryptParseSalt(s string) (bcryptSalt, error) {
	var b bcryptSalt
	if len(s) != bcryptSaltEnd || s[0] != '$' || s[3] != '$' || s[6] != '$' {
		return b, fmt.Errorf("%w: bcrypt salt must look like $2b$12$ and 22 characters", ErrInvalidSalt)
	}
	b.prefix = s[1:3]
	switch b.prefix {
	case "2a", "2b", "2y":
	default:
		return b, fmt.Errorf("%w: bcrypt variant $%s$", ErrUnsupported, b.prefix)
	}
	cost, err := strconv.Atoi(s[4:6])
	if err != nil || cost < MinBCryptCost || cost > MaxBCryptCost {
		return b, fmt.Errorf("%w: bcrypt cost %q", ErrInvalidParameters, s[4:6])
	}
	b.cost = cost
	// 22 characters carry 132 bits for a 128-bit salt: the last 4 bits must
	// be zero, as Python's bcrypt (and so Django) requires.
	raw, err := bcryptB64.DecodeString(s[7:] + "..")
	if err != nil {
		return b, fmt.Errorf("%w: bcrypt salt is not bcrypt base64", ErrInvalidSalt)
	}
	copy(b.salt[:], raw)
	if bcryptB64.EncodeToString(b.salt[:]) != s[7:] {
		return b, fmt.Errorf("%w: bcrypt salt is not canonical", ErrInvalidSalt)
	}
	return b, nil
}

// hash returns "$2b$12$<salt><hash>" for key (the bcrypt algorithm of
// Provos and Mazières, over golang.org/x/crypto/blowfish).
func (b bcryptSalt) hash(key []byte) string {
	// The key is NUL-terminated and cut to 72 bytes.
	k := make([]byte, 0, len(key)+1)
	k = append(append(k, key...), 0)
	if len(k) > bcryptMaxKey {
		k = k[:bcryptMaxKey]
	}
	c, err := blowfish.NewSaltedCipher(k, b.salt[:])
	if err != nil {
		panic("hashers: bcrypt: " + err.Error()) // unreachable: k is never empty
	}
	for i := uint64(0); i < 1<<b.cost; i++ {
		blowfish.ExpandKey(k, c)
		blowfish.ExpandKey(b.salt[:], c)
	}
	text := []byte(bcryptMagic)
	for i := 0; i < bcryptRounds; i++ {
		for j := 0; j < len(text); j += blowfish.BlockSize {
			c.Encrypt(text[j:j+blowfish.BlockSize], text[j:j+blowfish.BlockSize])
		}
	}
	salt := bcryptB64.EncodeToString(b.salt[:])
	sum := bcryptB64.EncodeToString(text[:23])
	return fmt.Sprintf("$%s$%02d$%s%s", b.prefix, b.cost, salt, sum)
}
