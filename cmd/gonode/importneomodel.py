# gonode import-neomodel: the introspection half. It imports the models
# module named by argv[1] (with the current directory and PYTHONPATH on
# sys.path), walks neomodel's node classes (every StructuredNode subclass
# not defined by neomodel itself) and relationship models, and writes one
# JSON document describing them on stdout. The Go half
# (cmd/gonode/importneomodel.go) turns it into a schema; this script only
# reports what neomodel holds, deciding nothing.
import importlib
import inspect
import json
import os
import sys


def main():
    sys.path.insert(0, os.getcwd())
    module = importlib.import_module(sys.argv[1])
    import neomodel
    from neomodel import StructuredNode, StructuredRel

    try:
        from importlib.metadata import version
        nm_version = version("neomodel")
    except Exception:
        nm_version = getattr(neomodel, "__version__", "")

    def subclasses(cls):
        out, todo, seen = [], [cls], set()
        while todo:
            c = todo.pop(0)
            for s in c.__subclasses__():
                if s not in seen:
                    seen.add(s)
                    out.append(s)
                    todo.append(s)
        return out

    def user(cls):
        return not cls.__module__.startswith("neomodel.") and cls.__module__ != "neomodel"

    def value(v):
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if isinstance(v, (list, tuple)):
            return [value(x) for x in v]
        if isinstance(v, dict):
            return {str(k): value(x) for k, x in v.items()}
        return {"__repr__": repr(v), "__type__": type(v).__name__}

    def neomodel_callable(f):
        code = getattr(f, "__code__", None)
        return code is not None and os.sep + "neomodel" + os.sep in code.co_filename

    def prop(name, p):
        d = {"name": name, "class": type(p).__name__,
             "classes": [c.__name__ for c in type(p).__mro__],
             "db_property": getattr(p, "db_property", None),
             "required": bool(getattr(p, "required", False)),
             "help": getattr(p, "help_text", None)}
        if type(p).__name__ == "AliasProperty":
            d["alias_to"] = p.aliased_to()
            return d
        d["unique_index"] = bool(getattr(p, "unique_index", False))
        d["index"] = bool(getattr(p, "index", False))
        d["fulltext_index"] = getattr(p, "fulltext_index", None) is not None
        d["vector_index"] = getattr(p, "vector_index", None) is not None
        for attr in ("max_length", "format", "expression", "ensure_ascii", "_crs"):
            if hasattr(p, attr) and not callable(getattr(p, attr)):
                v = getattr(p, attr)
                if attr == "expression" and hasattr(v, "pattern"):
                    v = v.pattern
                d[attr.lstrip("_")] = value(v)
        choices = getattr(p, "choices", None)
        if choices is not None:
            d["choices"] = [[value(k), str(v)] for k, v in dict(choices).items()]
        if getattr(p, "has_default", False):
            dv = p.default
            if callable(dv):
                d["default"] = {"callable": getattr(dv, "__qualname__", repr(dv)), "neomodel": neomodel_callable(dv)}
            else:
                d["default"] = {"value": value(dv), "type": type(dv).__name__}
        base = getattr(p, "base_property", None)
        if base is not None:
            d["base"] = prop(name, base)
        return d

    def props_of(cls, parent):
        own = []
        mine = cls.defined_properties(aliases=True, rels=False)
        theirs = parent.defined_properties(aliases=True, rels=False) if parent is not None else {}
        for name, p in mine.items():
            if name in theirs and theirs[name] is p:
                continue
            own.append(prop(name, p))
        return own

    def node_parent(cls):
        for b in cls.__mro__[1:]:
            if isinstance(b, type) and issubclass(b, StructuredNode) and b is not StructuredNode and user(b):
                return b
        return None

    nodes = []
    for cls in subclasses(StructuredNode):
        if not user(cls):
            continue
        parent = node_parent(cls)
        rels = []
        mine = cls.defined_properties(aliases=False, properties=False, rels=True)
        theirs = parent.defined_properties(aliases=False, properties=False, rels=True) if parent is not None else {}
        for name, r in mine.items():
            if name in theirs and theirs[name] is r:
                continue
            target = r._raw_class if isinstance(r._raw_class, str) else r._raw_class.__name__
            if "." in target:
                target = target.rsplit(".", 1)[1]
            model = r.definition.get("model")
            rels.append({"name": name, "kind": type(r).__name__, "type": r.definition["relation_type"],
                         "direction": int(r.definition["direction"]), "target": target,
                         "cardinality": r.manager.__name__,
                         "model": model.__name__ if model is not None and model is not StructuredRel else None})
        semi = any(b.__name__ in ("SemiStructuredNode", "AsyncSemiStructuredNode") for b in cls.__mro__)
        nodes.append({
            "name": cls.__name__, "module": cls.__module__,
            # neomodel's metaclass deletes __abstract_node__; only concrete
            # classes get their property caches.
            "abstract": "__all_properties__" not in cls.__dict__,
            "label": getattr(cls, "__label__", cls.__name__),
            "optional_labels": list(cls.__dict__.get("__optional_labels__", [])),
            "parent": parent.__name__ if parent is not None else None,
            "semi_structured": semi,
            "properties": props_of(cls, parent),
            "relationships": rels,
        })
    models = []
    for cls in subclasses(StructuredRel):
        if not user(cls):
            continue
        models.append({"name": cls.__name__, "properties": [prop(n, p) for n, p in cls.defined_properties(aliases=True).items()]})
    json.dump({"neomodel": nm_version, "module": module.__name__, "nodes": nodes, "rel_models": models}, sys.stdout)


main()
