package hashers

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// UnusablePrefix starts every unusable password; no hasher writes it.
const UnusablePrefix = "!"

// unusableSuffixLength is the number of random characters after
// UnusablePrefix (Django's UNUSABLE_PASSWORD_SUFFIX_LENGTH).
const unusableSuffixLength = 40

// Registry is an ordered set of hashers, Django's PASSWORD_HASHERS setting:
// the first is the preferred hasher, used to make new hashes; all of them
// verify existing hashes. A Registry is immutable and safe for concurrent
// use.
type Registry struct {
	hashers []Hasher
	byAlg   map[string]Hasher
}

// NewRegistry returns a registry of hashers, the first being the preferred
// one. It fails when hashers is empty, when two hashers share an algorithm
// name, or when the preferred hasher is a legacy one ([MD5], [SHA1],
// [UnsaltedMD5], [UnsaltedSHA1]).
//
// Costs are set on the hashers themselves, for example a cheap registry for
// tests:
//
//	reg, err := hashers.NewRegistry(hashers.PBKDF2SHA256{Iterations: 1000}, hashers.MD5{})
func NewRegistry(hashers ...Hasher) (*Registry, error) {
	if len(hashers) == 0 {
		return nil, ErrNoHashers
	}
	if slices.Contains(hashers, nil) {
		return nil, fmt.Errorf("%w: nil hasher", ErrNoHashers)
	}
	if _, ok := hashers[0].(legacy); ok {
		return nil, fmt.Errorf("%w: %s", ErrLegacyPreferred, hashers[0].Algorithm())
	}
	r := &Registry{hashers: append([]Hasher(nil), hashers...), byAlg: make(map[string]Hasher, len(hashers))}
	for _, h := range hashers {
		if _, dup := r.byAlg[h.Algorithm()]; dup {
			return nil, fmt.Errorf("%w: %s", ErrDuplicateAlgorithm, h.Algorithm())
		}
		r.byAlg[h.Algorithm()] = h
	}
	return r, nil
}

// DefaultHashers returns, in order, the hashers of Django 5.2's default
// PASSWORD_HASHERS at their default costs, then BCrypt (Django's
// BCryptPasswordHasher, which a Django site lists to use), then the legacy
// verify-only hashers: PBKDF2SHA256, PBKDF2SHA1, Argon2, BCryptSHA256,
// Scrypt, BCrypt, MD5, SHA1, UnsaltedMD5, UnsaltedSHA1. So the users of a
// Django site that used any of Django's hashers log in, and their hashes
// are upgraded to PBKDF2SHA256 on the way. The slice is new on every call.
func DefaultHashers() []Hasher {
	return []Hasher{
		PBKDF2SHA256{}, PBKDF2SHA1{}, Argon2{}, BCryptSHA256{}, Scrypt{}, BCrypt{},
		MD5{}, SHA1{}, UnsaltedMD5{}, UnsaltedSHA1{},
	}
}

var defaultRegistry = sync.OnceValue(func() *Registry {
	r, err := NewRegistry(DefaultHashers()...)
	if err != nil {
		panic(err) // unreachable: the default hashers are distinct
	}
	return r
})

// Default returns the registry of [DefaultHashers], whose preferred hasher is
// [PBKDF2SHA256] with 1,000,000 iterations.
func Default() *Registry { return defaultRegistry() }

// Preferred returns the hasher new passwords are hashed with (Django's
// get_hasher("default")).
func (r *Registry) Preferred() Hasher { return r.hashers[0] }

// Hashers returns the registry's hashers in order.
func (r *Registry) Hashers() []Hasher { return append([]Hasher(nil), r.hashers...) }

// Get returns the hasher named algorithm.
func (r *Registry) Get(algorithm string) (Hasher, bool) {
	h, ok := r.byAlg[algorithm]
	return h, ok
}

// Identify returns the hasher that wrote encoded, by its algorithm field or,
// for the unsalted legacy formats, by its shape (Django's identify_hasher).
// It fails with [ErrUnknownAlgorithm] when that hasher is not in the
// registry, and so for unusable and empty passwords.
func (r *Registry) Identify(encoded string) (Hasher, error) {
	alg := algorithmOf(encoded)
	if h, ok := r.byAlg[alg]; ok {
		return h, nil
	}
	if alg == encoded {
		// No '$': do not copy what may be a whole hash into the error.
		return nil, ErrUnknownAlgorithm
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownAlgorithm, alg)
}

func algorithmOf(encoded string) string {
	switch {
	case len(encoded) == 32 && !strings.Contains(encoded, "$"),
		len(encoded) == 37 && strings.HasPrefix(encoded, "md5$$"):
		return "unsalted_md5"
	case len(encoded) == 46 && strings.HasPrefix(encoded, "sha1$$"):
		return "unsalted_sha1"
	}
	alg, _, _ := strings.Cut(encoded, "$")
	return alg
}

// Make hashes password with the preferred hasher and a new salt (Django's
// make_password).
func (r *Registry) Make(password string) (string, error) {
	h := r.Preferred()
	return h.Encode(password, h.Salt())
}

// Check reports whether password matches encoded and, when it does, whether
// encoded should be replaced by a fresh hash of password (Django's
// check_password with its setter): because its algorithm is not the
// preferred one, or because the preferred hasher's MustUpdate says so. On a
// failed check needsUpgrade is always false.
//
// An unusable, empty or unidentifiable encoded never matches. Check then
// still runs the preferred hasher once, so that the time Check takes says
// little about the stored hash; so does a wrong password for a hash of a
// legacy hasher ([MD5], [SHA1], [UnsaltedMD5], [UnsaltedSHA1]), whose own
// check costs next to nothing. A wrong password for a hash made at a lower
// cost than its hasher's current one (fewer PBKDF2 iterations, a lower
// bcrypt cost) is slowed down to that cost (RuntimeHardener), whether the
// hasher is the preferred one or not. A match of such a hash is reported
// for upgrade, and the upgrade, a new hash by the preferred hasher, takes
// that hasher's time.
//
// err is nil for unusable and empty hashes, wraps ErrUnknownAlgorithm for
// a hash whose hasher is not registered, and ErrMalformedHash or
// ErrUnsupported for one its hasher cannot read; ok is false whenever err
// is not nil.
func (r *Registry) Check(password, encoded string) (ok, needsUpgrade bool, err error) {
	if encoded == "" || !IsUsable(encoded) {
		r.fakeRuntime()
		return false, false, nil
	}
	h, err := r.Identify(encoded)
	if err != nil {
		r.fakeRuntime()
		return false, false, err
	}
	preferred := r.Preferred()
	changed := h.Algorithm() != preferred.Algorithm()
	mustUpdate := changed || preferred.MustUpdate(encoded)
	ok, err = h.Verify(password, encoded)
	if err != nil {
		r.fakeRuntime()
		return false, false, err
	}
	if !ok {
		r.harden(h, password, encoded)
	}
	return ok, ok && mustUpdate, nil
}

// harden spends, after h failed to match password with encoded, what a
// check at full cost would have taken: the preferred hasher's run for a
// legacy hasher, which has no cost to raise, and the work h's current cost
// adds to encoded's for the others (Django's harden_runtime, which Django
// applies to the preferred hasher only).
func (r *Registry) harden(h Hasher, password, encoded string) {
	if _, isLegacy := h.(legacy); isLegacy {
		r.RunDefault(password)
		return
	}
	if hr, isHardener := h.(RuntimeHardener); isHardener && h.MustUpdate(encoded) {
		hr.HardenRuntime(password, encoded)
	}
}

// RunDefault hashes password with the preferred hasher and discards the
// result. An authentication backend calls it when the user does not exist,
// so that a login attempt for an unknown username takes as long as one for
// a known username (Django's ModelBackend runs set_password for that).
func (r *Registry) RunDefault(password string) {
	h := r.Preferred()
	_, _ = h.Encode(password, h.Salt())
}

func (r *Registry) fakeRuntime() { r.RunDefault(RandomString(unusableSuffixLength)) }

// MakeUnusable returns a new unusable password: [UnusablePrefix] followed by
// 40 random characters, which no password matches (Django's
// make_password(None)). The random part keeps two unusable passwords
// distinct.
func MakeUnusable() string { return UnusablePrefix + RandomString(unusableSuffixLength) }

// IsUsable reports whether encoded is not an unusable password, that is
// does not start with [UnusablePrefix] (Django's is_password_usable). As in
// Django, the empty string counts as usable, although no password matches
// it.
func IsUsable(encoded string) bool { return !strings.HasPrefix(encoded, UnusablePrefix) }

// Make hashes password with the preferred hasher of [Default].
func Make(password string) (string, error) { return Default().Make(password) }

// Check checks password against encoded with [Default]; see [Registry.Check].
func Check(password, encoded string) (ok, needsUpgrade bool, err error) {
	return Default().Check(password, encoded)
}

// Identify returns the hasher of [Default] that wrote encoded; see
// [Registry.Identify].
func Identify(encoded string) (Hasher, error) { return Default().Identify(encoded) }

// RunDefault runs the preferred hasher of [Default] once; see
// [Registry.RunDefault].
func RunDefault(password string) { Default().RunDefault(password) }
