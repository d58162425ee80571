package hashers

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Django 5.2's Argon2PasswordHasher defaults.
const (
	DefaultArgon2Time        = 2
	DefaultArgon2MemoryKiB   = 102400 // 100 MiB
	DefaultArgon2Parallelism = 8
	// DefaultArgon2HashLength is the length of the raw hash in bytes:
	// argon2-cffi's DEFAULT_HASH_LENGTH, which Django uses. It is 32 since
	// argon2-cffi 21.2 (16 before).
	DefaultArgon2HashLength = 32
)

// Limits on the parameters that Verify accepts from an encoded hash, so that
// a corrupt or hostile hash cannot exhaust memory.
const (
	maxArgon2MemoryKiB = 1 << 21 // 2 GiB
	minArgon2Salt      = 8       // bytes, as the reference implementation
	minArgon2HashLen   = 4
)

// Argon2 is Django's Argon2PasswordHasher: argon2id, version 19, a 32-byte
// hash, written as
// "argon2$argon2id$v=19$m=<KiB>,t=<time>,p=<lanes>$<b64 salt>$<b64 hash>"
// with unpadded standard base64. The salt is hashed as the bytes of the salt
// string, as Django does.
//
// Verify also accepts argon2i (version 19) hashes written by older Django
// releases; MustUpdate reports them for upgrade.
//
// The zero value uses Django's defaults: t=2, m=102400 KiB, p=8 and a
// 32-byte hash. A site that ran Django with argon2-cffi older than 21.2 has
// 16-byte hashes, which verify all the same; set HashLength to 16 to keep
// MustUpdate from reporting them.
type Argon2 struct {
	Time        uint32 // passes over memory; 0 means DefaultArgon2Time
	MemoryKiB   uint32 // memory in KiB; 0 means DefaultArgon2MemoryKiB
	Parallelism uint8  // lanes; 0 means DefaultArgon2Parallelism
	HashLength  uint32 // bytes of hash; 0 means DefaultArgon2HashLength
}

func (h Argon2) hashLength() uint32 {
	if h.HashLength == 0 {
		return DefaultArgon2HashLength
	}
	return h.HashLength
}

func (h Argon2) params() argon2Params {
	p := argon2Params{variant: "argon2id", time: h.Time, memory: h.MemoryKiB, threads: uint32(h.Parallelism)}
	if p.time == 0 {
		p.time = DefaultArgon2Time
	}
	if p.memory == 0 {
		p.memory = DefaultArgon2MemoryKiB
	}
	if p.threads == 0 {
		p.threads = DefaultArgon2Parallelism
	}
	return p
}

// Algorithm returns "argon2".
func (Argon2) Algorithm() string { return "argon2" }

// Salt returns a new random salt (see [NewSalt]).
func (Argon2) Salt() string { return NewSalt() }

// Encode hashes password with salt, which must be at least 8 bytes long.
func (h Argon2) Encode(password, salt string) (string, error) {
	if err := checkSalt(salt); err != nil {
		return "", err
	}
	if len(salt) < minArgon2Salt {
		return "", fmt.Errorf("%w: argon2 salt shorter than %d bytes", ErrInvalidSalt, minArgon2Salt)
	}
	p := h.params()
	if err := p.validate(); err != nil {
		return "", err
	}
	if h.hashLength() < minArgon2HashLen {
		return "", fmt.Errorf("%w: argon2 hash length %d", ErrInvalidParameters, h.hashLength())
	}
	key := p.key(password, []byte(salt), h.hashLength())
	return p.format([]byte(salt), key), nil
}

// Verify reports whether password matches encoded.
func (h Argon2) Verify(password, encoded string) (bool, error) {
	d, err := argon2Decode(encoded)
	if err != nil {
		return false, err
	}
	key := d.params.key(password, d.salt, uint32(len(d.hash)))
	return constantTimeEqual(string(key), string(d.hash)), nil
}

// MustUpdate reports whether encoded is not an argon2id hash with h's
// parameters and hash length, or has a salt of less than 128 bits.
func (h Argon2) MustUpdate(encoded string) bool {
	d, err := argon2Decode(encoded)
	if err != nil {
		return false
	}
	return d.params != h.params() || uint32(len(d.hash)) != h.hashLength() || mustUpdateSalt(len(d.salt))
}

// HardenRuntime does nothing: as in Django, Argon2's runtime is too
// complicated to bridge sensibly.
func (Argon2) HardenRuntime(password, encoded string) {}

type argon2Params struct {
	variant               string // "argon2id" or "argon2i"
	time, memory, threads uint32
}

func (p argon2Params) validate() error {
	switch {
	case p.time < 1:
		return fmt.Errorf("%w: argon2 time cost %d", ErrInvalidParameters, p.time)
	case p.threads < 1 || p.threads > 255:
		return fmt.Errorf("%w: argon2 parallelism %d", ErrInvalidParameters, p.threads)
	case p.memory < 8*p.threads || p.memory > maxArgon2MemoryKiB:
		return fmt.Errorf("%w: argon2 memory %d KiB", ErrInvalidParameters, p.memory)
	}
	return nil
}

func (p argon2Params) key(password string, salt []byte, keyLen uint32) []byte {
	if p.variant == "argon2i" {
		return argon2.Key([]byte(password), salt, p.time, p.memory, uint8(p.threads), keyLen)
	}
	return argon2.IDKey([]byte(password), salt, p.time, p.memory, uint8(p.threads), keyLen)
}

func (p argon2Params) format(salt, key []byte) string {
	return fmt.Sprintf("argon2$%s$v=%d$m=%d,t=%d,p=%d$%s$%s",
		p.variant, argon2.Version, p.memory, p.time, p.threads,
		base64.RawStdEncoding.EncodeToString(salt),
		base64.RawStdEncoding.EncodeToString(key))
}

type argon2Hash struct {
	params     argon2Params
	salt, hash []byte
}

// argon2Decode parses an "argon2$…" hash in the PHC string format that
// argon2-cffi writes.
func argon2Decode(encoded string) (argon2Hash, error) {
	rest, ok := strings.CutPrefix(encoded, "argon2$")
	if !ok {
		return argon2Hash{}, fmt.Errorf("%w: not an argon2 hash", ErrMalformedHash)
	}
	parts := strings.Split(rest, "$")
	var d argon2Hash
	d.params.variant = parts[0]
	switch d.params.variant {
	case "argon2id", "argon2i":
	case "argon2d":
		return argon2Hash{}, fmt.Errorf("%w: argon2d", ErrUnsupported)
	default:
		return argon2Hash{}, fmt.Errorf("%w: argon2 variant %q", ErrMalformedHash, d.params.variant)
	}
	if len(parts) == 4 && strings.HasPrefix(parts[1], "m=") {
		// Written by argon2-cffi before 16.0, without "v=": version 0x10.
		return argon2Hash{}, fmt.Errorf("%w: argon2 version 16", ErrUnsupported)
	}
	if len(parts) != 5 {
		return argon2Hash{}, fmt.Errorf("%w: argon2 hash needs 6 fields", ErrMalformedHash)
	}
	if parts[1] != "v=19" {
		if strings.HasPrefix(parts[1], "v=") {
			return argon2Hash{}, fmt.Errorf("%w: argon2 %s", ErrUnsupported, parts[1])
		}
		return argon2Hash{}, fmt.Errorf("%w: argon2 version %q", ErrMalformedHash, parts[1])
	}
	var err error
	if d.params.memory, d.params.time, d.params.threads, err = argon2ParseCosts(parts[2]); err != nil {
		return argon2Hash{}, err
	}
	if err := d.params.validate(); err != nil {
		return argon2Hash{}, fmt.Errorf("%w: %w", ErrMalformedHash, err)
	}
	if d.salt, err = base64.RawStdEncoding.DecodeString(parts[3]); err != nil || len(d.salt) < minArgon2Salt {
		return argon2Hash{}, fmt.Errorf("%w: argon2 salt", ErrMalformedHash)
	}
	if d.hash, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil || len(d.hash) < minArgon2HashLen {
		return argon2Hash{}, fmt.Errorf("%w: argon2 hash", ErrMalformedHash)
	}
	return d, nil
}

// argon2ParseCosts parses "m=<memory>,t=<time>,p=<parallelism>".
func argon2ParseCosts(s string) (memory, time, threads uint32, err error) {
	fields := strings.Split(s, ",")
	dst := []*uint32{&memory, &time, &threads}
	if len(fields) != len(dst) {
		return 0, 0, 0, fmt.Errorf("%w: argon2 parameters %q", ErrMalformedHash, s)
	}
	for i, name := range []string{"m=", "t=", "p="} {
		v, ok := strings.CutPrefix(fields[i], name)
		n, err := strconv.ParseUint(v, 10, 32)
		if !ok || err != nil {
			return 0, 0, 0, fmt.Errorf("%w: argon2 parameters %q", ErrMalformedHash, s)
		}
		*dst[i] = uint32(n)
	}
	return memory, time, threads, nil
}
