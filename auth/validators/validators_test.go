package validators

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

type djangoVectors struct {
	Django          string                       `json:"django"`
	CommonPasswords int                          `json:"common_passwords"`
	Users           map[string]map[string]string `json:"users"`
	Cases           []struct {
		Config   string `json:"config"`
		User     string `json:"user"`
		Password string `json:"password"`
		Errors   []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
	} `json:"cases"`
	HelpTexts  map[string][]string `json:"help_texts"`
	QuickRatio []struct {
		A     string  `json:"a"`
		B     string  `json:"b"`
		Ratio float64 `json:"ratio"`
	} `json:"quick_ratio"`
	Text []struct {
		S       string   `json:"s"`
		Lower   string   `json:"lower"`
		Strip   string   `json:"strip"`
		IsDigit bool     `json:"isdigit"`
		Split   []string `json:"split"`
	} `json:"text"`
}

func load(t *testing.T) djangoVectors {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "django_vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v djangoVectors
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// configs mirror the AUTH_PASSWORD_VALIDATORS of the script.
var configs = map[string][]Validator{
	"default":    Default(),
	"min1_sim05": {MinimumLength{Min: 1}, UserAttributeSimilarity{MaxSimilarity: 0.5}},
	"min12_sim1_username_email": {
		MinimumLength{Min: 12},
		UserAttributeSimilarity{MaxSimilarity: 1.0, Attributes: []Attribute{{"username", "username"}, {"email", "email address"}}},
		NumericPassword{},
	},
}

func TestDjangoCases(t *testing.T) {
	v := load(t)
	if len(v.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range v.Cases {
		var user UserAttrs
		if attrs := v.Users[c.User]; attrs != nil {
			user = Attrs(attrs)
		}
		err := Validate(c.Password, user, configs[c.Config]...)
		var got []string
		var errs Errors
		if errors.As(err, &errs) {
			for _, e := range errs {
				got = append(got, e.Code+": "+e.Message)
			}
		} else if err != nil {
			t.Fatalf("Validate: %v", err)
		}
		var want []string
		for _, e := range c.Errors {
			want = append(want, e.Code+": "+e.Message)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s, user %s, password %q:\n got %q\nwant %q", c.Config, c.User, c.Password, got, want)
		}
	}
	t.Logf("%d cases from Django %s", len(v.Cases), v.Django)
}

func TestDjangoHelpTexts(t *testing.T) {
	for name, want := range load(t).HelpTexts {
		if got := HelpTexts(configs[name]...); !slices.Equal(got, want) {
			t.Errorf("%s: HelpTexts = %q, want %q", name, got, want)
		}
	}
	if got := HelpTexts(); len(got) != 4 {
		t.Errorf("HelpTexts() = %q", got)
	}
}

func TestCommonPasswordList(t *testing.T) {
	v := load(t)
	if n := (CommonPassword{}).Len(); n != v.CommonPasswords {
		t.Errorf("embedded list has %d passwords; Django's has %d", n, v.CommonPasswords)
	}
}

func TestQuickRatio(t *testing.T) {
	for _, c := range load(t).QuickRatio {
		if got := quickRatio([]rune(c.A), []rune(c.B)); got != c.Ratio {
			t.Errorf("quickRatio(%q, %q) = %v; Python %v", c.A, c.B, got, c.Ratio)
		}
	}
}

func TestPythonText(t *testing.T) {
	for _, c := range load(t).Text {
		if got := pyLower(c.S); got != c.Lower {
			t.Errorf("pyLower(%q) = %q; Python %q", c.S, got, c.Lower)
		}
		if got := pyStrip(c.S); got != c.Strip {
			t.Errorf("pyStrip(%q) = %q; Python %q", c.S, got, c.Strip)
		}
		if got := isDigits(c.S); got != c.IsDigit {
			t.Errorf("isDigits(%q) = %v; Python %v", c.S, got, c.IsDigit)
		}
		if got := splitNonWord(c.S); !reflect.DeepEqual(got, c.Split) {
			t.Errorf("splitNonWord(%q) = %q; Python %q", c.S, got, c.Split)
		}
	}
}

func TestErrors(t *testing.T) {
	err := Validate("1234", Attrs{"username": "1234"})
	if err == nil {
		t.Fatal("Validate accepted 1234")
	}
	for _, sentinel := range []error{ErrTooSimilar, ErrTooShort, ErrTooCommon, ErrEntirelyNumeric} {
		if !errors.Is(err, sentinel) {
			t.Errorf("errors.Is(err, %s) = false", sentinel.(*Error).Code)
		}
	}
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 4 {
		t.Fatalf("errors.As = %v", errs)
	}
	want := "The password is too similar to the username.\n" +
		"This password is too short. It must contain at least 8 characters.\n" +
		"This password is too common.\nThis password is entirely numeric."
	if err.Error() != want {
		t.Errorf("Error() = %q", err.Error())
	}
	if errors.Is(Validate("a-fine-passphrase-91", nil), ErrTooShort) {
		t.Error("a fine password refused")
	}
	if err := Validate("a-fine-passphrase-91", nil); err != nil {
		t.Errorf("Validate = %v", err)
	}
}

func TestMinimumLengthSingular(t *testing.T) {
	err := (MinimumLength{Min: 1}).Validate("", nil)
	if err == nil || err.Error() != "This password is too short. It must contain at least 1 character." {
		t.Errorf("Validate = %v", err)
	}
	if got := (MinimumLength{Min: 1}).HelpText(); got != "Your password must contain at least 1 character." {
		t.Errorf("HelpText = %q", got)
	}
	// Lengths count characters, not bytes.
	if err := (MinimumLength{Min: 3}).Validate("äöü", nil); err != nil {
		t.Errorf("3 runes too short: %v", err)
	}
}

func TestMaxSimilarityConfig(t *testing.T) {
	err := Validate("whatever", Attrs{}, UserAttributeSimilarity{MaxSimilarity: 0.05})
	if !errors.Is(err, ErrMaxSimilarity) {
		t.Errorf("Validate = %v, want ErrMaxSimilarity", err)
	}
}

func TestCustomCommonList(t *testing.T) {
	v, err := NewCommonPassword(strings.NewReader("hunter2\n  Letmein \n"))
	if err != nil {
		t.Fatal(err)
	}
	if v.Len() != 2 {
		t.Errorf("Len = %d", v.Len())
	}
	if !errors.Is(v.Validate(" HUNTER2 ", nil), ErrTooCommon) || v.Validate("password", nil) != nil {
		t.Error("custom list not used")
	}
	if _, err := NewCommonPassword(strings.NewReader("\x1f\x8bnot gzip")); err == nil {
		t.Error("broken gzip accepted")
	}
}

func ExampleValidate() {
	user := Attrs{"username": "jane_doe", "email": "jane.doe@example.com"}
	err := Validate("janedoe", user)
	var errs Errors
	if errors.As(err, &errs) {
		for _, e := range errs {
			fmt.Printf("%s: %s\n", e.Code, e.Message)
		}
	}
	// Output:
	// password_too_similar: The password is too similar to the username.
	// password_too_short: This password is too short. It must contain at least 8 characters.
}
