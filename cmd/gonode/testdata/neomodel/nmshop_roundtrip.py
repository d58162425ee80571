# The neomodel side of the shared-graph round trip (sharedgraph_test.go):
# "write URL" creates a graph of every property type of nmshop with
# neomodel; "dump URL" reads every node and relationship of nmshop back
# through neomodel and prints them as canonical JSON (datetimes as
# microseconds since the epoch, formatted datetimes as their naive wall
# clock, dates as ISO text), which the Go side prints too.
import datetime as dt
import json
import sys

from neomodel import db, config
from neomodel import (ArrayProperty, DateProperty, DateTimeFormatProperty, DateTimeNeo4jFormatProperty,
                      DateTimeProperty, JSONProperty)

import nmshop

UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)


def canon(p, v):
    if v is None or v == "":
        return None
    if isinstance(p, ArrayProperty):
        return [canon(p.base_property, x) for x in v] if p.base_property is not None else list(v)
    if isinstance(p, DateTimeFormatProperty):
        return v.strftime("%Y-%m-%dT%H:%M:%S.%f")
    if isinstance(p, (DateTimeProperty, DateTimeNeo4jFormatProperty)):
        return (v - EPOCH) // dt.timedelta(microseconds=1)
    if isinstance(p, DateProperty):
        return v.isoformat()
    return v


def props(obj):
    out = {}
    for name, p in obj.defined_properties(aliases=False, rels=False).items():
        c = canon(p, getattr(obj, name))
        if c is not None:
            out[name] = c
    return out


def key(n):
    return getattr(n, "uid", None) or getattr(n, "name", None) or n.title


def dump():
    nodes, rels = {}, {}
    for cls in (nmshop.Person, nmshop.Manager, nmshop.Company, nmshop.City, nmshop.Note):
        for n in cls.nodes.all():
            entry = {"type": type(n).__name__, "props": props(n)}
            if isinstance(n, nmshop.Note):
                raw, _ = db.cypher_query("MATCH (n) WHERE elementId(n) = $id RETURN properties(n)", {"id": n.element_id})
                extra = {k: v for k, v in raw[0][0].items() if k not in n.defined_properties(aliases=False, rels=False)}
                if extra:
                    entry["extra"] = extra
            nodes[key(n)] = entry
    for p in nmshop.Person.nodes.all():
        for c in p.employer.all():
            rels["WORKS_AT %s %s" % (key(p), key(c))] = props(p.employer.relationship(c))
        for f in p.friends.all():
            a, b = sorted([key(p), key(f)])
            rels["FRIEND %s %s" % (a, b)] = props(p.friends.relationship(f))
        for c in p.city.all():
            rels["LIVES_IN %s %s" % (key(p), key(c))] = {}
    for m in nmshop.Manager.nodes.all():
        for r in m.reports.all():
            rels["MANAGES %s %s" % (key(m), key(r))] = {}
    json.dump({"nodes": nodes, "rels": rels}, sys.stdout, sort_keys=True)


def write():
    t0 = dt.datetime(2024, 2, 29, 13, 14, 15, 123456, tzinfo=UTC)
    city = nmshop.City(name="Lyon").save()
    acme = nmshop.Company(name="Acme").save()
    people = []
    for i in range(3):
        cls = nmshop.Manager if i == 2 else nmshop.Person
        kw = dict(
            name="py person %d" % i, nick="nick%d" % i, email="p%d@example.com" % i, code="ABC",
            age=30 + i, height=1.5 + i / 4, active=(i % 2 == 0), born=dt.date(1990 + i, 1 + i, 28),
            seen=t0 + dt.timedelta(days=i, microseconds=i), stamp=dt.datetime(2023, 12, 31, 23, 59, i),
            native=t0 - dt.timedelta(hours=i), prefs={"theme": "dark", "n": [i, 1.5, None, True], "ü": "ö"},
            tags=["a", "b%d" % i], scores=[i, -i, 2 ** 40], ratios=[0.1, 2.5e-7], days=[dt.date(2024, 1, 1 + i)],
            times=[t0, EPOCH + dt.timedelta(microseconds=1)], level=1 + i % 2,
        )
        if cls is nmshop.Manager:
            kw["budget"] = 1000
        p = cls(**kw).save()
        p.city.connect(city)
        people.append(p)
    people[0].employer.connect(acme, {"since": t0, "started": dt.date(2020, 5, 17), "role": "dev", "salary": 1234.5})
    people[1].employer.connect(acme, {"role": "ops"})
    people[0].friends.connect(people[1], {"met": dt.datetime(2019, 7, 1, 8, 30, 0), "closeness": 3})
    people[2].reports.connect(people[0])
    people[2].reports.connect(people[1])
    n = nmshop.Note(title="py note")
    n.mood = "fine"
    n.count = 3
    n.save()


db.set_connection(sys.argv[2])
{"write": write, "dump": dump}[sys.argv[1]]()
