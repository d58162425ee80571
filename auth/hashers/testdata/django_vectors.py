#!/usr/bin/env python3
"""Cross-check vectors for package github.com/gonode/gonode/auth/hashers.

Run with the Python of a virtualenv holding Django and the optional hasher
libraries (see the package documentation, doc.go):

    .build/venv/bin/pip install 'django==5.2.*' argon2-cffi bcrypt
    .build/venv/bin/python auth/hashers/testdata/django_vectors.py

Under Django 5.2 it writes testdata/django_vectors.json: hashes made by
Django for every algorithm of Django 5.2 (fixed salts, cheap and default
costs), how Django identifies and checks them, and Django's verdict on the
hashes made by the Go package (testdata/go_vectors.json, written by
`go test ./auth/hashers -run TestWriteGoVectors -write-go-vectors`).

Django 5.1 removed the SHA1, UnsaltedSHA1 and UnsaltedMD5 hashers. Run the
same script under Django 4.2 to cover them:

    python3 -m venv .build/venv42
    .build/venv42/bin/pip install 'django==4.2.*'
    .build/venv42/bin/python auth/hashers/testdata/django_vectors.py

which writes testdata/django42_legacy_vectors.json.
"""

import json
import os
import sys
import warnings

import django
from django.conf import settings

HERE = os.path.dirname(os.path.abspath(__file__))
LEGACY = django.VERSION < (5, 1)

DEFAULT_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
LEGACY_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.SHA1PasswordHasher",
    "django.contrib.auth.hashers.UnsaltedMD5PasswordHasher",
    "django.contrib.auth.hashers.UnsaltedSHA1PasswordHasher",
]

settings.configure(PASSWORD_HASHERS=LEGACY_HASHERS if LEGACY else DEFAULT_HASHERS)
warnings.simplefilter("ignore")  # deprecation warnings of the legacy hashers

from django.contrib.auth import hashers as dh  # noqa: E402

PASSWORDS = [
    "lètmein",
    "",
    " ",
    "correct horse battery staple",
    "пароль-密码-🔑",
    "with$dollar and spaces",
    "x" * 100,  # longer than bcrypt's 72 bytes
]
SALTS = ["seasalt2", "iodizedsalt", "Zq3xY7pL0aB9cD2eF4gH6j", "AbCdEfGhIjKlMnOpQrStUv"]
BCRYPT_SALTS = ["abcdefghijklmnopqrstuu", "ZZZZZZZZZZZZZZZZZZZZZO", "Ro0CUfOqk6cXEKf3dyaM7O"]


def wrong(password):
    return password + "z"


def verdict(password, encoded):
    """Django's check_password under the configured PASSWORD_HASHERS:
    whether password matches and whether Django would call the setter to
    re-hash it (only ever on a match)."""
    upgraded = []
    try:
        ok = dh.check_password(password, encoded, setter=upgraded.append)
    except Exception as e:  # a hash Django cannot read
        return {"error": "%s: %s" % (type(e).__name__, e)}
    return {"ok": ok, "must_update": bool(upgraded)}


def vector(algorithm, password, salt, params, encoded):
    v = {
        "algorithm": algorithm,
        "password": password,
        "salt": salt,
        "params": params,
        "encoded": encoded,
        "django_check": verdict(password, encoded),
        "django_check_wrong": verdict(wrong(password), encoded),
    }
    return v


def subclass(base, **attrs):
    return type(base.__name__ + "Tuned", (base,), attrs)()


def modern_vectors():
    out = []
    # PBKDF2: cheap costs for every password and salt, Django's default
    # (1,000,000) and the historical 30000/390000 for one password.
    for algorithm, cls in [
        ("pbkdf2_sha256", dh.PBKDF2PasswordHasher),
        ("pbkdf2_sha1", dh.PBKDF2SHA1PasswordHasher),
    ]:
        hasher = cls()
        for i, password in enumerate(PASSWORDS):
            for iterations in (1, 1000):
                salt = SALTS[i % len(SALTS)]
                encoded = hasher.encode(password, salt, iterations)
                out.append(vector(algorithm, password, salt, {"iterations": iterations}, encoded))
        for iterations in (30000, 390000, 1_000_000):
            for salt in ("seasalt", "seasalt2"):
                encoded = hasher.encode("lètmein", salt, iterations)
                out.append(vector(algorithm, "lètmein", salt, {"iterations": iterations}, encoded))

    # Argon2id: cheap parameters, then Django's defaults (t=2, m=102400, p=8).
    import argon2

    for i, password in enumerate(PASSWORDS):
        for t, m, p in ((1, 8, 1), (2, 64, 2), (3, 256, 4)):
            hasher = subclass(dh.Argon2PasswordHasher, time_cost=t, memory_cost=m, parallelism=p)
            salt = SALTS[(i + t) % len(SALTS)]
            encoded = hasher.encode(password, salt)
            out.append(vector("argon2", password, salt, {"time": t, "memory": m, "parallelism": p, "hash_length": argon2.DEFAULT_HASH_LENGTH}, encoded))
    hasher = dh.Argon2PasswordHasher()
    for password, salt in (("lètmein", SALTS[2]), ("", SALTS[3])):
        encoded = hasher.encode(password, salt)
        out.append(vector("argon2", password, salt, {"time": 2, "memory": 102400, "parallelism": 8, "hash_length": argon2.DEFAULT_HASH_LENGTH}, encoded))
    # argon2i, as Django wrote before 3.2 (verify only).
    for password in ("lètmein", "secret"):
        raw = argon2.low_level.hash_secret(
            password.encode(), b"seasalt2", time_cost=1, memory_cost=16,
            parallelism=2, hash_len=16, type=argon2.low_level.Type.I,
        )
        out.append(vector("argon2", password, "seasalt2", {"variant": "argon2i"}, "argon2" + raw.decode()))

    # bcrypt_sha256: costs 4 and 5 for every password, the default 12 once;
    # $2a$ and $2y$ prefixes (verify only).
    hasher = dh.BCryptSHA256PasswordHasher()
    for i, password in enumerate(PASSWORDS):
        for cost in (4, 5):
            salt = "$2b$%02d$%s" % (cost, BCRYPT_SALTS[i % len(BCRYPT_SALTS)])
            encoded = hasher.encode(password, salt.encode())
            out.append(vector("bcrypt_sha256", password, salt, {"cost": cost}, encoded))
    for prefix, cost in (("2b", 12), ("2a", 4), ("2y", 4)):
        salt = "$%s$%02d$%s" % (prefix, cost, BCRYPT_SALTS[2])
        encoded = hasher.encode("lètmein", salt.encode())
        out.append(vector("bcrypt_sha256", "lètmein", salt, {"cost": cost}, encoded))

    # scrypt: cheap parameters, the Django 4.x default p=1 and 5.2's p=5.
    hasher = dh.ScryptPasswordHasher()
    for i, password in enumerate(PASSWORDS):
        for n, r, p in ((2, 1, 1), (1024, 8, 1), (2048, 4, 3)):
            salt = SALTS[i % len(SALTS)]
            encoded = hasher.encode(password, salt, n, r, p)
            out.append(vector("scrypt", password, salt, {"n": n, "r": r, "p": p}, encoded))
    for salt, n, r, p in (("seasalt", 16384, 8, 1), ("seasalt", 16384, 8, 5), (SALTS[2], 16384, 8, 5)):
        encoded = hasher.encode("lètmein", salt, n, r, p)
        out.append(vector("scrypt", "lètmein", salt, {"n": n, "r": r, "p": p}, encoded))

    # Salted MD5, still in Django 5.2.
    hasher = dh.MD5PasswordHasher()
    for i, password in enumerate(PASSWORDS):
        for salt in ("seasalt", SALTS[i % len(SALTS)]):
            out.append(vector("md5", password, salt, {}, hasher.encode(password, salt)))

    # A few made entirely by Django, with its own random salts.
    for name in ("pbkdf2_sha256", "argon2", "bcrypt_sha256", "scrypt"):
        encoded = dh.make_password("lètmein", hasher=name)
        out.append(vector(name, "lètmein", None, {"default": True}, encoded))
    return out


def legacy_vectors():
    out = []
    for algorithm, salts in (("md5", ["seasalt", SALTS[2]]), ("sha1", ["seasalt", SALTS[2]]),
                             ("unsalted_md5", [""]), ("unsalted_sha1", [""])):
        hasher = dh.get_hasher(algorithm)
        for password in PASSWORDS:
            for salt in salts:
                out.append(vector(algorithm, password, salt, {}, hasher.encode(password, salt)))
    # The alternate "md5$$<hex>" form of unsalted MD5.
    for password in ("lètmein", ""):
        encoded = "md5$$" + dh.get_hasher("unsalted_md5").encode(password, "")
        out.append(vector("unsalted_md5", password, "", {}, encoded))
    return out


IDENTIFY = [
    "pbkdf2_sha256$1$salt$hash",
    "pbkdf2_sha1$1$salt$hash",
    "argon2$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$hash",
    "bcrypt_sha256$$2b$12$hash",
    "bcrypt$$2b$12$hash",
    "scrypt$16384$salt$8$5$hash",
    "md5$salt$hash",
    "sha1$salt$hash",
    "88a434c88cca4e900f7874cd98123f43",
    "md5$$88a434c88cca4e900f7874cd98123f43",
    "sha1$$6d138ca3ae545631b3abd71a4f076ce759c5700b",
    "sha1$$6d138ca3ae545631b3abd71a4f076ce759c5700",
    "88a434c88cca4e900f7874cd98123f4",
    "crypt$$ab1Hv2Lg7ltQo",
    "lolcat$salt$hash",
    "!" + "a" * 40,
    "",
    "$",
    "plain",
]


def identify_cases():
    out = []
    for encoded in IDENTIFY:
        try:
            algorithm = dh.identify_hasher(encoded).algorithm
        except ValueError as e:
            # "Unknown password hashing algorithm '<name>'. ..." names the
            # algorithm Django identified even when it is not installed.
            algorithm = str(e).split("'")[1]
        out.append({
            "encoded": encoded,
            "algorithm": algorithm,
            "usable": dh.is_password_usable(encoded),
            "django_check": verdict("lètmein", encoded),
        })
    return out


def check_go_made(path):
    if not os.path.exists(path):
        print("note: %s not found; run the Go test with -write-go-vectors first" % path, file=sys.stderr)
        return []
    with open(path, encoding="utf-8") as f:
        go_made = json.load(f)
    out = []
    for v in go_made:
        removed_in_51 = v["algorithm"] in ("sha1", "unsalted_md5", "unsalted_sha1")
        if removed_in_51 != LEGACY:
            continue
        v = dict(v)
        v["django_check"] = verdict(v["password"], v["encoded"])
        v["django_check_wrong"] = verdict(wrong(v["password"]), v["encoded"])
        out.append(v)
    return out


def versions():
    import importlib.metadata as md

    found = {"python": sys.version.split()[0], "django": django.get_version()}
    for pkg in ("argon2-cffi", "bcrypt"):
        try:
            found[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    return found


def main():
    doc = {
        "generated_by": "auth/hashers/testdata/django_vectors.py",
        "versions": versions(),
        "password_hashers": list(settings.PASSWORD_HASHERS),
        "vectors": legacy_vectors() if LEGACY else modern_vectors(),
        "identify": identify_cases(),
        "go_made": check_go_made(os.path.join(HERE, "go_vectors.json")),
    }
    name = "django42_legacy_vectors.json" if LEGACY else "django_vectors.json"
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote %s: %d vectors, %d identify cases, %d Go-made hashes checked"
          % (name, len(doc["vectors"]), len(doc["identify"]), len(doc["go_made"])))


if __name__ == "__main__":
    main()
