"""Persisted queries: the operations the frontend's build registers, sent by their SHA-256 hash
instead of their text, and, where the settings say, the only operations answered."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from graphql import GraphQLError, get_operation_ast, parse
from strawberry.extensions import SchemaExtension

from .context import running_settings
from .enums import ErrorCode

# Where a request names its operation by hash (the shape Apollo and urql clients send).
PERSISTED_QUERY = "persistedQuery"


def document_hash(document: str) -> str:
    """The hex SHA-256 of an operation's text, the name it is registered under."""
    return hashlib.sha256(document.encode()).hexdigest()


def bare_hash(name: str) -> str:
    """A hash as lower-case hex, without codegen's ``sha256:`` prefix."""
    return name.lower().removeprefix("sha256:")


class AllowList(Mapping[str, str]):
    """The registered operations by hash, read from the JSON object of hash to text that the
    frontend's codegen writes (frontend_build/src/gql/persisted-documents.json)."""

    def __init__(self, documents: Mapping[str, str]) -> None:
        self._documents = {bare_hash(name): text for name, text in documents.items()}
        for sha256, document in self._documents.items():
            if document_hash(document) != sha256:
                raise ValueError(f"persisted query {sha256}: its text hashes to another value")

    @classmethod
    def read(cls, path: Path) -> AllowList:
        """The list in ``path``; an empty list when there is no such file."""
        if not path.is_file():
            return cls({})
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def hash_of(self, operation_name: str) -> str:
        """The hash of the one registered operation of that name (a KeyError for none)."""
        named = re.compile(rf"\b(query|mutation|subscription) {re.escape(operation_name)}\b")
        found = [sha256 for sha256, text in self._documents.items() if named.search(text)]
        if len(found) != 1:
            raise KeyError(f"{len(found)} registered operations are named {operation_name}")
        return found[0]

    def __getitem__(self, sha256: str) -> str:
        return self._documents[sha256]

    def __iter__(self):
        return iter(self._documents)

    def __len__(self) -> int:
        return len(self._documents)


@lru_cache(maxsize=4)
def _allow_list(path: Path, modified_ns: int) -> AllowList:
    return AllowList.read(path)


def allow_list(path: Path) -> AllowList:
    """The allow-list in ``path``, read again only when the file changed (a new build)."""
    modified = path.stat().st_mtime_ns if path.is_file() else 0
    return _allow_list(path, modified)


@dataclass(frozen=True)
class RegisteredOperation:
    """A request naming a registered operation by its hash alone: what it asks for."""

    sha256: str
    document: str
    operation_name: str | None
    variables: Mapping[str, Any]

    @property
    def name(self) -> str | None:
        """The name its document gives the operation (what the metrics call it: a name the
        frontend registered, never one a client makes up)."""
        return _operation_name(self.document)


@lru_cache(maxsize=1024)
def _operation_name(document: str) -> str | None:
    operation = get_operation_ast(parse(document))
    return operation.name.value if operation is not None and operation.name else None


def registered_operation(body: object, path: Path) -> RegisteredOperation | None:
    """The registered operation a JSON request body names by hash (with no query text, its
    variables an object), or None for any other body."""
    if not isinstance(body, dict) or "query" in body:
        return None
    sent = body.get("extensions")
    persisted = sent.get(PERSISTED_QUERY) if isinstance(sent, dict) else None
    sha256 = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    variables = body.get("variables") or {}
    operation_name = body.get("operationName")
    if not isinstance(sha256, str) or not isinstance(variables, dict):
        return None
    if not isinstance(operation_name, str | None):
        return None
    document = allow_list(path).get(bare_hash(sha256))
    if document is None:
        return None
    return RegisteredOperation(bare_hash(sha256), document, operation_name, variables)


def _refused(message: str, code: ErrorCode) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code.name})


class PersistedQueries(SchemaExtension):
    """Answers ``{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "…"}}}`` with
    the registered operation of that hash (a query text sent along must hash to it). With
    ``REDLINE_PERSISTED_QUERIES_ONLY`` on, a request signed in by session (or not at all) must
    name a registered operation; API tokens, for integrations, may still send any query."""

    def on_operation(self):  # type: ignore[override]
        execution = self.execution_context
        context = execution.context
        settings = running_settings()
        sent = (execution.operation_extensions or {}).get(PERSISTED_QUERY)
        if sent is not None:
            sha256 = sent.get("sha256Hash") if isinstance(sent, dict) else None
            if not isinstance(sha256, str) or sent.get("version", 1) != 1:
                raise _refused(
                    'extensions.persistedQuery: expected {"version": 1, "sha256Hash": "<hex>"}',
                    ErrorCode.INVALID,
                )
            sha256 = bare_hash(sha256)
            document = allow_list(settings.persisted_queries_file).get(sha256)
            if document is None:
                raise _refused(
                    f"extensions.persistedQuery.sha256Hash: no registered operation has hash "
                    f"{sha256} (a frontend newer than this server? reload the page)",
                    ErrorCode.PERSISTED_QUERY_NOT_FOUND,
                )
            if execution.query is not None and document_hash(execution.query) != sha256:
                raise _refused(
                    "query: the text sent does not hash to extensions.persistedQuery.sha256Hash",
                    ErrorCode.INVALID,
                )
            execution.query = document
        elif settings.persisted_queries_only and not _by_api_token(context):
            raise _refused(
                "query: this server answers only the operations its frontend registered; send "
                "extensions.persistedQuery.sha256Hash (or use an API token)",
                ErrorCode.PERSISTED_QUERY_REQUIRED,
            )
        yield


def _by_api_token(context: object) -> bool:
    authenticated = getattr(context, "authenticated", None)
    return authenticated is not None and authenticated.csrf_token is None
