package hashers

import "testing"

// The benchmarks run every hasher at Django 5.2's default costs.

func benchHashers() []Hasher {
	return DefaultHashers()
}

func BenchmarkMake(b *testing.B) {
	for _, h := range benchHashers() {
		if _, isLegacy := h.(legacy); isLegacy {
			continue
		}
		reg, err := NewRegistry(h)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(h.Algorithm(), func(b *testing.B) {
			for b.Loop() {
				if _, err := reg.Make("correct horse battery staple"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCheck checks the right password against a hash of each algorithm
// with the Default registry.
func BenchmarkCheck(b *testing.B) {
	reg := Default()
	for _, h := range benchHashers() {
		enc, err := h.Encode("correct horse battery staple", h.Salt())
		if err != nil {
			b.Fatal(err)
		}
		b.Run(h.Algorithm(), func(b *testing.B) {
			for b.Loop() {
				if ok, _, err := reg.Check("correct horse battery staple", enc); !ok || err != nil {
					b.Fatal(ok, err)
				}
			}
		})
	}
}

// BenchmarkCheckNoMatch measures the timing mitigation: a wrong password, an
// unusable hash and a missing user (RunDefault) should all cost about one
// preferred hash.
func BenchmarkCheckNoMatch(b *testing.B) {
	reg := Default()
	enc, err := reg.Make("correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("wrong-password", func(b *testing.B) {
		for b.Loop() {
			reg.Check("wrong", enc)
		}
	})
	unusable := MakeUnusable()
	b.Run("unusable", func(b *testing.B) {
		for b.Loop() {
			reg.Check("wrong", unusable)
		}
	})
	b.Run("missing-user", func(b *testing.B) {
		for b.Loop() {
			reg.RunDefault("wrong")
		}
	})
}
