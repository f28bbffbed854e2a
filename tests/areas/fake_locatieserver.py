"""A local stand-in for the PDOK Locatieserver (v3_1), serving recorded answers.

The answers in `tests/areas/locatieserver/` have PDOK's exact shape (Solr: `response` with
`numFound`, `start`, `maxScore`, `numFoundExact` and `docs`; `highlighting` for /suggest).
They are modelled on real places: the streets and wijken are real, but postcodes, ids and
BAG numbers are made up, and each point is the label point of a CBS buurt in
`../shared/data`, so that it lies inside the buurt and wijk its `buurtcode` and `wijkcode`
name. `free-*.json` hold /free answers, `suggest-*.json` /suggest answers and
`free-empty.json` the answer when nothing matches.

The server answers the three endpoints from those documents the way PDOK does:
- /free filters the address documents on every `fq=field:value` and returns `rows` of them,
  with only the `fl` fields;
- /lookup returns the document with the `id`;
- /suggest needs `q` and returns the recorded suggestions whose text has a word starting
  with each word of `q`, filtered on `fq` (also `gemeentecode`, known from the address).
Like PDOK v3_1 it refuses a parameter its OpenAPI specification does not name (400).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fake_server import FakeServer

RECORDINGS = Path(__file__).resolve().parent / "locatieserver"
BASE_PATH = "/bzk/locatieserver/search/v3_1"
# The query parameters of PDOK's OpenAPI specification for these endpoints.
KNOWN_PARAMETERS = {"q", "fq", "rows", "start", "fl", "sort", "df", "bq", "id", "wt", "lat", "lon"}
WORD = re.compile(r"[\w-]+")


def load(name: str) -> dict[str, Any]:
    """One recorded answer, by file name."""
    return json.loads((RECORDINGS / name).read_text(encoding="utf-8"))


class FakeLocatieserver(FakeServer):
    """A fake Locatieserver on 127.0.0.1, on a free port, in a background thread.

    `requests` lists (endpoint, query) of every request, the query as lists per key;
    `delay` (seconds before answering) and `fail` ((status, body) answered instead) may be
    changed while it runs.
    """

    def __init__(self) -> None:
        super().__init__()
        self.delay = 0.0
        self.fail: tuple[int, bytes] | None = None
        self.requests: list[tuple[str, dict[str, list[str]]]] = []
        self.addresses = self._load_addresses()
        self.suggestions, self.highlights = self._load_suggestions()

    @staticmethod
    def _load_addresses() -> list[dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for path in sorted(RECORDINGS.glob("free-*.json")):
            for doc in load(path.name)["response"]["docs"]:
                found[doc["id"]] = doc
        return list(found.values())

    @staticmethod
    def _load_suggestions() -> tuple[list[dict[str, Any]], dict[str, Any]]:
        docs: dict[str, dict[str, Any]] = {}
        highlights: dict[str, Any] = {}
        for path in sorted(RECORDINGS.glob("suggest-*.json")):
            answer = load(path.name)
            for doc in answer["response"]["docs"]:
                if doc["id"] not in docs or docs[doc["id"]]["score"] < doc["score"]:
                    docs[doc["id"]] = doc
            highlights.update(answer.get("highlighting", {}))
        return sorted(docs.values(), key=lambda d: -d["score"]), highlights

    @property
    def url(self) -> str:
        """The base URL, as WIJKPORTAAL_LOCATIESERVER_URL takes it."""
        return f"{self.origin}{BASE_PATH}"

    def requests_to(self, endpoint: str) -> list[dict[str, list[str]]]:
        return [query for name, query in self.requests if name == endpoint]

    def answer(self, path: str) -> tuple[int, str, bytes]:
        status, body = self.json_answer(path)
        return status, "application/json; charset=utf-8", body

    def json_answer(self, path: str) -> tuple[int, bytes]:
        """The status and JSON body the Locatieserver would answer to a GET of `path`."""
        parts = urlsplit(path)
        query = parse_qs(parts.query, keep_blank_values=True)
        endpoint = parts.path.removeprefix(BASE_PATH + "/")
        self.requests.append((endpoint, query))
        if self.delay:
            time.sleep(self.delay)
        if self.fail is not None:
            return self.fail
        unknown = sorted(set(query) - KNOWN_PARAMETERS)
        if unknown:
            return _error(400, f"Unknown query parameter(s): {', '.join(unknown)}")
        if endpoint == "free":
            return 200, _json(self.free(query))
        if endpoint == "lookup":
            return 200, _json(self.lookup(query))
        if endpoint == "suggest":
            if not query.get("q", [""])[0].strip():
                return _error(400, "Parameter q is required")
            return 200, _json(self.suggest(query))
        return _error(404, "Not Found")

    def free(self, query: dict[str, list[str]]) -> dict[str, Any]:
        docs = [doc for doc in self.addresses if _passes(doc, query.get("fq", []))]
        if not docs:
            return load("free-empty.json")
        return _solr(docs[: _rows(query)], fields=query.get("fl"))

    def lookup(self, query: dict[str, list[str]]) -> dict[str, Any]:
        wanted = query.get("id", [""])[0]
        docs = [doc for doc in self.addresses if doc["id"] == wanted]
        return _solr(docs, fields=query.get("fl"))

    def suggest(self, query: dict[str, list[str]]) -> dict[str, Any]:
        words = WORD.findall(query["q"][0].lower())
        by_id = {doc["id"]: doc for doc in self.addresses}
        found = []
        for doc in self.suggestions:
            text = WORD.findall(doc["weergavenaam"].lower())
            full = {**by_id.get(doc["id"], {}), **doc}
            if all(any(t.startswith(w) for t in text) for w in words) and _passes(
                full, query.get("fq", [])
            ):
                found.append(doc)
        answer = _solr(found[: _rows(query)], fields=None)
        answer["highlighting"] = {
            doc["id"]: self.highlights[doc["id"]]
            for doc in answer["response"]["docs"]
            if doc["id"] in self.highlights
        }
        answer["spellcheck"] = {"suggestions": [], "collations": []}
        return answer


def _passes(doc: dict[str, Any], filters: list[str]) -> bool:
    for item in filters:
        field, _, value = item.partition(":")
        if str(doc.get(field, "")) != value:
            return False
    return True


def _rows(query: dict[str, list[str]]) -> int:
    return int(query.get("rows", ["10"])[0])


def _solr(docs: list[dict[str, Any]], *, fields: list[str] | None) -> dict[str, Any]:
    if fields:
        names = {name.strip() for name in fields[0].split(",")}
        docs = [{k: v for k, v in doc.items() if k in names} for doc in docs]
    scores = [doc["score"] for doc in docs if "score" in doc]
    return {
        "response": {
            "numFound": len(docs),
            "start": 0,
            "maxScore": max(scores, default=0.0),
            "numFoundExact": True,
            "docs": docs,
        }
    }


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def _error(status: int, message: str) -> tuple[int, bytes]:
    return status, _json({"type": "about:blank", "title": message, "status": status})
