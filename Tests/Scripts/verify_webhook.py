#!/usr/bin/env python3
"""Verifies webhooks the way a receiver would, with the `standardwebhooks` package.

Reads a JSON file: a list of {"secret", "headers", "body"}; prints a JSON list of
{"ok": true, "type": ...} or {"ok": false, "error": ...}, one per case, in order.
Exits 2 when the package is missing.
"""
import json
import sys

try:
    from standardwebhooks.webhooks import Webhook
except ImportError as error:  # pragma: no cover - reported to the Swift test
    print(f"the standardwebhooks package is missing ({error}): pip install standardwebhooks", file=sys.stderr)
    sys.exit(2)

results = []
with open(sys.argv[1], encoding="utf-8") as file:
    cases = json.load(file)
for case in cases:
    try:
        payload = Webhook(case["secret"]).verify(case["body"].encode("utf-8"), case["headers"])
        results.append({"ok": True, "type": payload.get("type")})
    except Exception as error:  # noqa: BLE001 - any refusal is a result
        results.append({"ok": False, "error": f"{type(error).__name__}: {error}"})
print(json.dumps(results))
