# A neomodel models module using every neomodel property type, relationship
# models, every cardinality and direction, inheritance, an abstract node, a
# semi-structured node and a RelationshipFrom mirroring a RelationshipTo:
# what gonode import-neomodel is tested on (importneomodel_test.go), and
# the graph of the shared-graph round trip (sharedgraph_test.go). Labels
# are prefixed NmShop so that no other test's nodes are touched.
from neomodel import (
    AliasProperty, ArrayProperty, BooleanProperty, DateProperty, DateTimeFormatProperty,
    DateTimeNeo4jFormatProperty, DateTimeProperty, EmailProperty, FloatProperty, IntegerProperty,
    JSONProperty, One, OneOrMore, RegexProperty, Relationship, RelationshipFrom, RelationshipTo,
    StringProperty, StructuredNode, StructuredRel, UniqueIdProperty, ZeroOrMore, ZeroOrOne,
)
from neomodel.contrib import SemiStructuredNode


class Employment(StructuredRel):
    since = DateTimeProperty(default_now=True)
    started = DateProperty()
    role = StringProperty(choices={"dev": "Developer", "ops": "Operations"})
    salary = FloatProperty()


class Friendship(StructuredRel):
    met = DateTimeFormatProperty(format="%Y-%m-%d %H:%M:%S")
    closeness = IntegerProperty(default=1)


class Entity(StructuredNode):
    __abstract_node__ = True
    uid = UniqueIdProperty()
    created = DateTimeProperty(default_now=True)


class Person(Entity):
    __label__ = "NmShopPerson"
    name = StringProperty(required=True, max_length=100)
    nick = StringProperty(db_property="nickname", index=True)
    email = EmailProperty(unique_index=True)
    code = RegexProperty(expression=r"[A-Z]{3}")
    age = IntegerProperty(default=0)
    height = FloatProperty()
    active = BooleanProperty(default=True)
    born = DateProperty()
    seen = DateTimeProperty()
    stamp = DateTimeFormatProperty(format="%Y-%m-%d %H:%M:%S")
    native = DateTimeNeo4jFormatProperty()
    prefs = JSONProperty()
    tags = ArrayProperty(StringProperty())
    scores = ArrayProperty(IntegerProperty())
    ratios = ArrayProperty(FloatProperty())
    days = ArrayProperty(DateProperty())
    times = ArrayProperty(DateTimeProperty())
    level = IntegerProperty(choices={1: "low", 2: "high"})
    handle = AliasProperty(to="nick")

    employer = RelationshipTo("Company", "WORKS_AT", cardinality=ZeroOrOne, model=Employment)
    friends = Relationship("Person", "FRIEND", model=Friendship)
    city = RelationshipTo("City", "LIVES_IN", cardinality=One)


class Manager(Person):
    __label__ = "NmShopBoss"
    budget = IntegerProperty()
    reports = RelationshipTo("Person", "MANAGES", cardinality=OneOrMore)


class Company(Entity):
    __label__ = "NmShopCompany"
    name = StringProperty(unique_index=True, required=True)
    employees = RelationshipFrom("Person", "WORKS_AT", model=Employment)


class City(StructuredNode):
    __label__ = "NmShopCity"
    name = StringProperty(required=True)
    residents = RelationshipFrom("Person", "LIVES_IN", cardinality=ZeroOrMore)


class Note(SemiStructuredNode):
    __label__ = "NmShopNote"
    title = StringProperty()
