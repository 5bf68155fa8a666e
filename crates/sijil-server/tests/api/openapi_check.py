"""Independent checks of Sijil's OpenAPI document (run by tests/api/openapi.rs).

Usage: openapi_check.py DIR, where DIR holds openapi.json and, optionally, samples.json: a list
of real answers, each {"path", "method", "status", "body"}.

1. openapi-spec-validator validates the document against the OpenAPI 3.1 specification.
2. Each answer is validated with jsonschema (JSON Schema 2020-12, OpenAPI 3.1's dialect)
   against the schema the document gives for that operation and status. Object schemas are made
   strict first (unevaluatedProperties: false), so a field the server sends but the document
   does not describe fails too.
"""

import copy
import json
import pathlib
import sys

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate


def strict(node, in_all_of=False):
    """Forbids undocumented fields in every object schema (not in allOf parts, which only see
    their own properties)."""
    if isinstance(node, dict):
        if ("properties" in node or "allOf" in node) and not in_all_of:
            # With allOf this still sees the fields its parts describe (JSON Schema 2020-12).
            node.setdefault("unevaluatedProperties", False)
        for key, value in node.items():
            strict(value, in_all_of=(key == "allOf") or (in_all_of and key not in ("properties", "items")))
    elif isinstance(node, list):
        for value in node:
            strict(value, in_all_of)


def referenced_in_all_of(doc):
    """Names of component schemas used as allOf parts (flattened into another)."""
    names = set()

    def walk(node, inside):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if inside and ref.startswith("#/components/schemas/"):
                names.add(ref.rsplit("/", 1)[1])
            for key, value in node.items():
                walk(value, key == "allOf")
        elif isinstance(node, list):
            for value in node:
                walk(value, inside)

    walk(doc, False)
    return names


def main():
    folder = pathlib.Path(sys.argv[1])
    doc = json.loads((folder / "openapi.json").read_text())
    validate(doc)
    print(f"openapi-spec-validator: valid OpenAPI {doc['openapi']}, {len(doc['paths'])} paths")
    samples_file = folder / "samples.json"
    if not samples_file.exists():
        return 0

    components = copy.deepcopy(doc["components"])
    flattened = referenced_in_all_of(doc)
    for name, schema in components["schemas"].items():
        if name not in flattened:
            strict(schema)
    failures = 0
    for s in json.loads(samples_file.read_text()):
        where = f"{s['method'].upper()} {s['path']} -> {s['status']}"
        operation = doc["paths"][s["path"]][s["method"]]
        response = operation["responses"].get(str(s["status"]))
        if response is None:
            print(f"FAIL {where}: this status is not documented")
            failures += 1
            continue
        if "$ref" in response:
            response = doc["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
        schema = response["content"]["application/json"]["schema"]
        target = copy.deepcopy(schema)
        strict(target)
        root = {"$defs": {"answer": target}, "$ref": "#/$defs/answer", "components": components}
        validator = Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = sorted(validator.iter_errors(s["body"]), key=lambda e: list(e.absolute_path))
        if errors:
            failures += 1
            for e in errors[:5]:
                print(f"FAIL {where}: at {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}")
        else:
            print(f"ok   {where}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
