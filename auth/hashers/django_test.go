package hashers

import (
	"errors"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
)

// djangoBCryptScript makes a bcrypt$ hash of each password with Django's
// BCryptPasswordHasher (cost 4, and one at Django's default cost 12), and
// checks the hashes Go made, with the right password and a wrong one.
const djangoBCryptScript = `
import bcrypt
from django.contrib.auth.hashers import check_password, get_hasher, make_password

def attempt(f):
    try:
        return {"value": f()}
    except Exception as e:
        return {"error": "%s: %s" % (type(e).__name__, e)}

hasher = get_hasher("bcrypt")
out = {"made": [], "checked": [], "default_cost": None, "long_check": None}
for pw in inp["passwords"]:
    made = attempt(lambda: make_password(pw, salt=bcrypt.gensalt(4), hasher="bcrypt"))
    made["password"] = pw
    out["made"].append(made)
for v in inp["go_made"]:
    out["checked"].append({
        "encoded": v["encoded"],
        "ok": attempt(lambda: check_password(v["password"], v["encoded"])),
        "wrong": attempt(lambda: check_password(v["wrong"], v["encoded"])),
        "must_update": hasher.must_update(v["encoded"]),
    })
out["default_cost"] = make_password("lètmein", hasher="bcrypt")
long72 = make_password("a" * 72, salt=bcrypt.gensalt(4), hasher="bcrypt")
out["long_check"] = {"encoded": long72, "check": attempt(lambda: check_password("a" * 74, long72))}
`

// wrongBCrypt is a wrong password for pw within bcrypt's 72 bytes: its
// first character replaced (appending would not change 72 bytes).
func wrongBCrypt(pw string) string {
	r := []rune(pw)
	if len(r) == 0 || r[0] == 'z' {
		return "y" + string(r[min(len(r), 1):])
	}
	return "z" + string(r[1:])
}

type djangoAttempt struct {
	Value any    `json:"value"`
	Error string `json:"error"`
}

// TestDjangoBCrypt runs the real Django 5.2 (with bcrypt 5.0): hashes made
// by its BCryptPasswordHasher verify here (also through Default, which
// reports them for upgrade), and the hashes BCrypt makes verify in Django;
// both refuse a wrong password and agree on must_update; both refuse to
// hash a password longer than 72 bytes. Where they differ: a password
// longer than 72 bytes checks here against the hash of its first 72 bytes
// (as bcrypt did before 5.0), where Django 5.2 with bcrypt 5.0 raises a
// ValueError.
func TestDjangoBCrypt(t *testing.T) {
	dj := testenv.DjangoPython(t)
	passwords := []string{
		"lètmein", "", "correct horse battery staple", "пароль-密码-🔑", "with$dollar", "ab\x00cd",
		strings.Repeat("a", 72), strings.Repeat("é", 36), // 72 bytes
		strings.Repeat("a", 73), strings.Repeat("é", 37), // too long
	}
	h := BCrypt{Cost: 4}
	type made struct {
		Password string `json:"password"`
		Wrong    string `json:"wrong"`
		Encoded  string `json:"encoded"`
	}
	var goMade []made
	for _, pw := range passwords {
		enc, err := h.Encode(pw, h.Salt())
		if len(pw) > 72 {
			if !errors.Is(err, ErrPasswordTooLong) {
				t.Errorf("Encode(%d bytes) = %q, %v; want ErrPasswordTooLong", len(pw), enc, err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		goMade = append(goMade, made{pw, wrongBCrypt(pw), enc})
	}
	var out struct {
		Made []struct {
			djangoAttempt
			Password string `json:"password"`
		} `json:"made"`
		Checked []struct {
			Encoded    string        `json:"encoded"`
			OK         djangoAttempt `json:"ok"`
			Wrong      djangoAttempt `json:"wrong"`
			MustUpdate bool          `json:"must_update"`
		} `json:"checked"`
		DefaultCost string `json:"default_cost"`
		LongCheck   struct {
			Encoded string        `json:"encoded"`
			Check   djangoAttempt `json:"check"`
		} `json:"long_check"`
	}
	dj.Run(t, map[string]string{
		"SECRET_KEY":       `"interop"`,
		"PASSWORD_HASHERS": `["django.contrib.auth.hashers.BCryptPasswordHasher"]`,
	}, djangoBCryptScript, map[string]any{"passwords": passwords, "go_made": goMade}, &out)

	// Django's hashes here.
	if len(out.Made) != len(passwords) {
		t.Fatalf("Django made %d hashes of %d passwords", len(out.Made), len(passwords))
	}
	for _, m := range out.Made {
		if len(m.Password) > 72 {
			if !strings.Contains(m.Error, "72 bytes") {
				t.Errorf("Django hashed %d bytes: %+v; want a ValueError", len(m.Password), m)
			}
			continue
		}
		enc, _ := m.Value.(string)
		if m.Error != "" || !strings.HasPrefix(enc, "bcrypt$$2b$04$") {
			t.Errorf("Django's hash of %q: %+v", m.Password, m)
			continue
		}
		if ok, err := h.Verify(m.Password, enc); !ok || err != nil {
			t.Errorf("Verify(%q, Django's %q) = %v, %v", m.Password, enc, ok, err)
		}
		if ok, _ := h.Verify(wrongBCrypt(m.Password), enc); ok {
			t.Errorf("a wrong password verifies against Django's %q", enc)
		}
		if ok, upgrade, err := Default().Check(m.Password, enc); !ok || !upgrade || err != nil {
			t.Errorf("Default().Check(%q, Django's %q) = %v, %v, %v; want true, true (to be upgraded), nil", m.Password, enc, ok, upgrade, err)
		}
	}
	// Go's hashes in Django.
	if len(out.Checked) != len(goMade) {
		t.Fatalf("Django checked %d of %d hashes", len(out.Checked), len(goMade))
	}
	for i, c := range out.Checked {
		if c.OK.Value != true || c.Wrong.Value != false {
			t.Errorf("Django on Go's hash of %q: right %+v, wrong %+v", goMade[i].Password, c.OK, c.Wrong)
		}
		if c.MustUpdate != (BCrypt{}).MustUpdate(c.Encoded) || !c.MustUpdate {
			t.Errorf("must_update of a cost-4 hash: Django %v, Go %v", c.MustUpdate, (BCrypt{}).MustUpdate(c.Encoded))
		}
	}
	// Django's default cost is BCrypt's.
	if ok, err := (BCrypt{}).Verify("lètmein", out.DefaultCost); !ok || err != nil || (BCrypt{}).MustUpdate(out.DefaultCost) || !strings.HasPrefix(out.DefaultCost, "bcrypt$$2b$12$") {
		t.Errorf("Django's default-cost hash %q: %v, %v", out.DefaultCost, ok, err)
	}
	// The difference: 74 bytes against the hash of the first 72.
	if !strings.Contains(out.LongCheck.Check.Error, "ValueError") {
		t.Errorf("Django checked 74 bytes against a bcrypt hash: %+v; want a ValueError", out.LongCheck.Check)
	}
	if ok, err := h.Verify(strings.Repeat("a", 74), out.LongCheck.Encoded); !ok || err != nil {
		t.Errorf("74 bytes against the hash of the first 72: %v, %v; want true (bcrypt reads 72 bytes)", ok, err)
	}
}
