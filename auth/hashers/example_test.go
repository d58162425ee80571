package hashers_test

import (
	"fmt"

	"github.com/gonode/gonode/auth/hashers"
)

func ExampleCheck() {
	// A hash written by Django 5.2 (scrypt, with Django 4.x's p=1).
	encoded := "scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw=="
	ok, needsUpgrade, err := hashers.Check("lètmein", encoded)
	fmt.Println(ok, needsUpgrade, err)
	if ok && needsUpgrade {
		// Save hashers.Make("lètmein") as the user's new password.
	}
	// Output: true true <nil>
}

func ExampleNewRegistry() {
	// Prefer argon2id, keep verifying Django's other hashes, and use cheap
	// costs as a test suite would.
	reg, err := hashers.NewRegistry(
		hashers.Argon2{Time: 1, MemoryKiB: 64, Parallelism: 1},
		hashers.PBKDF2SHA256{Iterations: 1000},
		hashers.MD5{},
	)
	if err != nil {
		panic(err)
	}
	encoded, _ := reg.Make("s3cret")
	ok, _, _ := reg.Check("s3cret", encoded)
	fmt.Println(encoded[:33], ok)
	// Output: argon2$argon2id$v=19$m=64,t=1,p=1 true
}

func ExamplePBKDF2SHA256_Encode() {
	encoded, _ := hashers.PBKDF2SHA256{Iterations: 30000}.Encode("lètmein", "seasalt")
	fmt.Println(encoded)
	// Output: pbkdf2_sha256$30000$seasalt$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY=
}

func ExampleMakeUnusable() {
	encoded := hashers.MakeUnusable()
	ok, _, _ := hashers.Check("", encoded)
	fmt.Println(len(encoded), hashers.IsUsable(encoded), ok)
	// Output: 41 false false
}
