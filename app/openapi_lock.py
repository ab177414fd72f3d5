"""The API's change record: openapi.lock.json holds the version and a hash of the OpenAPI
document. A change of the API fails the tests until the version in app/main.py has moved and
the lock is written again with `python -m app.openapi_lock` — so no change is ever silent."""

from __future__ import annotations

import copy
import hashlib
import json
import sys

from app.settings import ROOT

LOCK = ROOT / "openapi.lock.json"


def fingerprint(doc: dict) -> str:
    doc = copy.deepcopy(doc)
    doc["info"].pop("version", None)
    return hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def main() -> int:
    from app.main import app

    doc = app.openapi()
    new = {"version": doc["info"]["version"], "sha256": fingerprint(doc)}
    if LOCK.exists():
        old = json.loads(LOCK.read_text())
        if old["sha256"] != new["sha256"] and old["version"] == new["version"]:
            print(f"the API changed but its version is still {old['version']}: move API_VERSION in app/main.py",
                  file=sys.stderr)
            return 1
    LOCK.write_text(json.dumps(new, indent=2) + "\n")
    print(f"openapi.lock.json: {new['version']} {new['sha256'][:12]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
