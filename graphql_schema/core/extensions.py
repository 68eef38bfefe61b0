"""The schema's own extensions: CSRF protection of cookie-authenticated mutations, the gate
before a reset password is replaced, write sessions for mutations, introspection switched off
where the settings say, masked and logged unexpected errors, one log line per refusal."""

from __future__ import annotations

import logging

import strawberry
from graphql import FieldNode, GraphQLError, get_operation_ast
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.relay.types import InvalidGlobalIDError
from strawberry.types.graphql import OperationType

from .context import running_settings
from .enums import ErrorCode
from .errors import should_mask
from .plain_fields import (
    call_plain_resolvers_directly,
    name_enum_values_by_lookup,
    read_plain_fields_directly,
    write_node_ids_directly,
)

log = logging.getLogger("redline.graphql")


class CsrfProtection(SchemaExtension):
    """Mutations authenticated by the session cookie must carry the session's CSRF token in
    the X-CSRF-Token header (API tokens and anonymous requests need none)."""

    def on_execute(self):  # type: ignore[override]
        ctx = self.execution_context.context
        if self.execution_context.operation_type is OperationType.MUTATION:
            authenticated = ctx.authenticated
            if authenticated is not None and authenticated.csrf_token is not None:
                sent = ctx.request.headers.get("X-CSRF-Token", "")
                if sent != authenticated.csrf_token:
                    self.execution_context.result = None
                    raise GraphQLError(
                        "missing or wrong X-CSRF-Token header (take it from viewer.csrfToken)",
                        extensions={"code": ErrorCode.PERMISSION_DENIED.name},
                    )
        yield


# What a user whose password an admin reset may ask for until they choose their own.
WHILE_PASSWORD_CHANGE_REQUIRED = frozenset({"viewer", "changePassword", "signOut", "__typename"})


class PasswordChangeGate(SchemaExtension):
    """After an admin's reset the user may read who they are, choose a new password or sign
    out, nothing else: any other root field refuses the whole operation."""

    def on_execute(self):  # type: ignore[override]
        ctx = self.execution_context.context
        authenticated = ctx.authenticated
        if authenticated is not None and authenticated.must_change_password:
            operation = get_operation_ast(
                self.execution_context.graphql_document, self.execution_context.operation_name
            )
            selections = operation.selection_set.selections if operation else ()
            if not all(
                isinstance(s, FieldNode) and s.name.value in WHILE_PASSWORD_CHANGE_REQUIRED
                for s in selections
            ):
                self.execution_context.result = None
                raise GraphQLError(
                    "choose a new password first (changePassword): an admin reset yours",
                    extensions={"code": ErrorCode.PASSWORD_CHANGE_REQUIRED.name},
                )
        yield


class MutationsWrite(SchemaExtension):
    """A mutation's database session takes the write lock as each transaction begins (see
    ``Context.db``); queries read without it."""

    def on_execute(self):  # type: ignore[override]
        if self.execution_context.operation_type is OperationType.MUTATION:
            self.execution_context.context.writes = True
        yield


class IntrospectionSwitch(SchemaExtension):
    """Refuses ``__schema`` and ``__type`` (not ``__typename``) as a validation error when the
    running app's settings turn introspection off (``REDLINE_INTROSPECTION=false`` in
    production: clients take their types from the committed schema.graphql instead)."""

    def on_operation(self):  # type: ignore[override]
        if not running_settings().introspection:
            self.execution_context.validation_rules = (
                *self.execution_context.validation_rules,
                NoSchemaIntrospectionCustomRule,
            )
        yield


class LoggedMaskErrors(MaskErrors):
    """Masks unexpected errors and logs them, with the request id the client also receives;
    the errors it keeps all carry an ``extensions.code``."""

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        for error in processed:
            if isinstance(error.original_error, InvalidGlobalIDError):  # strawberry sets none
                error.extensions = {**(error.extensions or {}), "code": ErrorCode.INVALID.name}
        return processed

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = getattr(self.execution_context.context, "request_id", "-")
        log.error(
            "unexpected error in request %s at %s",
            request_id,
            error.path,
            exc_info=error.original_error,
        )
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL", "requestId": request_id}
        return masked


class RedlineSchema(strawberry.Schema):
    """The schema, logging a refused request as one line: an unexpected error is logged once,
    with its traceback, by ``LoggedMaskErrors``. Its plain fields, plain resolvers and enum values
    complete in one step, and its nodes' ids are written by one call (``plain_fields``)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        read_plain_fields_directly(self)
        call_plain_resolvers_directly(self)
        write_node_ids_directly(self)
        name_enum_values_by_lookup(self)

    def process_errors(self, errors: list[GraphQLError], execution_context=None) -> None:
        context = getattr(execution_context, "context", None)
        request_id = getattr(context, "request_id", "-")
        for error in errors:
            if not should_mask(error):
                code = (error.extensions or {}).get("code", "INVALID")
                log.info("request %s refused (%s): %s", request_id, code, error.message)
