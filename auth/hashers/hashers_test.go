package hashers

import (
	"errors"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// cheap returns hashers of every algorithm at test costs.
func cheap() []Hasher {
	return []Hasher{
		PBKDF2SHA256{Iterations: 100}, PBKDF2SHA1{Iterations: 100},
		Argon2{Time: 1, MemoryKiB: 8, Parallelism: 1}, BCryptSHA256{Cost: 4},
		Scrypt{N: 16, R: 1, P: 1}, BCrypt{Cost: 4}, MD5{}, SHA1{}, UnsaltedMD5{}, UnsaltedSHA1{},
	}
}

func cheapRegistry(t testing.TB) *Registry {
	t.Helper()
	r, err := NewRegistry(cheap()...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestNewSalt(t *testing.T) {
	if want := int(math.Ceil(saltEntropy / math.Log2(float64(len(RandomStringChars))))); SaltLength != want || mustUpdateSalt(SaltLength) || !mustUpdateSalt(SaltLength-1) {
		t.Fatalf("SaltLength = %d, want %d", SaltLength, want)
	}
	seen := map[string]bool{}
	for range 100 {
		s := NewSalt()
		if len(s) != 22 || strings.Trim(s, RandomStringChars) != "" {
			t.Fatalf("NewSalt() = %q", s)
		}
		if seen[s] {
			t.Fatalf("NewSalt repeated %q", s)
		}
		seen[s] = true
	}
}

func TestRandomStringUsesWholeAlphabet(t *testing.T) {
	counts := map[rune]int{}
	for _, c := range RandomString(62 * 200) {
		counts[c]++
	}
	if len(counts) != len(RandomStringChars) {
		t.Fatalf("saw %d distinct characters, want %d", len(counts), len(RandomStringChars))
	}
	for c, n := range counts {
		if n < 100 || n > 330 { // expected 200; far outside means bias
			t.Errorf("character %q drawn %d times of 12400", c, n)
		}
	}
}

func TestMakeAndCheckEveryAlgorithm(t *testing.T) {
	for _, h := range cheap() {
		if _, isLegacy := h.(legacy); isLegacy {
			continue
		}
		t.Run(h.Algorithm(), func(t *testing.T) {
			reg, err := NewRegistry(h)
			if err != nil {
				t.Fatal(err)
			}
			for _, pw := range []string{"lètmein", "", " ", "пароль 🔑", strings.Repeat("p", 200)} {
				enc, err := reg.Make(pw)
				if _, plain := h.(BCrypt); plain && len(pw) > 72 {
					if !errors.Is(err, ErrPasswordTooLong) {
						t.Errorf("Make(%d bytes) = %q, %v; want ErrPasswordTooLong", len(pw), enc, err)
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(enc, h.Algorithm()+"$") || !IsUsable(enc) {
					t.Fatalf("Make(%q) = %q", pw, enc)
				}
				if ok, upgrade, err := reg.Check(pw, enc); !ok || upgrade || err != nil {
					t.Errorf("Check(%q, %q) = %v, %v, %v; want true, false, nil", pw, enc, ok, upgrade, err)
				}
				if ok, upgrade, err := reg.Check(pw+" ", enc); ok || upgrade || err != nil {
					t.Errorf("Check(wrong) = %v, %v, %v", ok, upgrade, err)
				}
				if again, _ := reg.Make(pw); again == enc {
					t.Errorf("two hashes of %q are equal: salts are not random", pw)
				}
			}
		})
	}
}

func TestBCryptSHA256DoesNotTruncate(t *testing.T) {
	h := BCryptSHA256{Cost: 4}
	long := strings.Repeat("VSK0UYV6FFQVZ0KG88DY", 5) // 100 bytes
	enc, err := h.Encode(long, h.Salt())
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := h.Verify(long[:72], enc); ok {
		t.Error("the first 72 bytes of the password verify")
	}
	if ok, _ := h.Verify(long, enc); !ok {
		t.Error("the password does not verify")
	}
}

// TestBCryptTruncates: plain bcrypt reads 72 bytes of a password, as every
// bcrypt did when Django sites made such hashes; Encode refuses what it
// would not read.
func TestBCryptTruncates(t *testing.T) {
	h := BCrypt{Cost: 4}
	pw := strings.Repeat("VSK0UYV6FFQVZ0KG88DY", 4)[:72]
	enc, err := h.Encode(pw, h.Salt())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "bcrypt$$2b$04$") || len(enc) != len("bcrypt$")+60 {
		t.Errorf("Encode = %q", enc)
	}
	for cand, want := range map[string]bool{pw: true, pw + "anything": true, pw[:71]: false, "x" + pw[1:]: false} {
		if ok, err := h.Verify(cand, enc); ok != want || err != nil {
			t.Errorf("Verify(%d bytes) = %v, %v; want %v", len(cand), ok, err, want)
		}
	}
	if _, err := h.Encode(pw+"y", h.Salt()); !errors.Is(err, ErrPasswordTooLong) {
		t.Errorf("Encode of 73 bytes: %v; want ErrPasswordTooLong", err)
	}
	// The same salt gives different hashes to bcrypt and bcrypt_sha256,
	// and neither reads the other's.
	salt := h.Salt()
	plain, _ := h.Encode("pw", salt)
	sha, _ := (BCryptSHA256{}).Encode("pw", salt)
	if plain[len("bcrypt$"):] == sha[len("bcrypt_sha256$"):] {
		t.Error("bcrypt and bcrypt_sha256 agree")
	}
	if _, err := h.Verify("pw", sha); !errors.Is(err, ErrMalformedHash) {
		t.Errorf("bcrypt read a bcrypt_sha256 hash: %v", err)
	}
	if hh, err := Default().Identify(plain); err != nil || hh.Algorithm() != "bcrypt" {
		t.Errorf("Default().Identify(bcrypt$…) = %v, %v", hh, err)
	}
}

func TestEncodeRefusesBadSalt(t *testing.T) {
	for _, h := range []Hasher{PBKDF2SHA256{Iterations: 1}, PBKDF2SHA1{Iterations: 1}, Scrypt{N: 2, R: 1, P: 1},
		Argon2{Time: 1, MemoryKiB: 8, Parallelism: 1}, MD5{}, SHA1{}} {
		for _, salt := range []string{"", "sea$salt2"} {
			if _, err := h.Encode("password", salt); !errors.Is(err, ErrInvalidSalt) {
				t.Errorf("%s.Encode(salt %q) error = %v, want ErrInvalidSalt", h.Algorithm(), salt, err)
			}
		}
	}
	if _, err := (Argon2{}).Encode("password", "short"); !errors.Is(err, ErrInvalidSalt) {
		t.Errorf("argon2 accepted a 5-byte salt: %v", err)
	}
	for _, h := range []Hasher{UnsaltedMD5{}, UnsaltedSHA1{}} {
		if _, err := h.Encode("password", "salt"); !errors.Is(err, ErrInvalidSalt) {
			t.Errorf("%s accepted a salt: %v", h.Algorithm(), err)
		}
	}
	for _, salt := range []string{"", "seasalt", "$2b$04$abcdefghijklmnopqrstu", "$2b$04$abcdefghijklmnopqrstuv", // not canonical
		"$2x$04$abcdefghijklmnopqrstuu", "$2b$03$abcdefghijklmnopqrstuu", "$2b$04$abcdefghijklmnopqrst!u"} {
		if _, err := (BCryptSHA256{}).Encode("password", salt); err == nil {
			t.Errorf("bcrypt_sha256 accepted salt %q", salt)
		}
	}
}

func TestEncodeRefusesBadCosts(t *testing.T) {
	for _, h := range []Hasher{
		PBKDF2SHA256{Iterations: -1}, Scrypt{N: 3}, Scrypt{N: 1 << 20, R: 16},
		Argon2{Time: 1, MemoryKiB: 7, Parallelism: 1}, Argon2{Time: 1, MemoryKiB: 8, Parallelism: 1, HashLength: 3},
	} {
		if _, err := h.Encode("password", NewSalt()); !errors.Is(err, ErrInvalidParameters) {
			t.Errorf("%#v.Encode error = %v, want ErrInvalidParameters", h, err)
		}
	}
}

func TestUnusable(t *testing.T) {
	reg := cheapRegistry(t)
	u := MakeUnusable()
	if len(u) != 41 || u[0] != '!' || IsUsable(u) {
		t.Fatalf("MakeUnusable() = %q", u)
	}
	if u == MakeUnusable() {
		t.Fatal("two unusable passwords are equal")
	}
	for _, pw := range []string{"", u, "!", u[1:]} {
		if ok, upgrade, err := reg.Check(pw, u); ok || upgrade || err != nil {
			t.Errorf("Check(%q, unusable) = %v, %v, %v", pw, ok, upgrade, err)
		}
	}
	if _, err := reg.Identify(u); !errors.Is(err, ErrUnknownAlgorithm) {
		t.Errorf("Identify(unusable) error = %v", err)
	}
	if !IsUsable("") || !IsUsable("pbkdf2_sha256$1$a$b") {
		t.Error("IsUsable differs from Django's is_password_usable")
	}
}

func TestCheckOddInputs(t *testing.T) {
	reg := cheapRegistry(t)
	cases := []struct {
		encoded string
		want    error
	}{
		{"", nil},
		{"!", nil},
		{"lolcat$salt$hash", ErrUnknownAlgorithm},
		{"plain", ErrUnknownAlgorithm},
		{"$", ErrUnknownAlgorithm},
		{"bcrypt$$2b$04$abcdefghijklmnopqrstuuCi15uRb1eH7NAlJ/TgeJertyknQpYn2", nil}, // well formed, no match
		{"bcrypt$$2b$04$hash", ErrMalformedHash},
		{"bcrypt_sha512$$2b$12$abcdefghijklmnopqrstuuCi15uRb1eH7NAlJ/TgeJertyknQpYn2", ErrUnknownAlgorithm},
		{"pbkdf2_sha256$", ErrMalformedHash},
		{"pbkdf2_sha256$x$salt$hash", ErrMalformedHash},
		{"pbkdf2_sha256$0$salt$hash", ErrMalformedHash},
		{"pbkdf2_sha256$1$$hash", ErrMalformedHash},
		{"pbkdf2_sha1$-5$salt$hash", ErrMalformedHash},
		{"argon2$", ErrMalformedHash},
		{"argon2$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ", ErrMalformedHash},
		{"argon2$argon2id$v=19$m=8,t=1,p=0$c2FsdHNhbHQ$aGFzaGhhc2g", ErrMalformedHash},
		{"argon2$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", ErrMalformedHash},
		{"argon2$argon2id$v=19$t=1,m=8,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", ErrMalformedHash},
		{"argon2$argon2id$v=19$m=8,t=1,p=1$c2Fs$aGFzaGhhc2g", ErrMalformedHash}, // salt < 8 bytes
		{"argon2$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$!!!", ErrMalformedHash},
		{"argon2$argon2d$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", ErrUnsupported},
		{"argon2$argon2id$v=16$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", ErrUnsupported},
		{"argon2$argon2x$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", ErrMalformedHash},
		{"bcrypt_sha256$", ErrMalformedHash},
		{"bcrypt_sha256$$2b$12$hash", ErrMalformedHash},
		{"bcrypt_sha256$$2x$04$abcdefghijklmnopqrstuuCi15uRb1eH7NAlJ/TgeJertyknQpYn2", ErrMalformedHash},
		{"bcrypt_sha256$$2b$99$abcdefghijklmnopqrstuuCi15uRb1eH7NAlJ/TgeJertyknQpYn2", ErrMalformedHash},
		{"scrypt$16384$salt$8$5", ErrMalformedHash},
		{"scrypt$3$salt$8$1$hash", ErrMalformedHash},
		{"scrypt$1073741824$salt$8$1$hash", ErrMalformedHash}, // 1 TiB
		{"scrypt$16$salt$x$1$hash", ErrMalformedHash},
		{"md5$$hash", ErrMalformedHash},
		{"sha1$salt", ErrMalformedHash},
	}
	for _, c := range cases {
		ok, upgrade, err := reg.Check("password", c.encoded)
		if ok || upgrade || !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("Check(%q) = %v, %v, %v; want false, false, %v", c.encoded, ok, upgrade, err, c.want)
		}
	}
}

func TestIdentifyErrorDoesNotLeakHash(t *testing.T) {
	_, err := Identify("0123456789abcdef0123456789abcdef0123")
	if err == nil || strings.Contains(err.Error(), "0123") {
		t.Errorf("Identify error = %v", err)
	}
}

func TestNeedsUpgrade(t *testing.T) {
	pref := PBKDF2SHA256{Iterations: 1000}
	reg, err := NewRegistry(pref, Argon2{Time: 1, MemoryKiB: 8, Parallelism: 1}, Scrypt{N: 16, R: 1, P: 1}, MD5{}, SHA1{}, UnsaltedMD5{}, UnsaltedSHA1{})
	if err != nil {
		t.Fatal(err)
	}
	mustEncode := func(h Hasher, salt string) string {
		t.Helper()
		enc, err := h.Encode("lètmein", salt)
		if err != nil {
			t.Fatal(err)
		}
		return enc
	}
	cases := []struct {
		name    string
		encoded string
		upgrade bool
	}{
		{"preferred", mustEncode(pref, NewSalt()), false},
		{"fewer iterations", mustEncode(PBKDF2SHA256{Iterations: 999}, NewSalt()), true},
		{"more iterations (Django compares with !=)", mustEncode(PBKDF2SHA256{Iterations: 1001}, NewSalt()), true},
		{"weak salt", mustEncode(pref, "iodizedsalt"), true},
		{"other algorithm", mustEncode(Argon2{Time: 1, MemoryKiB: 8, Parallelism: 1}, NewSalt()), true},
		{"md5", mustEncode(MD5{}, NewSalt()), true},
		{"sha1", mustEncode(SHA1{}, NewSalt()), true},
		{"unsalted md5", mustEncode(UnsaltedMD5{}, ""), true},
		{"unsalted sha1", mustEncode(UnsaltedSHA1{}, ""), true},
	}
	for _, c := range cases {
		ok, upgrade, err := reg.Check("lètmein", c.encoded)
		if !ok || err != nil || upgrade != c.upgrade {
			t.Errorf("%s: Check = %v, %v, %v; want true, %v, nil", c.name, ok, upgrade, err, c.upgrade)
		}
		if ok, upgrade, _ := reg.Check("wrong", c.encoded); ok || upgrade {
			t.Errorf("%s: Check(wrong) = %v, %v", c.name, ok, upgrade)
		}
	}
}

func TestMustUpdatePerHasher(t *testing.T) {
	salt := NewSalt()
	a := Argon2{Time: 1, MemoryKiB: 16, Parallelism: 2}
	enc, _ := a.Encode("pw", salt)
	for _, c := range []struct {
		h    Hasher
		want bool
	}{
		{a, false},
		{Argon2{Time: 2, MemoryKiB: 16, Parallelism: 2}, true},
		{Argon2{Time: 1, MemoryKiB: 32, Parallelism: 2}, true},
		{Argon2{Time: 1, MemoryKiB: 16, Parallelism: 1}, true},
		{Argon2{Time: 1, MemoryKiB: 16, Parallelism: 2, HashLength: 16}, true},
	} {
		if got := c.h.MustUpdate(enc); got != c.want {
			t.Errorf("%#v.MustUpdate(%q) = %v", c.h, enc, got)
		}
	}
	argon2i := "argon2$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q"
	if !(Argon2{Time: 1, MemoryKiB: 8, Parallelism: 1, HashLength: 16}).MustUpdate(argon2i) {
		t.Error("argon2i hash not reported for upgrade")
	}
	s := Scrypt{N: 16, R: 2, P: 1}
	enc, _ = s.Encode("pw", "iodizedsalt")
	if s.MustUpdate(enc) {
		t.Error("scrypt reported its own hash (Django does not check scrypt salts)")
	}
	if (Scrypt{}).MustUpdate("scrypt$16384$seasalt$8$5$x") || !(Scrypt{}).MustUpdate("scrypt$16384$seasalt$8$1$x") {
		t.Error("scrypt MustUpdate does not follow Django 5.2's p=5")
	}
	b := BCryptSHA256{Cost: 5}
	enc, _ = b.Encode("pw", b.Salt())
	if b.MustUpdate(enc) || !(BCryptSHA256{Cost: 4}).MustUpdate(enc) || !(BCryptSHA256{}).MustUpdate(enc) {
		t.Error("bcrypt MustUpdate does not compare costs")
	}
	pb := BCrypt{Cost: 5}
	enc, _ = pb.Encode("pw", pb.Salt())
	if pb.MustUpdate(enc) || !(BCrypt{Cost: 4}).MustUpdate(enc) || !(BCrypt{}).MustUpdate(enc) || b.MustUpdate(enc) {
		t.Error("plain bcrypt MustUpdate does not compare costs")
	}
	for _, h := range cheap() {
		if h.MustUpdate("garbage") {
			t.Errorf("%s.MustUpdate(garbage) = true", h.Algorithm())
		}
	}
}

// counting wraps a hasher and counts Encode and HardenRuntime calls.
type counting struct {
	PBKDF2SHA256
	encodes, hardens atomic.Int32
}

func (c *counting) Encode(password, salt string) (string, error) {
	c.encodes.Add(1)
	return c.PBKDF2SHA256.Encode(password, salt)
}

func (c *counting) HardenRuntime(password, encoded string) {
	c.hardens.Add(1)
	c.PBKDF2SHA256.HardenRuntime(password, encoded)
}

// TestTimingMitigation checks that Check runs the preferred hasher for
// hashes that cannot match, and hardens failed checks of weaker hashes.
func TestTimingMitigation(t *testing.T) {
	c := &counting{PBKDF2SHA256: PBKDF2SHA256{Iterations: 100}}
	reg, err := NewRegistry(c, MD5{})
	if err != nil {
		t.Fatal(err)
	}
	for _, enc := range []string{"", MakeUnusable(), "lolcat$x$y", "pbkdf2_sha256$x$y$z"} {
		c.encodes.Store(0)
		reg.Check("pw", enc)
		if n := c.encodes.Load(); n != 1 {
			t.Errorf("Check(%q) ran the preferred hasher %d times, want 1", enc, n)
		}
	}
	c.encodes.Store(0)
	reg.RunDefault("pw")
	if c.encodes.Load() != 1 {
		t.Error("RunDefault did not run the preferred hasher")
	}

	weak, _ := PBKDF2SHA256{Iterations: 10}.Encode("pw", NewSalt())
	md5, _ := MD5{}.Encode("pw", NewSalt())
	for _, tc := range []struct {
		password, encoded string
		hardens           int32
	}{
		{"pw", weak, 0},    // right password: no hardening
		{"wrong", weak, 1}, // wrong password, weaker cost of the preferred algorithm
		{"wrong", md5, 0},  // another algorithm: not hardened by the preferred hasher (see TestLegacyCheckCostsThePreferredHash)
	} {
		c.hardens.Store(0)
		reg.Check(tc.password, tc.encoded)
		if got := c.hardens.Load(); got != tc.hardens {
			t.Errorf("Check(%q, %q) hardened %d times, want %d", tc.password, tc.encoded, got, tc.hardens)
		}
	}
}

// hardenCounter is PBKDF2SHA1 counting its HardenRuntime calls.
type hardenCounter struct {
	PBKDF2SHA1
	hardens atomic.Int32
}

func (h *hardenCounter) HardenRuntime(password, encoded string) {
	h.hardens.Add(1)
	h.PBKDF2SHA1.HardenRuntime(password, encoded)
}

// TestLegacyCheckCostsThePreferredHash: checking a legacy hash (md5, sha1,
// unsalted) costs next to nothing, so a failed check of one runs the
// preferred hasher once, as RunDefault does for a user that does not
// exist; a successful one is reported for upgrade, and the upgrade hashes
// with the preferred hasher. A failed check of another registered
// algorithm's hash, made at a lower cost than that hasher's, is hardened to
// that hasher's cost.
func TestLegacyCheckCostsThePreferredHash(t *testing.T) {
	c := &counting{PBKDF2SHA256: PBKDF2SHA256{Iterations: 100}}
	other := &hardenCounter{PBKDF2SHA1: PBKDF2SHA1{Iterations: 100}}
	reg, err := NewRegistry(c, other, MD5{}, SHA1{}, UnsaltedMD5{}, UnsaltedSHA1{})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []Hasher{MD5{}, SHA1{}, UnsaltedMD5{}, UnsaltedSHA1{}} {
		enc, err := h.Encode("pw", h.Salt())
		if err != nil {
			t.Fatal(err)
		}
		c.encodes.Store(0)
		if ok, up, err := reg.Check("wrong", enc); ok || up || err != nil {
			t.Errorf("%s: Check(wrong) = %v, %v, %v", h.Algorithm(), ok, up, err)
		}
		if n := c.encodes.Load(); n != 1 {
			t.Errorf("%s: a failed check ran the preferred hasher %d times, want 1", h.Algorithm(), n)
		}
		c.encodes.Store(0)
		if ok, up, err := reg.Check("pw", enc); !ok || !up || err != nil {
			t.Errorf("%s: Check(pw) = %v, %v, %v; want a match to upgrade", h.Algorithm(), ok, up, err)
		}
		if n := c.encodes.Load(); n != 0 {
			t.Errorf("%s: a successful check ran the preferred hasher %d times, want 0 (the upgrade does)", h.Algorithm(), n)
		}
	}
	weak, _ := PBKDF2SHA1{Iterations: 10}.Encode("pw", NewSalt())
	current, _ := other.Encode("pw", NewSalt())
	for _, tc := range []struct {
		password, encoded string
		hardens           int32
	}{
		{"wrong", weak, 1},    // below pbkdf2_sha1's own cost
		{"pw", weak, 0},       // a match: upgraded instead
		{"wrong", current, 0}, // already at pbkdf2_sha1's cost
	} {
		other.hardens.Store(0)
		c.encodes.Store(0)
		reg.Check(tc.password, tc.encoded)
		if got := other.hardens.Load(); got != tc.hardens {
			t.Errorf("Check(%q, %q) hardened %d times, want %d", tc.password, tc.encoded, got, tc.hardens)
		}
		if n := c.encodes.Load(); n != 0 {
			t.Errorf("Check(%q, %q) ran the preferred hasher %d times, want 0", tc.password, tc.encoded, n)
		}
	}
}

func TestNewRegistryErrors(t *testing.T) {
	if _, err := NewRegistry(); !errors.Is(err, ErrNoHashers) {
		t.Errorf("empty: %v", err)
	}
	if _, err := NewRegistry(PBKDF2SHA256{}, nil); err == nil {
		t.Error("nil hasher accepted")
	}
	if _, err := NewRegistry(PBKDF2SHA256{}, PBKDF2SHA256{Iterations: 5}); !errors.Is(err, ErrDuplicateAlgorithm) {
		t.Errorf("duplicate: %v", err)
	}
	for _, h := range []Hasher{MD5{}, SHA1{}, UnsaltedMD5{}, UnsaltedSHA1{}} {
		if _, err := NewRegistry(h, PBKDF2SHA256{}); !errors.Is(err, ErrLegacyPreferred) {
			t.Errorf("legacy %s preferred: %v", h.Algorithm(), err)
		}
	}
	reg := Default()
	if reg.Preferred() != (PBKDF2SHA256{}) || len(reg.Hashers()) != 10 {
		t.Errorf("Default() = %v", reg.Hashers())
	}
	if h, ok := reg.Get("scrypt"); !ok || h != (Scrypt{}) {
		t.Errorf("Get(scrypt) = %v, %v", h, ok)
	}
	reg.Hashers()[0] = MD5{} // a copy: the registry is unchanged
	if reg.Preferred() != (PBKDF2SHA256{}) {
		t.Error("Hashers() exposes the registry's slice")
	}
}

func TestConcurrentUse(t *testing.T) {
	reg := cheapRegistry(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			pw := strings.Repeat("x", i)
			enc, err := reg.Make(pw)
			if err != nil {
				t.Error(err)
				return
			}
			if ok, _, err := reg.Check(pw, enc); !ok || err != nil {
				t.Errorf("Check = %v, %v", ok, err)
			}
		})
	}
	wg.Wait()
}

// FuzzCheck makes sure no input makes Check panic or accept an error.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"", "!", "$", "$$$$$$", "pbkdf2_sha256$1$salt$hash", "argon2$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$YWFhYQ",
		"bcrypt_sha256$$2b$04$abcdefghijklmnopqrstuuCi15uRb1eH7NAlJ/TgeJertyknQpYn2", "scrypt$2$s$1$1$h",
		"md5$$88a434c88cca4e900f7874cd98123f43", "sha1$$6d138ca3ae545631b3abd71a4f076ce759c5700b",
	} {
		f.Add("pw", s)
	}
	reg, err := NewRegistry(PBKDF2SHA256{Iterations: 1}, PBKDF2SHA1{}, Argon2{}, BCryptSHA256{}, Scrypt{}, MD5{}, SHA1{}, UnsaltedMD5{}, UnsaltedSHA1{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, password, encoded string) {
		// Skip inputs whose costs would make the fuzzer crawl.
		for _, field := range strings.FieldsFunc(encoded, func(r rune) bool { return r == '$' || r == ',' || r == '=' }) {
			if len(field) > 3 && strings.Trim(field, "0123456789") == "" {
				return
			}
		}
		if rest, ok := strings.CutPrefix(encoded, "bcrypt_sha256$$2"); ok && len(rest) > 4 && rest[2:4] > "06" {
			return
		}
		ok, upgrade, err := reg.Check(password, encoded)
		if err != nil && (ok || upgrade) {
			t.Fatalf("Check(%q, %q) = %v, %v, %v", password, encoded, ok, upgrade, err)
		}
	})
}
