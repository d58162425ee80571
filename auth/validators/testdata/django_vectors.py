#!/usr/bin/env python3
"""Cross-check vectors for package github.com/gonode/gonode/auth/validators.

    .build/venv/bin/pip install 'django==5.2.*'
    .build/venv/bin/python auth/validators/testdata/django_vectors.py

writes testdata/django_vectors.json: the errors (code and message) that
Django's validate_password gives for passwords and users under several
validator configurations, the help texts, and the Python string functions
the Go package imitates (difflib quick_ratio, str.lower, str.strip,
str.isdigit, re.split(r"\\W+")).
"""

import json
import os
import re
from difflib import SequenceMatcher

import django
from django.conf import settings

settings.configure(
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes"],
    USE_I18N=False,
)
django.setup()

from django.contrib.auth import password_validation as pv  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

USERS = {
    "none": None,
    "jane": {"username": "jane_doe", "first_name": "Jane", "last_name": "Doe", "email": "jane.doe@example.com"},
    "zoe": {"username": "Zoë", "first_name": "", "last_name": "Ødegård", "email": "zoe@exämple.org"},
    "greek": {"username": "ΟΔΥΣΣΕΑΣ", "first_name": "Σίσυφος", "last_name": "", "email": ""},
    "edge": {"username": "@@", "first_name": "x", "last_name": "_-_", "email": "a@b"},
}

PASSWORDS = [
    "", "x", "short", "password", "Password", "PASSWORD ", "  password  ", "password1", "Password123",
    "jane_doe", "janedoe123", "doe", "example", "jane.doe@example.com", "Jane Doe 1980",
    "12345678", "1234567", "²³¹⁴⁵⁶⁷⁸", "①②③④⑤⑥⑦⑧", "١٢٣٤٥٦٧٨", "½½½½½½½½", "00000000",
    "correct horse battery staple", "odysseas", "οδυσσεας", "ΟΔΥΣΣΕΑΣ", "οδυσσεαςς", "σίσυφος",
    "Ødegård!", "zoe@exämple.org", "zoë", "a" * 100, "lilmama12", "qwerty\n", "İstanbul1",
    "x\u00a0y z", "abc\x1cdefgh", "_-_-_-_-", "aaaaaaab", "@@@@@@@@", "ab",
]

CONFIGS = {
    "default": [
        {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    ],
    "min1_sim05": [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 1}},
        {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
         "OPTIONS": {"max_similarity": 0.5}},
    ],
    "min12_sim1_username_email": [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
        {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
         "OPTIONS": {"max_similarity": 1.0, "user_attributes": ["username", "email"]}},
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    ],
}

TEXTS = [
    "", "a", "abc", "ABC", "password", "jane.doe@example.com", "Zoë", "ØDEGÅRD", "İstanbul", "ΟΔΥΣΣΕΑΣ",
    "ΣΑΣ ΣΑΣ.", "Σ", "aΣ", "ΣΑΣ'", "ΑΣ̈Α", "ǅemal", "ß", "ẞ", "  x  ", "\x1cx\x1f", "\u3000x\u2028",
    "a__b", "@a@", "a-b c", "x\u0301y", "٣٤", "²", "①", "½", "Ⅷ", "__", "x\u00a0y",
]

RATIO_PAIRS = [
    ("", ""), ("a", ""), ("", "a"), ("abc", "abc"), ("abc", "cba"), ("password", "jane_doe"),
    ("janedoe123", "jane_doe"), ("aaaa", "a"), ("a", "aaaa"), ("abcd", "bcde"), ("zoë", "zoe"),
    ("a" * 30, "a" * 3), ("οδυσσεας", "οδυσσεας"), ("correct horse", "horse correct"),
]


def errors(password, user, validators):
    try:
        pv.validate_password(password, user, validators)
    except ValidationError as e:
        return [{"code": err.code, "message": m} for err, m in zip(e.error_list, e.messages)]
    return []


def main():
    users = {name: (User(**attrs) if attrs else None) for name, attrs in USERS.items()}
    cases = []
    for cname, config in CONFIGS.items():
        validators = pv.get_password_validators(config)
        for uname, user in users.items():
            for password in PASSWORDS:
                cases.append({"config": cname, "user": uname, "password": password,
                              "errors": errors(password, user, validators)})
    help_texts = {cname: pv.password_validators_help_texts(pv.get_password_validators(config))
                  for cname, config in CONFIGS.items()}
    common = pv.CommonPasswordValidator()
    doc = {
        "generated_by": "auth/validators/testdata/django_vectors.py",
        "django": django.get_version(),
        "common_passwords": len(common.passwords),
        "users": USERS,
        "cases": cases,
        "help_texts": help_texts,
        "quick_ratio": [{"a": a, "b": b, "ratio": SequenceMatcher(a=a, b=b).quick_ratio()} for a, b in RATIO_PAIRS],
        "text": [{"s": s, "lower": s.lower(), "strip": s.strip(), "isdigit": s.isdigit(),
                  "split": re.split(r"\W+", s)} for s in TEXTS],
    }
    with open(os.path.join(HERE, "django_vectors.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote %d cases, %d common passwords" % (len(cases), doc["common_passwords"]))


if __name__ == "__main__":
    main()
