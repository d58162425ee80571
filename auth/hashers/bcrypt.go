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

func (h BCryptSHA256) cost() int {
	if h.Cost == 0 {
		return DefaultBCryptCost
	}
	return h.Cost
}

// Algorithm returns "bcrypt_sha256".
func (BCryptSHA256) Algorithm() string { return "bcrypt_sha256" }

// Salt returns a new bcrypt salt string "$2b$<cost>$<22 chars>" with 16
// random bytes.
func (h BCryptSHA256) Salt() string {
	var raw [16]byte
	rand.Read(raw[:]) // never returns an error
	return fmt.Sprintf("$2b$%02d$%s", h.cost(), bcryptB64.EncodeToString(raw[:]))
}

// Encode hashes password with a bcrypt salt string such as the one Salt
// returns.
func (h BCryptSHA256) Encode(password, salt string) (string, error) {
	s, err := bcryptParseSalt(salt)
	if err != nil {
		return "", err
	}
	return h.Algorithm() + "$" + s.hash(sha256Hex(password)), nil
}

// Verify reports whether password matches encoded.
func (h BCryptSHA256) Verify(password, encoded string) (bool, error) {
	data, ok := strings.CutPrefix(encoded, h.Algorithm()+"$")
	if !ok || len(data) != bcryptLen {
		return false, fmt.Errorf("%w: not a bcrypt_sha256 hash", ErrMalformedHash)
	}
	s, err := bcryptParseSalt(data[:bcryptSaltEnd])
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrMalformedHash, err)
	}
	return constantTimeEqual(data, s.hash(sha256Hex(password))), nil
}

// MustUpdate reports whether encoded was made with another cost.
func (h BCryptSHA256) MustUpdate(encoded string) bool {
	data, ok := strings.CutPrefix(encoded, h.Algorithm()+"$")
	if !ok || len(data) < bcryptSaltEnd {
		return false
	}
	s, err := bcryptParseSalt(data[:bcryptSaltEnd])
	return err == nil && s.cost != h.cost()
}

// HardenRuntime hashes password 2**(h.Cost-cost)-1 more times with the salt
// of encoded, where cost is encoded's lower cost.
func (h BCryptSHA256) HardenRuntime(password, encoded string) {
	data, ok := strings.CutPrefix(encoded, h.Algorithm()+"$")
	if !ok || len(data) < bcryptSaltEnd {
		return
	}
	s, err := bcryptParseSalt(data[:bcryptSaltEnd])
	if err != nil || s.cost >= h.cost() {
		return
	}
	key := sha256Hex(password)
	for n := (1 << (h.cost() - s.cost)) - 1; n > 0; n-- {
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
