#!/usr/bin/env python3
"""The neomodel 6 side of bench/compare (issue #9).

Runs one scenario with neomodel on the data `go run ./bench/compare` loaded,
and prints one JSON object on stdout:

    {"ops_per_sec": ..., "median_latency_s": ..., "reps_s": [...], "ops": ...}

ops_per_sec is the operations of one repetition over the median repetition
time; median_latency_s the median of every timed operation (scenario
"create": of the whole call). The server URL is read from $BENCH_NEO4J_URL
(bolt://user:password@host:port), so that the password is not in argv.

The models below declare the labels, keys and relationship types of
bench/compare/model/schema.yaml (and of gonode's auth.User), so that neomodel
reads and writes the same nodes as gonode. Datetimes use
DateTimeNeo4jFormatProperty, neomodel's native DATETIME, as gonode stores them.
"""

import argparse
import asyncio
import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import statistics
import sys
import time

from neomodel import (
    ArrayProperty,
    BooleanProperty,
    DateProperty,
    DateTimeNeo4jFormatProperty,
    EmailProperty,
    FloatProperty,
    IntegerProperty,
    One,
    RelationshipFrom,
    RelationshipTo,
    StringProperty,
    StructuredNode,
    ZeroOrOne,
    get_config,
    db,
)
from neomodel.sync_.match import Collect, NodeNameResolver, Path, Size

N_PEOPLE = 10000
FILTER = (10, 20)  # 1,000 people: age is i % 100
FETCH = (20, 30)
BENCH_USER = "cmp_bench_user"
BENCH_MISSING = "cmp_bench_missing"
BENCH_PASSWORD = "cmp bench password"


class Country(StructuredNode):
    __label__ = "CmpCountry"
    code = StringProperty(unique_index=True, required=True)
    name = StringProperty(required=True)


class City(StructuredNode):
    __label__ = "CmpCity"
    name = StringProperty(unique_index=True, required=True)
    country = RelationshipTo(Country, "CMP_IN_COUNTRY", cardinality=One)
    residents = RelationshipFrom("Person", "CMP_LIVES_IN")


class Person(StructuredNode):
    __label__ = "CmpPerson"
    name = StringProperty(unique_index=True, required=True)
    age = IntegerProperty(index=True, required=True)
    score = FloatProperty(required=True)
    active = BooleanProperty(required=True)
    born = DateProperty(required=True)
    joined = DateTimeNeo4jFormatProperty(required=True)
    email = EmailProperty()
    tags = ArrayProperty(StringProperty())
    city = RelationshipTo(City, "CMP_LIVES_IN", cardinality=ZeroOrOne)


class Member(StructuredNode):
    __label__ = "CmpMember"
    name = StringProperty(unique_index=True, required=True)
    age = IntegerProperty(index=True, required=True)
    score = FloatProperty(required=True)
    active = BooleanProperty(required=True)
    born = DateProperty(required=True)
    joined = DateTimeNeo4jFormatProperty(required=True)
    email = EmailProperty()
    tags = ArrayProperty(StringProperty())
    city = RelationshipTo(City, "CMP_MEMBER_OF", cardinality=ZeroOrOne)


class User(StructuredNode):
    """gonode's auth.User (schema/auth.yaml), as neomodel declares it."""

    __label__ = "User"
    username = StringProperty(unique_index=True, required=True, max_length=150)
    email = EmailProperty(index=True)
    password = StringProperty(max_length=128)
    first_name = StringProperty(max_length=150)
    last_name = StringProperty(max_length=150)
    is_active = BooleanProperty(default=True)
    is_staff = BooleanProperty(default=False)
    is_superuser = BooleanProperty(default=False)
    date_joined = DateTimeNeo4jFormatProperty()
    last_login = DateTimeNeo4jFormatProperty()


def person_name(i):
    return "person%05d" % i


def spread(i):
    """The i-th get's person, as bench/compare/gonode.go picks it."""
    return (i * 7919) % N_PEOPLE


def member_props(i):
    """The i-th member's properties, as profileAt in dataset.go."""
    name = "member%05d" % i
    return dict(
        name=name,
        age=i % 100,
        score=i * 0.5 + 0.25,
        active=i % 2 == 0,
        born=dt.date(1950 + i % 50, 1 + i % 12, 1 + i % 28),
        joined=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(hours=i),
        email=name + "@example.com",
        tags=["tag%d" % (i % 7), "group%d" % (i % 3)],
    )


def delete_members():
    db.cypher_query("MATCH (n:CmpMember) DETACH DELETE n")


# Django's PBKDF2PasswordHasher, as gonode's auth/hashers stores it:
# pbkdf2_sha256$<iterations>$<salt>$<base64 hash>.
def make_password(password, iterations):
    salt = secrets.token_urlsafe(16)[:22]
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return "pbkdf2_sha256$%d$%s$%s" % (iterations, salt, base64.b64encode(digest).decode())


def check_password(password, encoded):
    algorithm, iterations, salt, expected = encoded.split("$", 3)
    if algorithm != "pbkdf2_sha256":
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations))
    return hmac.compare_digest(base64.b64encode(digest).decode(), expected)


def authenticate(username, password, iterations):
    """Django's ModelBackend.authenticate plus update_last_login, in neomodel."""
    user = User.nodes.get_or_none(username=username)
    if user is None:
        make_password(password, iterations)  # as long as a check would take
        return None
    if not check_password(password, user.password) or user.is_active is False:
        return None
    user.last_login = dt.datetime.now(dt.timezone.utc)
    user.save()
    return user


class Job:
    """One scenario: prepare and cleanup run untimed around each repetition;
    run(lat) performs one repetition, filling lat (a list) with latencies."""

    def prepare(self):
        pass

    def run(self, lat):
        raise NotImplementedError

    def cleanup(self):
        pass


def timed(lat, fn):
    t = time.perf_counter()
    fn()
    lat.append(time.perf_counter() - t)


class Create(Job):
    def __init__(self, ops):
        self.ops = ops

    def prepare(self):
        self.rows = [member_props(i) for i in range(self.ops)]

    def run(self, lat):
        def create():
            # neomodel's batch create, in one transaction (without one each
            # node is a transaction of its own, far slower).
            with db.transaction:
                nodes = Member.create(*self.rows)
            assert len(nodes) == self.ops

        timed(lat, create)

    def cleanup(self):
        delete_members()


class Get(Job):
    def __init__(self, ops):
        self.ops = ops

    def run(self, lat):
        for i in range(self.ops):
            t = time.perf_counter()
            p = Person.nodes.get(name=person_name(spread(i)))
            lat.append(time.perf_counter() - t)
            assert p.age == spread(i) % 100


class GetConcurrent(Job):
    """The async API (AsyncStructuredNode) with `workers` asyncio tasks."""

    def __init__(self, ops, workers, url):
        self.ops, self.workers = ops, workers
        from neomodel import AsyncStructuredNode, adb

        self.adb, self.url = adb, url

        class AsyncPerson(AsyncStructuredNode):
            __label__ = "CmpPerson"
            name = StringProperty(unique_index=True, required=True)
            age = IntegerProperty(index=True, required=True)
            score = FloatProperty(required=True)
            active = BooleanProperty(required=True)
            born = DateProperty(required=True)
            joined = DateTimeNeo4jFormatProperty(required=True)
            email = EmailProperty()
            tags = ArrayProperty(StringProperty())

        self.model = AsyncPerson
        self.loop = asyncio.new_event_loop()

    def run(self, lat):
        self.loop.run_until_complete(self._run(lat))

    async def _run(self, lat):
        if self.adb.driver is None:
            await self.adb.set_connection(url=self.url)
        next_i = iter(range(self.ops))

        async def worker():
            for i in next_i:
                t = time.perf_counter()
                p = await self.model.nodes.get(name=person_name(spread(i)))
                lat.append(time.perf_counter() - t)
                assert p.age == spread(i) % 100

        await asyncio.gather(*(worker() for _ in range(self.workers)))


class Filter(Job):
    def __init__(self, ops):
        self.ops = ops

    def run(self, lat):
        for _ in range(self.ops):
            t = time.perf_counter()
            people = Person.nodes.filter(age__gte=FILTER[0], age__lt=FILTER[1]).all()
            lat.append(time.perf_counter() - t)
            assert len(people) == 1000, len(people)


class Fetch(Job):
    """neomodel's eager loading: traverse('city__country') (the successor of
    fetch_relations), one query; rows are [person, city, country]. The
    relationships themselves are not returned (gonode does not return them
    either)."""

    def __init__(self, ops):
        self.ops = ops

    def run(self, lat):
        for _ in range(self.ops):
            t = time.perf_counter()
            rows = (
                Person.nodes.filter(age__gte=FETCH[0], age__lt=FETCH[1])
                .traverse(Path(value="city__country", include_rels_in_return=False))
                .all()
            )
            lat.append(time.perf_counter() - t)
            assert len(rows) == 1000, len(rows)
            assert isinstance(rows[0][0], Person) and isinstance(rows[0][1], City) and isinstance(rows[0][2], Country), rows[0]


class Aggregate(Job):
    """Every city with the number and average age of its residents.
    neomodel's annotate takes Collect, Last and Size, with no sum or
    average of a property: one query counts each city's residents
    (Size(Collect)) and collects them, and the average is taken in Python
    from the collected Person objects."""

    def __init__(self, ops):
        self.ops = ops

    def run(self, lat):
        for _ in range(self.ops):
            t = time.perf_counter()
            rows = (
                City.nodes.traverse(Path(value="residents", optional=True, include_nodes_in_return=False, include_rels_in_return=False))
                .annotate(
                    residents_count=Size(Collect(NodeNameResolver("residents"))),
                    residents=Collect(NodeNameResolver("residents")),
                )
                .all()
            )
            stats = [(row[0], row[1], statistics.fmean(p.age for p in row[2]) if row[2] else None) for row in rows]
            lat.append(time.perf_counter() - t)
            assert len(stats) == 1000, len(stats)
            assert all(isinstance(c, City) and n == 10 and a is not None for c, n, a in stats), stats[0]


class Connect(Job):
    """Member.city is ZeroOrOne: neomodel counts the existing relationships
    before each connect. All connects in one transaction."""

    def __init__(self, ops):
        self.ops = ops
        self.cities = None

    def prepare(self):
        if self.cities is None:
            self.cities = City.nodes.order_by("name").all()
        rows = [member_props(i) for i in range(self.ops)]
        results, _ = db.cypher_query(
            "UNWIND $rows AS row CREATE (n:CmpMember) SET n = row RETURN n ORDER BY n.name",
            {"rows": rows},
            resolve_objects=True,
        )
        self.members = [r[0] for r in results]

    def run(self, lat):
        with db.transaction:
            for i, m in enumerate(self.members):
                t = time.perf_counter()
                m.city.connect(self.cities[i % len(self.cities)])
                lat.append(time.perf_counter() - t)

    def cleanup(self):
        delete_members()


class Authenticate(Job):
    def __init__(self, ops, existing, iterations):
        self.ops, self.existing, self.iterations = ops, existing, iterations

    def run(self, lat):
        username = BENCH_USER if self.existing else BENCH_MISSING
        for _ in range(self.ops):
            t = time.perf_counter()
            u = authenticate(username, BENCH_PASSWORD, self.iterations)
            lat.append(time.perf_counter() - t)
            assert (u is not None) == self.existing


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", required=True,
                    choices=["create", "get", "get_concurrent", "filter", "fetch", "aggregate", "connect", "connect_many", "auth_existing", "auth_missing"])
    ap.add_argument("--ops", type=int, required=True, help="operations per repetition")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--workers", type=int, default=16, help="asyncio tasks of get_concurrent")
    ap.add_argument("--iterations", type=int, default=1000, help="pbkdf2 iterations of the missing-user hash")
    args = ap.parse_args()

    url = os.environ.get("BENCH_NEO4J_URL")
    if not url:
        sys.exit("neomodel_bench.py: set BENCH_NEO4J_URL")
    get_config().database_url = url

    job = {
        "create": lambda: Create(args.ops),
        "get": lambda: Get(args.ops),
        "get_concurrent": lambda: GetConcurrent(args.ops, args.workers, url),
        "filter": lambda: Filter(args.ops),
        "fetch": lambda: Fetch(args.ops),
        "aggregate": lambda: Aggregate(args.ops),
        "connect": lambda: Connect(args.ops),
        # neomodel has no bulk connect: scenario 5b compares ConnectMany's
        # throughput with neomodel's connects one at a time.
        "connect_many": lambda: Connect(args.ops),
        "auth_existing": lambda: Authenticate(args.ops, True, args.iterations),
        "auth_missing": lambda: Authenticate(args.ops, False, args.iterations),
    }[args.scenario]()

    # Warm-up repetitions (connections, query plans, caches) run a tenth of
    # the operations: neomodel is slow enough that full ones would double the
    # run time without changing what is measured.
    reps, lats = [], []
    for rep in range(args.warmup + args.reps):
        warm = rep < args.warmup
        job.ops = max(1, args.ops // 10) if warm else args.ops
        job.prepare()
        lat = []
        t = time.perf_counter()
        job.run(lat)
        d = time.perf_counter() - t
        job.cleanup()
        if not warm:
            reps.append(d)
            lats.extend(lat)
    json.dump(
        {
            "ops": args.ops,
            "ops_per_sec": args.ops / statistics.median(reps),
            "median_latency_s": statistics.median(lats),
            "reps_s": reps,
        },
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()
