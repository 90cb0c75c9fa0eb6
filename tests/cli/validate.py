#!/usr/bin/env python3
"""Validates bopt output against a JSON Schema (draft 2020-12).

    validate.py SCHEMA json|ndjson|csv FILE [NDJSON]

json: one document; ndjson: each line; csv: parsed back with Python's csv
module (RFC 4180), each cell converted to the type the schema gives its
column (an empty field is null where the schema allows null), then each
row validated; with NDJSON given, the rows must equal its objects (the
same table in both formats). Exits 1 with the reasons.
"""
import csv
import json
import sys

import jsonschema


def csv_rows(path, schema):
    props = schema["properties"]
    with open(path, newline="") as f:
        raw = f.read()
    if raw and not raw.endswith("\r\n"):
        sys.exit(f"{path}: lines must end in CRLF (RFC 4180)")
    reader = csv.DictReader(raw.splitlines(keepends=True), strict=True)
    if reader.fieldnames != list(props):
        sys.exit(f"{path}: header {reader.fieldnames}, expected {list(props)}")
    rows = []
    for row in reader:
        for key, value in row.items():
            kind = props[key].get("type")
            kinds = kind if isinstance(kind, list) else [kind]
            if value == "" and "null" in kinds:
                row[key] = None  # an empty field is null
            elif "integer" in kinds:
                row[key] = int(value)
            elif "number" in kinds:
                row[key] = float(value)
        rows.append(row)
    return rows


def main():
    schema_path, kind, path = sys.argv[1:4]
    with open(schema_path) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    if kind == "json":
        with open(path) as f:
            docs = [json.load(f)]
    elif kind == "ndjson":
        with open(path) as f:
            docs = [json.loads(line) for line in f]
    else:
        docs = csv_rows(path, schema)
    if not docs:
        sys.exit(f"{path}: no {kind} output")
    errors = [e for d in docs for e in validator.iter_errors(d)]
    for e in errors:
        print(f"{path}: {'/'.join(map(str, e.absolute_path))}: {e.message}", file=sys.stderr)
    if errors:
        sys.exit(1)
    if len(sys.argv) > 4:
        with open(sys.argv[4]) as f:
            ndjson = [json.loads(line) for line in f]
        if docs != ndjson:
            sys.exit(f"{path}: the CSV rows differ from {sys.argv[4]}")


main()
