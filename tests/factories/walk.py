"""A walk of the whole schema: every root field of the live schema called with arguments made
from their types (ids of real objects of a victim province), a selection of its scalar leaves a
few levels deep, and what an answer or a write must not show: the victim's codes, names and ids.

Nothing here lists the API's fields (the tables below only say what an argument names where its
name alone does not): a field added tomorrow is walked as soon as its argument types can be
filled (an ID argument whose name says what it names, see ``ID_KINDS``); one that cannot is
reported as unbuildable, and the walk's test fails on it."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    get_named_type,
    parse,
)
from graphql.language import Lexer, Source, TokenKind
from sqlalchemy import Engine, MetaData, inspect, select, text
from sqlalchemy.orm import Session

from graphql_schema.core.cost import operation_cost
from tests.factories.api import PDF

PAGE_SIZE = 5  # every connection asked for: the cost limit counts pages
MAX_TOKENS = 1900  # the schema allows 2,000
# Each call's cost below what the API counts against a credential's minute (10,000 points):
# the walk's 200-odd calls a minute must not be rate limited.
MAX_COST = 5000
LEVELS = 3  # object levels below a root field (shrunk until the document fits)

# What the id an argument or input field takes names, by its name (its description says the
# same). "*": any node type (node(id:) is asked about one object of every type).
ID_KINDS: dict[str, str] = {
    "tenantId": "Tenant",
    "nodeId": "Tenant",
    "unitId": "Tenant",
    "unitIds": "Tenant",
    "units": "Tenant",
    "unit": "Tenant",
    "node": "Tenant",
    "ownerNodeId": "Tenant",
    "ownerId": "Tenant",
    "parentId": "Tenant",
    "subtreeOf": "Tenant",
    "scope": "Tenant",
    "scopeId": "Tenant",
    "cycleId": "Cycle",
    "cycle": "Cycle",
    "cycles": "Cycle",
    "templateId": "Template",
    "baseId": "Template",
    "assessmentId": "Assessment",
    "attachmentId": "Attachment",
    "vetoFlagId": "VetoFlag",
    "appealId": "Appeal",
    "accidentId": "Accident",
    "hazardId": "Hazard",
    "planId": "ActionPlan",
    "elementId": "TaskElement",
    "statementId": "ResponsibilityStatement",
    "drawId": "SpotCheckDraw",
    "spotCheckFindingId": "SpotCheck",
    "userId": "User",
    "inspectorIds": "User",
    "actorId": "User",
}
# Ids whose name alone says nothing (`id`, `ids`): by the input type or field they belong to.
ID_KINDS_OF: dict[tuple[str, str], str] = {
    ("Query.node", "id"): "*",
    ("Mutation.markNotificationsRead", "ids"): "Notification",
    ("UpdateTenantInput", "id"): "Tenant",
    ("RevokeRoleInput", "id"): "RoleGrant",
    ("RevokeApiTokenInput", "id"): "ApiToken",
    ("UserIdInput", "id"): "User",
    ("EndSessionInput", "id"): "BrowserSession",
    ("UpdateTemplateDraftInput", "id"): "Template",
    ("PublishTemplateInput", "id"): "Template",
    ("ArchiveTemplateInput", "id"): "Template",
    ("NewTemplateVersionInput", "id"): "Template",
    ("ImportTemplateInput", "id"): "Template",
    ("ImportStandardInput", "id"): "Template",
}

# Strings that name a victim object, as an id would: a unit's code (``tenant(code:)``) and
# the search fields (each an optional probe of its own, like an optional id).
CODE_OF: set[tuple[str, str]] = {("Query.tenant", "code")}
PROBES = {"search"}

# Plausible values of scalars, by the argument's or input field's name, then by type.
STRINGS = {
    "itemCode": "1.1",
    "ruleCode": "V1",
    "username": "walk-nobody",
    "password": "walk-password",
    "code": "339999",
    "familyCode": "walk",
    "key": "title",
}
ENUMS = {"level": "COUNTY"}  # the victim cycle ranks counties (the first value: PROVINCE)
INTS = {"year": 2026, "cycles": 2, "limit": 5, "first": PAGE_SIZE, "fromVersion": 1}
SCALARS: dict[str, Any] = {
    "String": "walk",
    "Int": 1,
    "Float": 1.0,
    "Boolean": False,
    "Decimal": "1",
    "Date": "2026-06-01",
    "DateTime": "2026-06-01T08:00:00+08:00",
    "Time": "08:00:00",
    "JSON": {},
}


class Unbuildable(Exception):
    """A field the walk cannot call: its test fails, naming it."""


@dataclass
class Objects:
    """One object of every node type of the victim province (and of the walker's own, where
    it has one), as global ids, with the version a mutation must name to change it."""

    victim: dict[str, str]
    own: dict[str, str]
    versions: dict[str, int]
    unit_code: str  # the victim unit's (of the Tenant in ``victim``)

    def gid(self, kind: str, own: bool = False) -> tuple[str, bool]:
        """An object of ``kind``: the walker's own if asked and it has one, else the victim's;
        and whether it is the walker's."""
        if own and kind in self.own:
            return self.own[kind], True
        if kind not in self.victim:
            raise Unbuildable(f"no {kind} of the victim in the demo")
        return self.victim[kind], False


def _is_node(schema: GraphQLSchema, kind: str) -> bool:
    named = schema.type_map.get(kind)
    return isinstance(named, GraphQLObjectType) and any(i.name == "Node" for i in named.interfaces)


@dataclass
class Call:
    """One operation: a root field with its arguments (as variables) and a selection."""

    root: str  # "query" or "mutation"
    field: str
    variant: str  # what the arguments are: "required", "+filter.nodeId", "node:Cycle" ...
    document: str
    variables: dict[str, Any]
    files: dict[str, tuple[bytes, str, str]]  # variable path -> (bytes, name, content type)
    sent: set[str]  # the victim's ids the call sends (an answer may repeat them)
    data_key: str = ""  # where its answer is in `data` (the field's name, or "node")

    @property
    def key(self) -> str:
        return self.data_key or self.field

    @property
    def name(self) -> str:
        return f"{self.root} {self.field} [{self.variant}]"


def _non_null(t: Any) -> bool:
    return isinstance(t, GraphQLNonNull)


def _inner(t: Any) -> Any:
    return t.of_type if isinstance(t, GraphQLNonNull) else t


def _is_list(t: Any) -> bool:
    return isinstance(_inner(t), GraphQLList)


def id_kind(owner: str, name: str) -> str:
    kind = ID_KINDS_OF.get((owner, name)) or ID_KINDS.get(name)
    if kind is None:
        raise Unbuildable(f"{owner}.{name}: which node type its ID names is not known")
    return kind


# --- arguments -------------------------------------------------------------------------------


def optional_id_paths(schema: GraphQLSchema, owner: str, args: dict[str, Any]) -> list[str]:
    """Paths ("filter.nodeId") of every ID a call may send but need not (optional arguments,
    optional input fields, fields of optional input objects), a few levels deep."""
    out: list[str] = []

    def walk(fields: dict[str, Any], owner_name: str, prefix: str, optional: bool, depth: int):
        for name, f in fields.items():
            named = get_named_type(f.type)
            is_optional = optional or not _non_null(f.type)
            if (named.name == "ID" or name in PROBES) and is_optional:
                out.append(prefix + name)
            elif isinstance(named, GraphQLInputObjectType) and depth < 3:
                walk(named.fields, named.name, f"{prefix}{name}.", is_optional, depth + 1)

    walk(args, owner, "", False, 0)
    return out


@dataclass
class Plan:
    """How to fill one call's arguments: which optional ids to send, which ids are the
    walker's own (the others name victim objects), and node(id:)'s type."""

    objects: Objects
    optional: set[str] = field(default_factory=set)
    own_paths: set[str] = field(default_factory=set)
    any_kind: str | None = None
    sent: set[str] = field(default_factory=set)
    files: dict[str, tuple[bytes, str, str]] = field(default_factory=dict)
    id_paths: list[str] = field(default_factory=list)  # every id filled, in order


def _wanted(path: str, plan: Plan) -> bool:
    return any(p == path or p.startswith(path + ".") for p in plan.optional)


def fill_args(owner: str, args: dict[str, Any], plan: Plan, upload: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, arg in args.items():
        value = _fill(arg.type, name, owner, name, plan, 0, upload, name)
        if value is not Undefined:
            values[name] = value
    return values


def _fill(t, name, owner, path, plan: Plan, depth, upload, var_path) -> Any:
    required = _non_null(t)
    named = get_named_type(t)
    if named.name == "ID":
        if not required and path not in plan.optional:
            return Undefined
        kind = id_kind(owner, name)
        if kind == "*":
            kind = plan.any_kind or "Tenant"
        gid, own = plan.objects.gid(kind, own=path in plan.own_paths)
        if not own:
            plan.sent.add(gid)
        plan.id_paths.append(path)
        return [gid] if _is_list(t) else gid
    if (owner, name) in CODE_OF or (name in PROBES and path in plan.optional):
        plan.sent.add(plan.objects.unit_code)
        return plan.objects.unit_code
    if not required and not _wanted(path, plan):
        return Undefined
    if _is_list(t):
        if depth >= 2 and not isinstance(named, GraphQLScalarType | GraphQLEnumType):
            return []
        item = _fill(_inner(t).of_type, name, owner, path, plan, depth + 1, upload, f"{var_path}.0")
        return [] if item is Undefined else [item]
    if isinstance(named, GraphQLInputObjectType):
        out = {}
        for fname, f in named.fields.items():
            value = _fill(
                f.type, fname, named.name, f"{path}.{fname}", plan, depth + 1, upload,
                f"{var_path}.{fname}",
            )  # fmt: skip
            if value is not Undefined:
                out[fname] = value
        if "expectedVersion" in named.fields:
            ids = [v for k, v in out.items() if isinstance(v, str) and k != "expectedVersion"]
            version = next((plan.objects.versions[i] for i in ids if i in plan.objects.versions), 0)
            out["expectedVersion"] = version
        return out
    if isinstance(named, GraphQLEnumType):
        return ENUMS.get(name) if ENUMS.get(name) in named.values else next(iter(named.values))
    if named.name == "Upload":
        plan.files[var_path] = _file(name, upload)
        return None
    if named.name == "String":
        return STRINGS.get(name, SCALARS["String"])
    if named.name == "Int":
        return INTS.get(name, SCALARS["Int"])
    if named.name not in SCALARS:
        raise Unbuildable(f"{owner}.{name}: no value for the scalar {named.name}")
    return SCALARS[named.name]


def _file(name: str, upload: str) -> tuple[bytes, str, str]:
    """A small file of the kind the field takes: a workbook it can read for imports (so that
    the ids it names are what decides), a picture for a logo, a PDF for evidence."""
    if name == "logo":
        return PNG, "logo.png", "image/png"
    if "ImportTemplateInput" in upload:
        from dataclasses import replace

        from scoring.templates.excel import export_template
        from tests.factories.templates import sample_content

        # Titled "walk": the sample's title names Zhejiang, which answers must not.
        content = replace(sample_content(), title="walk")
        return export_template(content), "template.xlsx", XLSX
    if "Standard" in upload:
        from tests.factories.standards import office_workbook

        return office_workbook(), "standard.xlsx", XLSX
    if "Import" in upload:
        return small_workbook(), "walk.xlsx", XLSX
    return PDF, "walk.pdf", "application/pdf"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
)


def small_workbook() -> bytes:
    """A workbook of one sheet and two rows."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["代码", "名称", "分值"])
    book.active.append(["1.1", "walk", 1])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- selections ------------------------------------------------------------------------------


def _leaf(t: Any) -> bool:
    return isinstance(get_named_type(t), GraphQLScalarType | GraphQLEnumType)


def _callable(f: GraphQLField) -> bool:
    return not any(_non_null(a.type) and a.default_value is Undefined for a in f.args.values())


def _args(f: GraphQLField) -> str:
    return f"(first: {PAGE_SIZE})" if "first" in f.args else ""


def selection(
    schema: GraphQLSchema,
    t: Any,
    levels: int,
    kind: str | None = None,
    skip: frozenset[tuple[str, str]] = frozenset(),
) -> str:
    """Every scalar leaf of ``t`` (without required arguments), and its object fields'
    ``levels`` deep; an interface's own leaves, and ``kind``'s through a fragment (fragments
    on every possible type would conflict: their fields share names, not types); none of the
    (type, field) pairs in ``skip``."""
    named = get_named_type(t)
    if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
        parts = ["__typename"]
        if isinstance(named, GraphQLInterfaceType):
            parts += [n for n, f in named.fields.items() if _leaf(f.type) and _callable(f)]
        if kind is not None:
            inner = selection(schema, schema.get_type(kind), levels)
            parts.append(f"... on {kind} {{ {inner} }}")
        return " ".join(parts)
    assert isinstance(named, GraphQLObjectType), named
    parts = []
    for name, f in named.fields.items():
        if not _callable(f) or (named.name, name) in skip:
            continue
        if _leaf(f.type):
            parts.append(name + _args(f))
        elif levels > 0:
            inner = selection(schema, f.type, levels - 1, skip=skip)
            if inner:
                parts.append(f"{name}{_args(f)} {{ {inner} }}")
    return " ".join(parts)


def cost(schema: GraphQLSchema, document: str, variables: dict[str, Any]) -> int:
    """What the API's query cost makes of a document."""
    return operation_cost(schema, parse(document), None, variables)


def tokens(document: str) -> int:
    lexer = Lexer(Source(document))
    count = 0
    while lexer.advance().kind is not TokenKind.EOF:
        count += 1
    return count


# --- calls -----------------------------------------------------------------------------------


def build_call(
    schema: GraphQLSchema, root: str, name: str, f: GraphQLField, plan: Plan, variant: str
) -> Call:
    owner = f"{root.capitalize()}.{name}"
    input_names = "".join(get_named_type(a.type).name for a in f.args.values())
    values = fill_args(owner, f.args, plan, input_names + name)
    params = ", ".join(f"${a}: {f.args[a].type}" for a in values)
    call_args = ", ".join(f"{a}: ${a}" for a in values)
    if "first" in f.args and "first" not in values:
        call_args = ", ".join(x for x in (call_args, f"first: {PAGE_SIZE}") if x)
    head = f"{root} Walk({params})" if params else f"{root} Walk"
    head_field = f"{name}({call_args})" if call_args else name
    for levels in range(LEVELS, -1, -1):
        inner = "" if _leaf(f.type) else selection(schema, f.type, levels, plan.any_kind)
        body = f"{head_field} {{ {inner} }}" if inner else head_field
        document = f"{head} {{ {body} }}"
        if tokens(document) <= MAX_TOKENS and cost(schema, document, values) <= MAX_COST:
            break
    else:
        raise Unbuildable(f"{owner}: no selection fits in {MAX_TOKENS} tokens, {MAX_COST} points")
    files = {f"variables.{path}": file for path, file in plan.files.items()}
    for path in plan.files:
        _clear(values, path.split("."))
    return Call(root, name, variant, document, values, files, set(plan.sent))


def _clear(values: Any, path: list[str]) -> None:
    for step in path[:-1]:
        values = values[int(step)] if isinstance(values, list) else values[step]
    last = path[-1]
    if isinstance(values, list):
        values[int(last)] = None
    else:
        values[last] = None


def calls_of(
    schema: GraphQLSchema, root: str, name: str, f: GraphQLField, objects: Objects, *, mixed: bool
) -> list[Call]:
    """The calls of one field: its required arguments, every id naming a victim object; then
    each optional id besides, one at a time; node(id:) once per node type. With ``mixed``
    (a signed-in walker), in those extra calls and in one more per required id, only that id
    names the victim's object, the other required ones the walker's own (where it has one of
    that type): moving its own unit under the victim's, say."""
    owner = f"{root.capitalize()}.{name}"
    if any(ID_KINDS_OF.get((owner, a)) == "*" for a in f.args):
        return [
            build_call(schema, root, name, f, Plan(objects, any_kind=kind), kind)
            for kind in sorted(objects.victim)
            if _is_node(schema, kind)  # a browser session's id is no node's
        ]
    base = Plan(objects)
    calls = [build_call(schema, root, name, f, base, "required")]
    required = list(base.id_paths)
    extra = [(path, {path}) for path in optional_id_paths(schema, owner, f.args)]
    if mixed and len(required) > 1:
        extra += [(path, set()) for path in required]
    for path, optional in extra:
        own = set(required) - {path} if mixed else set()
        label = f"+{path}" if optional else f"victim {path}"
        if mixed and own:
            label += ", own " + ", ".join(sorted(own))
        call = build_call(schema, root, name, f, Plan(objects, optional, own), label)
        if all(call.variables != c.variables for c in calls):
            calls.append(call)
    return calls


NESTED = "node>"  # the name of a nested field the walk reaches through node(id:)


def nested_fields(schema: GraphQLSchema) -> dict[str, tuple[str, GraphQLField]]:
    """Fields below the root taking an ID argument, or a required one (no selection can
    include them without arguments): by their walk name ("node>ActionPlan.statistics")."""
    out = {}
    node = schema.get_type("Node")
    node_types = {t.name for t in schema.get_possible_types(node)} if node else set()
    for type_name, t in schema.type_map.items():
        if not isinstance(t, GraphQLObjectType) or type_name.startswith("__"):
            continue
        if t in (schema.query_type, schema.mutation_type):
            continue
        for fname, f in t.fields.items():
            if any(get_named_type(a.type).name == "ID" for a in f.args.values()) or not _callable(
                f
            ):
                key = f"{NESTED}{type_name}.{fname}"
                out[key] = (type_name, f) if type_name in node_types else ("", f)
    return out


def nested_calls(
    schema: GraphQLSchema,
    key: str,
    type_name: str,
    f: GraphQLField,
    objects: Objects,
    *,
    mixed: bool,
) -> list[Call]:
    """``node(id:) { ... on Type { field(args) } }`` on the victim's object of the type and,
    with ``mixed``, on the walker's own: with the required arguments, then each optional id
    besides (a victim's object)."""
    if not type_name:
        raise Unbuildable(f"{key}: not on a node type, so the walk cannot reach it")
    fname = key.rsplit(".", 1)[1]
    owner = f"{type_name}.{fname}"
    holders = [("victim's", objects.gid(type_name)[0])]
    if mixed and type_name in objects.own:
        holders.append(("own", objects.own[type_name]))
    calls = []
    for holder_label, holder in holders:
        for optional in [set(), *({p} for p in optional_id_paths(schema, owner, f.args))]:
            plan = Plan(objects, optional)
            values = fill_args(owner, f.args, plan, fname)
            params = ", ".join(["$id: ID!", *(f"${a}: {f.args[a].type}" for a in values)])
            call_args = ", ".join(f"{a}: ${a}" for a in values)
            head = f"{fname}({call_args})" if call_args else fname
            variables = {"id": holder, **values}
            for levels in range(LEVELS, -1, -1):
                inner = "" if _leaf(f.type) else selection(schema, f.type, levels)
                body = f"{head} {{ {inner} }}" if inner else head
                document = (
                    f"query Walk({params}) {{ node(id: $id) {{ __typename ... on {type_name} "
                    f"{{ {body} }} }} }}"
                )
                if tokens(document) <= MAX_TOKENS and cost(schema, document, variables) <= MAX_COST:
                    break
            else:
                raise Unbuildable(f"{key}: no selection fits")
            sent = plan.sent | ({holder} if holder_label == "victim's" else set())
            variant = f"{holder_label} {type_name}" + "".join(f", +{p}" for p in optional)
            calls.append(Call("query", key, variant, document, variables, {}, sent, "node"))
    return calls


def walk_calls(
    schema: GraphQLSchema, objects: Objects, *, mixed: bool
) -> tuple[list[Call], dict[str, str]]:
    """Every call of every Query and Mutation field, and of every nested field taking ids or
    required arguments; and the fields that cannot be called (field -> why)."""
    calls: list[Call] = []
    unbuildable: dict[str, str] = {}
    for root, root_type in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        if root_type is None:
            continue
        for name, f in root_type.fields.items():
            try:
                calls.extend(calls_of(schema, root, name, f, objects, mixed=mixed))
            except Unbuildable as exc:
                unbuildable[f"{root} {name}"] = str(exc)
    for key, (type_name, f) in nested_fields(schema).items():
        try:
            calls.extend(nested_calls(schema, key, type_name, f, objects, mixed=mixed))
        except Unbuildable as exc:
            unbuildable[f"query {key}"] = str(exc)
    return calls, unbuildable


def fields_of(schema: GraphQLSchema) -> list[str]:
    """The fields the walk must call: every root field, and the nested ones of
    ``nested_fields``."""
    return [
        f"{root} {name}"
        for root, t in (("query", schema.query_type), ("mutation", schema.mutation_type))
        if t is not None
        for name in t.fields
    ] + [f"query {key}" for key in nested_fields(schema)]


def execute(gql, call: Call) -> dict[str, Any]:
    """Send a call as JSON, or as a GraphQL multipart request when it uploads files."""
    if not call.files:
        return gql.execute(call.document, call.variables)
    form: dict[str, Any] = {
        "operations": json.dumps({"query": call.document, "variables": call.variables}),
        "map": json.dumps({str(i): [path] for i, path in enumerate(call.files)}),
    }
    for i, (data, filename, content_type) in enumerate(call.files.values()):
        form[str(i)] = (io.BytesIO(data), filename, content_type)
    headers = {"X-CSRF-Token": gql.csrf_token} if gql.csrf_token else {}
    response = gql.http.post(
        "/graphql", data=form, content_type="multipart/form-data", headers=headers
    )
    # Without credentials an upload is refused before it is read (401, UNAUTHENTICATED).
    expected = 200 if gql.csrf_token or gql.bearer else 401
    assert response.status_code == expected, (call.name, response.status_code, response.data[:300])
    return response.get_json()


# --- what must not show ----------------------------------------------------------------------


def global_ids(
    session: Session, node_types: Iterable[type], customer_id: int
) -> dict[str, set[str]]:
    """type name -> the global ids of every row of the province, for every node type."""
    from strawberry.relay import GlobalID
    from strawberry.types import get_object_definition

    out: dict[str, set[str]] = {}
    for node_type in node_types:
        name = get_object_definition(node_type, strict=True).name
        model = node_type.model
        ids = session.scalars(select(model.id).where(model.customer_id == customer_id)).all()
        out[name] = {str(GlobalID(name, str(i))) for i in ids}
    return out


@dataclass
class Secrets:
    """What the walker must never read of the victim: codes (whole words), names and titles
    (anywhere in a string), global ids (whole tokens)."""

    codes: set[str]
    names: set[str]
    ids: set[str]

    def found(self, answer: Any, sent: set[str]) -> list[str]:
        """Every secret in an answer, but the ids the call sent."""
        strings = list(_strings(answer))
        hits: set[str] = set()
        for s in strings:
            for token in re.findall(r"[A-Za-z0-9+/=_-]+", s):
                if token in self.ids and token not in sent:
                    hits.add(f"id {token} ({_decode(token)})")
                if token in self.codes and token not in sent:
                    hits.add(f"code {token}")
                decoded = _decode(token)
                if decoded and token not in sent and _reencode(decoded) in self.ids - sent:
                    hits.add(f"id {token} ({decoded})")
            for name in self.names:
                if name in s:
                    hits.add(f"name {name!r}")
        return sorted(hits)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _decode(token: str) -> str | None:
    try:
        decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode()
    except Exception:
        return None
    return decoded if re.fullmatch(r"[A-Za-z]+:\d+", decoded) else None


def _reencode(decoded: str) -> str:
    return base64.b64encode(decoded.encode()).decode()


NAME_COLUMNS = {
    "tenant_node": ("name_zh", "name_en"),
    "app_user": ("username", "display_name"),
    "template_family": ("code", "name"),
    "template": ("title",),
    "cycle": ("name",),
    "accident": ("title",),
    "hazard": ("title", "place"),
    "action_plan": ("title",),
    "responsibility_statement": ("title", "enterprise"),
    "notification": ("title",),
    "spot_check_finding": ("finding",),
    "veto_flag": ("reason",),
    "assessment_group": ("name",),
}


def secrets_of(
    session: Session, metadata: MetaData, victim: int, walker: int, ids: set[str]
) -> Secrets:
    """The victim's unit codes, names and titles (but those the walker's province has too, and
    very short ones), and its objects' global ids."""

    def column_values(table: str, column: str, customer: int) -> set[str]:
        t = metadata.tables[table]
        rows = session.execute(select(t.c[column]).where(t.c.customer_id == customer))
        return {v for (v,) in rows if isinstance(v, str)}

    codes = column_values("tenant_node", "code", victim)
    names: set[str] = set()
    mine: set[str] = set()
    for table, columns in NAME_COLUMNS.items():
        for column in columns:
            names |= column_values(table, column, victim)
            mine |= column_values(table, column, walker)
    names = {n.strip() for n in names if len(n.strip()) >= 3} - mine
    return Secrets(codes=codes, names=names, ids=ids)


# --- the database, before and after --------------------------------------------------------


def snapshot(
    engine: Engine, metadata: MetaData, *, but_customer: int | None = None
) -> dict[str, tuple[int, str]]:
    """Per table, its row count and a hash of its rows (of every province but ``but_customer``:
    the walker's own writes may change its province); web sessions but the walker's; the audit
    log's system chain (failed sign-ins of nobody's username) not at all."""
    out: dict[str, tuple[int, str]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            query = select(table)
            if but_customer is not None and "customer_id" in table.c:
                query = query.where(table.c.customer_id != but_customer)
            if table.name == "audit_entry":
                query = query.where(table.c.customer_id.is_not(None))
            if table.name == "audit_chain":
                query = query.where(table.c.chain.not_in([0, but_customer or 0]))
            if table.name == "web_session" and but_customer is not None:
                users = metadata.tables["app_user"]
                walkers = select(users.c.id).where(users.c.customer_id == but_customer)
                query = query.where(table.c.user_id.not_in(walkers))  # its own sign-ins
            pk = list(table.primary_key.columns)
            rows = conn.execute(query.order_by(*pk)).all()
            digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
            out[table.name] = (len(rows), digest)
    return out


def changed(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    return [
        f"{name}: {before[name][0]} -> {after[name][0]} rows"
        + ("" if before[name][0] != after[name][0] else " (rows changed)")
        for name in before
        if before[name] != after[name]
    ]


def cross_references(engine: Engine, metadata: MetaData) -> list[str]:
    """Rows of one province pointing, by a foreign key, at a row of another."""
    out = []
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if "customer_id" not in table.c:
                continue
            for fk in table.foreign_keys:
                parent = fk.column.table
                if "customer_id" not in parent.c or fk.parent.name == "customer_id":
                    continue
                child_alias, parent_alias = table.alias("c"), parent.alias("p")
                count = conn.execute(
                    select(text("count(*)"))
                    .select_from(child_alias)
                    .join(
                        parent_alias,
                        child_alias.c[fk.parent.name] == parent_alias.c[fk.column.name],
                    )
                    .where(child_alias.c.customer_id != parent_alias.c.customer_id)
                ).scalar_one()
                if count:
                    out.append(f"{table.name}.{fk.parent.name} -> {parent.name}: {count}")
    return out


def model_version(row: Any) -> int | None:
    columns = inspect(type(row)).columns
    for name in ("lock_version", "version"):
        if name in columns:
            return getattr(row, name)
    return None
