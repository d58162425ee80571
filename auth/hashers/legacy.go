package hashers

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The legacy hashers verify hashes written by old Django releases, so that
// such users can still log in and have their hash upgraded. A [Registry]
// refuses them as its preferred hasher, and [Registry.Check] always reports
// their hashes as needing an upgrade. Checking one costs next to nothing, so
// after a failed check Registry.Check also runs the preferred hasher once:
// a wrong password for a user with such a hash takes as long as one for a
// user that does not exist.
//
// Their Encode exists for tests and migrations only.

// MD5 is Django's salted MD5PasswordHasher: "md5$<salt>$<hex md5(salt+password)>".
type MD5 struct{}

// SHA1 is the salted SHA1PasswordHasher of Django 5.0 and earlier:
// "sha1$<salt>$<hex sha1(salt+password)>".
type SHA1 struct{}

// UnsaltedMD5 is the UnsaltedMD5PasswordHasher of Django 5.0 and earlier:
// the bare 32-character hex MD5 of the password, also accepted as
// "md5$$<hex>".
type UnsaltedMD5 struct{}

// UnsaltedSHA1 is the UnsaltedSHA1PasswordHasher of Django 5.0 and earlier:
// "sha1$$<hex sha1(password)>".
type UnsaltedSHA1 struct{}

func (MD5) legacy()          {}
func (SHA1) legacy()         {}
func (UnsaltedMD5) legacy()  {}
func (UnsaltedSHA1) legacy() {}

// Algorithm returns "md5".
func (MD5) Algorithm() string { return "md5" }

// Salt returns a new random salt (see [NewSalt]).
func (MD5) Salt() string { return NewSalt() }

// Encode returns "md5$<salt>$<hex md5(salt+password)>".
func (MD5) Encode(password, salt string) (string, error) {
	return saltedHexEncode("md5", md5Hex, password, salt)
}

// Verify reports whether password matches encoded.
func (MD5) Verify(password, encoded string) (bool, error) {
	return saltedHexVerify("md5", md5Hex, password, encoded)
}

// MustUpdate reports whether encoded's salt carries less than 128 bits.
func (MD5) MustUpdate(encoded string) bool { return saltedHexMustUpdate("md5", encoded) }

// HardenRuntime does nothing: [Registry.Check] runs the preferred hasher
// after a failed check instead.
func (MD5) HardenRuntime(password, encoded string) {}

// Algorithm returns "sha1".
func (SHA1) Algorithm() string { return "sha1" }

// Salt returns a new random salt (see [NewSalt]).
func (SHA1) Salt() string { return NewSalt() }

// Encode returns "sha1$<salt>$<hex sha1(salt+password)>".
func (SHA1) Encode(password, salt string) (string, error) {
	return saltedHexEncode("sha1", sha1Hex, password, salt)
}

// Verify reports whether password matches encoded.
func (SHA1) Verify(password, encoded string) (bool, error) {
	return saltedHexVerify("sha1", sha1Hex, password, encoded)
}

// MustUpdate reports whether encoded's salt carries less than 128 bits.
func (SHA1) MustUpdate(encoded string) bool { return saltedHexMustUpdate("sha1", encoded) }

// HardenRuntime does nothing: [Registry.Check] runs the preferred hasher
// after a failed check instead.
func (SHA1) HardenRuntime(password, encoded string) {}

// Algorithm returns "unsalted_md5".
func (UnsaltedMD5) Algorithm() string { return "unsalted_md5" }

// Salt returns "": this hasher takes no salt.
func (UnsaltedMD5) Salt() string { return "" }

// Encode returns the hex MD5 of password; salt must be empty.
func (UnsaltedMD5) Encode(password, salt string) (string, error) {
	if salt != "" {
		return "", fmt.Errorf("%w: unsalted_md5 takes no salt", ErrInvalidSalt)
	}
	return md5Hex(password), nil
}

// Verify reports whether password matches encoded, either "<hex>" or
// "md5$$<hex>".
func (h UnsaltedMD5) Verify(password, encoded string) (bool, error) {
	if len(encoded) == 37 && strings.HasPrefix(encoded, "md5$$") {
		encoded = encoded[5:]
	}
	if len(encoded) != 32 || strings.Contains(encoded, "$") {
		return false, fmt.Errorf("%w: not an unsalted_md5 hash", ErrMalformedHash)
	}
	return constantTimeEqual(encoded, md5Hex(password)), nil
}

// MustUpdate reports false; [Registry.Check] upgrades these hashes because
// this hasher is never the preferred one.
func (UnsaltedMD5) MustUpdate(encoded string) bool { return false }

// HardenRuntime does nothing: [Registry.Check] runs the preferred hasher
// after a failed check instead.
func (UnsaltedMD5) HardenRuntime(password, encoded string) {}

// Algorithm returns "unsalted_sha1".
func (UnsaltedSHA1) Algorithm() string { return "unsalted_sha1" }

// Salt returns "": this hasher takes no salt.
func (UnsaltedSHA1) Salt() string { return "" }

// Encode returns "sha1$$<hex sha1(password)>"; salt must be empty.
func (UnsaltedSHA1) Encode(password, salt string) (string, error) {
	if salt != "" {
		return "", fmt.Errorf("%w: unsalted_sha1 takes no salt", ErrInvalidSalt)
	}
	return "sha1$$" + sha1Hex(password), nil
}

// Verify reports whether password matches encoded.
func (h UnsaltedSHA1) Verify(password, encoded string) (bool, error) {
	if len(encoded) != 46 || !strings.HasPrefix(encoded, "sha1$$") {
		return false, fmt.Errorf("%w: not an unsalted_sha1 hash", ErrMalformedHash)
	}
	return constantTimeEqual(encoded, "sha1$$"+sha1Hex(password)), nil
}

// MustUpdate reports false; [Registry.Check] upgrades these hashes because
// this hasher is never the preferred one.
func (UnsaltedSHA1) MustUpdate(encoded string) bool { return false }

// HardenRuntime does nothing: [Registry.Check] runs the preferred hasher
// after a failed check instead.
func (UnsaltedSHA1) HardenRuntime(password, encoded string) {}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func sha1Hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// saltedHexDecode splits "<algorithm>$<salt>$<hex>" and returns the salt.
func saltedHexDecode(algorithm, encoded string) (string, error) {
	parts := strings.SplitN(encoded, "$", 3)
	if len(parts) != 3 || parts[0] != algorithm {
		return "", fmt.Errorf("%w: not a %s hash", ErrMalformedHash, algorithm)
	}
	return parts[1], nil
}

func saltedHexEncode(algorithm string, sum func(string) string, password, salt string) (string, error) {
	if err := checkSalt(salt); err != nil {
		return "", err
	}
	return algorithm + "$" + salt + "$" + sum(salt+password), nil
}

func saltedHexVerify(algorithm string, sum func(string) string, password, encoded string) (bool, error) {
	salt, err := saltedHexDecode(algorithm, encoded)
	if err != nil {
		return false, err
	}
	if salt == "" {
		// Django raises here ("salt must be provided"); the unsalted
		// "md5$$…"/"sha1$$…" forms are identified by length first.
		return false, fmt.Errorf("%w: empty %s salt", ErrMalformedHash, algorithm)
	}
	again, _ := saltedHexEncode(algorithm, sum, password, salt)
	return constantTimeEqual(encoded, again), nil
}

func saltedHexMustUpdate(algorithm, encoded string) bool {
	salt, err := saltedHexDecode(algorithm, encoded)
	return err == nil && mustUpdateSalt(utf8.RuneCountInString(salt))
}
