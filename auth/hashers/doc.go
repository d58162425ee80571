// Package hashers reads and writes Django's encoded password hashes, so that
// users moved from a Django site (or shared with one) keep their passwords.
//
// The encoded formats are byte-compatible with Django 5.2's
// django.contrib.auth.hashers:
//
//	pbkdf2_sha256$<iterations>$<salt>$<base64 hash>           (PBKDF2SHA256, the default)
//	pbkdf2_sha1$<iterations>$<salt>$<base64 hash>             (PBKDF2SHA1)
//	argon2$argon2id$v=19$m=<KiB>,t=<time>,p=<lanes>$<b64 salt>$<b64 hash>   (Argon2)
//	bcrypt_sha256$$2b$<cost>$<22-char salt><31-char hash>     (BCryptSHA256)
//	bcrypt$$2b$<cost>$<22-char salt><31-char hash>            (BCrypt: bcrypt of the password itself)
//	scrypt$<N>$<salt>$<r>$<p>$<base64 hash>                   (Scrypt)
//	md5$<salt>$<hex>, sha1$<salt>$<hex>, <32 hex>, md5$$<hex>, sha1$$<hex>
//	                                                          (legacy, verify only)
//
// A [Registry] plays the part of Django's PASSWORD_HASHERS setting: its first
// hasher is the preferred one, used by [Registry.Make]; the others are only
// used to verify existing hashes, which [Registry.Check] then reports as
// needing an upgrade (Django's must_update). The package-level functions
// ([Make], [Check], [Identify], [RunDefault]) use [Default], which mirrors
// Django 5.2's default PASSWORD_HASHERS plus [BCrypt] (Django's
// BCryptPasswordHasher, not among its defaults) and the legacy read-only
// hashers.
//
// All hash comparisons are constant-time. [Registry.Check] spends about the
// same time on an unusable, empty or unknown hash, and on a wrong password
// for a legacy hash or one of a lower cost, as on a real one, and
// [Registry.RunDefault] lets an authentication backend spend it for a user
// that does not exist, so that response times do not reveal which usernames
// exist.
//
// # Compatibility notes
//
//   - Django 5.2's scrypt default is N=2**14, r=8, p=5 (p was 1 before
//     Django 5.1); hashes with p=1 still verify and are reported for upgrade.
//   - Argon2: argon2id and argon2i with version 19 (0x13) are supported, which
//     covers every hash Django has written since argon2-cffi 16.0 (2016).
//     argon2d and the pre-version-19 format fail with [ErrUnsupported].
//     New argon2 hashes have a 32-byte hash, as Django writes with
//     argon2-cffi 21.2 or later; 16-byte ones from older setups verify (see
//     [Argon2.HashLength]).
//   - bcrypt_sha256 and bcrypt accept the $2a$, $2b$ and $2y$ bcrypt variants.
//   - bcrypt reads 72 bytes of a password: [BCrypt.Verify] matches a longer
//     password against the hash of its first 72 bytes (as bcrypt did when
//     Django sites made such hashes; Django 5.2 with bcrypt 5.0 raises a
//     ValueError instead), and [BCrypt.Encode] refuses one
//     ([ErrPasswordTooLong]), as bcrypt 5.0 does.
//
// # Test vectors
//
// TestDjangoBCrypt runs the real Django 5.2.19 (with bcrypt 5.0.0), which
// it installs into .build/django-venv on its first run (see
// internal/testenv.DjangoPython), to check bcrypt$ hashes both ways.
//
// testdata/django_vectors.json holds hashes made by Django 5.2 with fixed
// salts and costs, Django's verdicts on them and on odd inputs, and
// Django's verdicts on the hashes in testdata/go_vectors.json, which this
// package made with random salts; testdata/django42_legacy_vectors.json
// does the same with Django 4.2 for the hashers Django 5.1 removed (sha1,
// unsalted_md5, unsalted_sha1). The tests read them, so go test needs no
// Python. To regenerate them (needs Python 3 and PyPI), from the
// repository root (.build/ is git-ignored):
//
//	python3 -m venv .build/venv
//	.build/venv/bin/pip install 'django==5.2.*' argon2-cffi bcrypt
//	python3 -m venv .build/venv42
//	.build/venv42/bin/pip install 'django==4.2.*'
//	go test ./auth/hashers -run TestWriteGoVectors -write-go-vectors
//	.build/venv/bin/python auth/hashers/testdata/django_vectors.py
//	.build/venv42/bin/python auth/hashers/testdata/django_vectors.py
//	go test ./auth/hashers
package hashers
