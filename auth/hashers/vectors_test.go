package hashers

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

var writeGoVectors = flag.Bool("write-go-vectors", false,
	"write testdata/go_vectors.json for testdata/django_vectors.py to check with Django")

// The JSON written by testdata/django_vectors.py.
type djangoFile struct {
	Versions        map[string]string `json:"versions"`
	PasswordHashers []string          `json:"password_hashers"`
	Vectors         []djangoVector    `json:"vectors"`
	Identify        []identifyCase    `json:"identify"`
	GoMade          []goVector        `json:"go_made"`
}

type verdict struct {
	OK         *bool  `json:"ok"`
	MustUpdate bool   `json:"must_update"`
	Error      string `json:"error"`
}

type djangoVector struct {
	Algorithm        string         `json:"algorithm"`
	Password         string         `json:"password"`
	Salt             *string        `json:"salt"`
	Params           map[string]any `json:"params"`
	Encoded          string         `json:"encoded"`
	DjangoCheck      verdict        `json:"django_check"`
	DjangoCheckWrong verdict        `json:"django_check_wrong"`
}

type identifyCase struct {
	Encoded     string  `json:"encoded"`
	Algorithm   string  `json:"algorithm"`
	Usable      bool    `json:"usable"`
	DjangoCheck verdict `json:"django_check"`
}

type goVector struct {
	Algorithm        string  `json:"algorithm"`
	Password         string  `json:"password"`
	Encoded          string  `json:"encoded"`
	DjangoCheck      verdict `json:"django_check,omitzero"`
	DjangoCheckWrong verdict `json:"django_check_wrong,omitzero"`
}

// wrong is the wrong password the script checks each vector with.
func wrong(password string) string { return password + "z" }

func loadDjango(t *testing.T, name string) djangoFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var f djangoFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(f.Vectors) == 0 {
		t.Fatalf("%s: no vectors", name)
	}
	return f
}

// djangoRegistry mirrors the PASSWORD_HASHERS the script ran Django with.
func djangoRegistry(t *testing.T, paths []string) *Registry {
	t.Helper()
	byClass := map[string]Hasher{
		"PBKDF2PasswordHasher":       PBKDF2SHA256{},
		"PBKDF2SHA1PasswordHasher":   PBKDF2SHA1{},
		"Argon2PasswordHasher":       Argon2{},
		"BCryptSHA256PasswordHasher": BCryptSHA256{},
		"BCryptPasswordHasher":       BCrypt{},
		"ScryptPasswordHasher":       Scrypt{},
		"MD5PasswordHasher":          MD5{},
		"SHA1PasswordHasher":         SHA1{},
		"UnsaltedMD5PasswordHasher":  UnsaltedMD5{},
		"UnsaltedSHA1PasswordHasher": UnsaltedSHA1{},
	}
	var hs []Hasher
	for _, p := range paths {
		h, ok := byClass[p[strings.LastIndex(p, ".")+1:]]
		if !ok {
			t.Fatalf("no Go hasher for %s", p)
		}
		hs = append(hs, h)
	}
	reg, err := NewRegistry(hs...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func intParam(t *testing.T, params map[string]any, name string) int {
	t.Helper()
	v, ok := params[name].(float64)
	if !ok {
		t.Fatalf("params %v: no %s", params, name)
	}
	return int(v)
}

// encoderFor returns the Go hasher configured as Django was for v, or nil
// when v can only be verified (Django's random salt, argon2i).
func encoderFor(t *testing.T, v djangoVector) Hasher {
	t.Helper()
	if v.Salt == nil || v.Params["default"] == true || v.Params["variant"] != nil {
		return nil
	}
	switch v.Algorithm {
	case "pbkdf2_sha256":
		return PBKDF2SHA256{Iterations: intParam(t, v.Params, "iterations")}
	case "pbkdf2_sha1":
		return PBKDF2SHA1{Iterations: intParam(t, v.Params, "iterations")}
	case "argon2":
		return Argon2{
			Time:        uint32(intParam(t, v.Params, "time")),
			MemoryKiB:   uint32(intParam(t, v.Params, "memory")),
			Parallelism: uint8(intParam(t, v.Params, "parallelism")),
			HashLength:  uint32(intParam(t, v.Params, "hash_length")),
		}
	case "bcrypt_sha256":
		return BCryptSHA256{Cost: intParam(t, v.Params, "cost")}
	case "scrypt":
		return Scrypt{N: intParam(t, v.Params, "n"), R: intParam(t, v.Params, "r"), P: intParam(t, v.Params, "p")}
	case "md5":
		return MD5{}
	case "sha1":
		return SHA1{}
	case "unsalted_md5":
		if strings.HasPrefix(v.Encoded, "md5$$") {
			return nil // the alternate form is read, never written
		}
		return UnsaltedMD5{}
	case "unsalted_sha1":
		return UnsaltedSHA1{}
	}
	t.Fatalf("unknown algorithm %q", v.Algorithm)
	return nil
}

// isExpensive reports whether a vector uses one of Django's default
// (production) costs, skipped in -short mode.
func isExpensive(v djangoVector) bool {
	p := v.Params
	return p["default"] == true || p["iterations"] == float64(1_000_000) || p["iterations"] == float64(390000) ||
		p["memory"] == float64(DefaultArgon2MemoryKiB) || p["cost"] == float64(12) || p["n"] == float64(16384)
}

func testDjangoVectors(t *testing.T, name string) {
	f := loadDjango(t, name)
	reg := djangoRegistry(t, f.PasswordHashers)
	counts := map[string]int{}
	for i, v := range f.Vectors {
		t.Run(fmt.Sprintf("%03d_%s", i, v.Algorithm), func(t *testing.T) {
			if testing.Short() && isExpensive(v) {
				t.Skip("default cost")
			}
			if v.DjangoCheck.OK == nil || !*v.DjangoCheck.OK {
				t.Fatalf("Django did not accept its own vector: %+v", v.DjangoCheck)
			}
			h, err := reg.Identify(v.Encoded)
			if err != nil || h.Algorithm() != v.Algorithm {
				t.Fatalf("Identify(%q) = %v, %v; want %s", v.Encoded, h, err, v.Algorithm)
			}
			if enc := encoderFor(t, v); enc != nil {
				got, err := enc.Encode(v.Password, *v.Salt)
				if err != nil || got != v.Encoded {
					t.Fatalf("Encode(%q, %q) =\n %q, %v; Django made\n %q", v.Password, *v.Salt, got, err, v.Encoded)
				}
			}
			// Check with the correct password, compared with Django's
			// verify_password under the same PASSWORD_HASHERS.
			ok, upgrade, err := reg.Check(v.Password, v.Encoded)
			if err != nil || !ok || upgrade != v.DjangoCheck.MustUpdate {
				t.Errorf("Check(right) = %v, %v, %v; Django: ok, must_update=%v", ok, upgrade, err, v.DjangoCheck.MustUpdate)
			}
			ok, err = h.Verify(wrong(v.Password), v.Encoded)
			if err != nil || ok || v.DjangoCheckWrong.OK == nil || *v.DjangoCheckWrong.OK {
				t.Errorf("Verify(wrong) = %v, %v; Django %+v", ok, err, v.DjangoCheckWrong)
			}
			counts[v.Algorithm]++
		})
	}
	t.Logf("%s (Django %s): %v", name, f.Versions["django"], counts)
}

// TestDjangoVectors verifies hashes made by Django 5.2 and re-encodes them
// byte for byte with the same salt and costs.
func TestDjangoVectors(t *testing.T) { testDjangoVectors(t, "django_vectors.json") }

// TestDjangoLegacyVectors does the same for the hashers Django 5.1 removed,
// with vectors made by Django 4.2.
func TestDjangoLegacyVectors(t *testing.T) { testDjangoVectors(t, "django42_legacy_vectors.json") }

// TestDjangoIdentify compares Identify and Check with Django's
// identify_hasher and verify_password on odd inputs.
func TestDjangoIdentify(t *testing.T) {
	f := loadDjango(t, "django_vectors.json")
	// The same hashers, with a cheap preferred one: these checks all fail
	// and so run it.
	hs := djangoRegistry(t, f.PasswordHashers).Hashers()
	reg, err := NewRegistry(append([]Hasher{PBKDF2SHA256{Iterations: 1}}, hs[1:]...)...)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range f.Identify {
		if got := algorithmOf(c.Encoded); got != c.Algorithm {
			t.Errorf("algorithmOf(%q) = %q; Django identifies %q", c.Encoded, got, c.Algorithm)
		}
		if IsUsable(c.Encoded) != c.Usable {
			t.Errorf("IsUsable(%q) = %v; Django %v", c.Encoded, !c.Usable, c.Usable)
		}
		ok, upgrade, err := reg.Check("lètmein", c.Encoded)
		if ok || upgrade {
			t.Errorf("Check(%q) = %v, %v, %v", c.Encoded, ok, upgrade, err)
		}
		if (c.DjangoCheck.OK != nil && *c.DjangoCheck.OK) != ok {
			t.Errorf("Check(%q) disagrees with Django %+v", c.Encoded, c.DjangoCheck)
		}
	}
}

// TestGoVectorsCheckedByDjango asserts that Django accepted every hash this
// package made (testdata/go_vectors.json, checked by the script).
func TestGoVectorsCheckedByDjango(t *testing.T) {
	seen := map[string]int{}
	for _, name := range []string{"django_vectors.json", "django42_legacy_vectors.json"} {
		f := loadDjango(t, name)
		reg := djangoRegistry(t, f.PasswordHashers)
		for _, v := range f.GoMade {
			if v.DjangoCheck.OK == nil || !*v.DjangoCheck.OK {
				t.Errorf("Django rejected Go's %s hash %q of %q: %+v", v.Algorithm, v.Encoded, v.Password, v.DjangoCheck)
			}
			if v.DjangoCheckWrong.OK == nil || *v.DjangoCheckWrong.OK {
				t.Errorf("Django accepted a wrong password for Go's %q: %+v", v.Encoded, v.DjangoCheckWrong)
			}
			if testing.Short() && (strings.Contains(v.Encoded, "$1000000$") || strings.Contains(v.Encoded, "m=102400") ||
				strings.Contains(v.Encoded, "$2b$12$") || strings.HasPrefix(v.Encoded, "scrypt$16384$")) {
				continue
			}
			ok, upgrade, err := reg.Check(v.Password, v.Encoded)
			if !ok || err != nil || upgrade != v.DjangoCheck.MustUpdate {
				t.Errorf("Check(%q) = %v, %v, %v; Django must_update=%v", v.Encoded, ok, upgrade, err, v.DjangoCheck.MustUpdate)
			}
			seen[v.Algorithm]++
		}
	}
	for _, h := range DefaultHashers() {
		if h.Algorithm() == "bcrypt" {
			continue // checked by the Django it runs: TestDjangoBCrypt
		}
		if seen[h.Algorithm()] == 0 {
			t.Errorf("no Go-made %s hash was checked by Django", h.Algorithm())
		}
	}
	t.Logf("Go-made hashes accepted by Django: %v", seen)
}

// TestWriteGoVectors writes hashes made by this package, with random salts,
// for testdata/django_vectors.py to check with Django. It runs only with
// -write-go-vectors.
func TestWriteGoVectors(t *testing.T) {
	if !*writeGoVectors {
		t.Skip("run with -write-go-vectors to regenerate testdata/go_vectors.json")
	}
	passwords := []string{"lètmein", "", "correct horse battery staple", "пароль-密码-🔑", "with$dollar", strings.Repeat("y", 100)}
	hashers := []Hasher{
		PBKDF2SHA256{Iterations: 1000}, PBKDF2SHA1{Iterations: 1000},
		Argon2{Time: 1, MemoryKiB: 64, Parallelism: 2}, BCryptSHA256{Cost: 4},
		Scrypt{N: 1024, R: 8, P: 2}, MD5{}, SHA1{}, UnsaltedMD5{}, UnsaltedSHA1{},
	}
	var out []goVector
	for _, h := range hashers {
		for _, pw := range passwords {
			enc, err := h.Encode(pw, h.Salt())
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, goVector{Algorithm: h.Algorithm(), Password: pw, Encoded: enc})
		}
	}
	for _, h := range DefaultHashers()[:5] { // Django's defaults, one each
		enc, err := h.Encode("lètmein", h.Salt())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, goVector{Algorithm: h.Algorithm(), Password: "lètmein", Encoded: enc})
	}
	data, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", "go_vectors.json"), append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d Go-made hashes", len(out))
}

// TestPublishedVectors checks the vectors published in Django's own test
// suite (tests/auth_tests/test_hashers.py, several releases).
func TestPublishedVectors(t *testing.T) {
	cases := []struct {
		password, encoded string
		salt              string // when set, Encode must reproduce encoded
		hasher            Hasher
	}{
		{"lètmein", "pbkdf2_sha256$30000$seasalt$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY=", "seasalt", PBKDF2SHA256{Iterations: 30000}},
		{"lètmein", "pbkdf2_sha256$390000$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=", "seasalt", PBKDF2SHA256{Iterations: 390000}},
		{"lètmein", "pbkdf2_sha256$390000$seasalt2$geC/uZ92nRXDSjSxeoiBqYyRcrLzMm8xK3ro1QS1uo8=", "seasalt2", PBKDF2SHA256{Iterations: 390000}},
		{"lètmein", "pbkdf2_sha1$390000$seasalt2$aDapRanzW8aHTz97v2TcfHzWD+I=", "seasalt2", PBKDF2SHA1{Iterations: 390000}},
		{"lètmein", "pbkdf2_sha256$1000000$seasalt$r1uLUxoxpP2Ued/qxvmje7UH9PUJBkRrvf9gGPL7Cps=", "seasalt", PBKDF2SHA256{}},
		{"lètmein", "scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==", "seasalt", Scrypt{P: 1}},
		{"secret", "argon2$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q", "", Argon2{}},
		{"secret", "argon2$argon2id$v=19$m=102400,t=2,p=8$Y041dExhNkljRUUy$TMa6A8fPJhCAUXRhJXCXdw", "cN5tLa6IcEE2", Argon2{HashLength: 16}},
		{"lètmein", "md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3", "seasalt", MD5{}},
		{"lètmein", "sha1$seasalt$cff36ea83f5706ce9aa7454e63e431fc726b2dc8", "seasalt", SHA1{}},
		{"lètmein", "88a434c88cca4e900f7874cd98123f43", "", UnsaltedMD5{}},
		{"lètmein", "md5$$88a434c88cca4e900f7874cd98123f43", "", UnsaltedMD5{}},
		{"lètmein", "sha1$$6d138ca3ae545631b3abd71a4f076ce759c5700b", "", UnsaltedSHA1{}},
	}
	for _, c := range cases {
		if testing.Short() && (strings.Contains(c.encoded, "$390000$") || strings.Contains(c.encoded, "$1000000$")) {
			continue
		}
		h, err := Identify(c.encoded)
		if err != nil || h.Algorithm() != c.hasher.Algorithm() {
			t.Errorf("Identify(%q) = %v, %v", c.encoded, h, err)
			continue
		}
		if ok, err := h.Verify(c.password, c.encoded); !ok || err != nil {
			t.Errorf("Verify(%q, %q) = %v, %v", c.password, c.encoded, ok, err)
		}
		if ok, err := h.Verify(wrong(c.password), c.encoded); ok || err != nil {
			t.Errorf("Verify(wrong, %q) = %v, %v", c.encoded, ok, err)
		}
		if c.salt != "" {
			if got, err := c.hasher.Encode(c.password, c.salt); got != c.encoded || err != nil {
				t.Errorf("Encode(%q, %q) = %q, %v; want %q", c.password, c.salt, got, err, c.encoded)
			}
		}
	}
	// Written by argon2-cffi before 16.0, without a version: not supported.
	old := "argon2$argon2i$m=8,t=1,p=1$c29tZXNhbHQ$gwQOXSNhxiOxPOA0+PY10P9QFO4NAYysnqRt1GSQLE55m+2GYDt9FEjPMHhP2Cuf0nOEXXMocVrsJAtNSsKyfg"
	if ok, _, err := Check("secret", old); ok || !errors.Is(err, ErrUnsupported) {
		t.Errorf("Check(argon2 v16) = %v, %v; want ErrUnsupported", ok, err)
	}
}

// TestBCryptAgainstXCrypto cross-checks the bcrypt core with
// golang.org/x/crypto/bcrypt.
func TestBCryptAgainstXCrypto(t *testing.T) {
	h := BCryptSHA256{Cost: 4}
	for _, pw := range []string{"", "lètmein", strings.Repeat("x", 100)} {
		enc, err := h.Encode(pw, h.Salt())
		if err != nil {
			t.Fatal(err)
		}
		data := strings.TrimPrefix(enc, "bcrypt_sha256$")
		if err := bcrypt.CompareHashAndPassword([]byte(data), sha256Hex(pw)); err != nil {
			t.Errorf("x/crypto/bcrypt rejects %q for %q: %v", data, pw, err)
		}
		// And the other way round: a hash made by x/crypto verifies here.
		xh, err := bcrypt.GenerateFromPassword(sha256Hex(pw), 4)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := h.Verify(pw, "bcrypt_sha256$"+string(xh)); !ok || err != nil {
			t.Errorf("Verify(x/crypto hash %q) = %v, %v", xh, ok, err)
		}
	}
	// Plain bcrypt of a key longer than 72 bytes: both truncate.
	s, err := bcryptParseSalt("$2a$04$abcdefghijklmnopqrstuu")
	if err != nil {
		t.Fatal(err)
	}
	long := []byte(strings.Repeat("k", 80))
	if err := bcrypt.CompareHashAndPassword([]byte(s.hash(long)), long[:72]); err != nil {
		t.Errorf("72-byte truncation differs from x/crypto: %v", err)
	}
}
