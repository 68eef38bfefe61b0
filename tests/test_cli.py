"""The `redline` command on a fresh SQLite file: schema, tenant import, users, schema export,
the GraphQL schema's changes and release."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner, Result
from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.orm import Session

from redline.cli import main
from redline.db import make_engine
from redline.demo.run import places_file
from tenants.audit import AuditEntry
from tenants.models import Customer, Role, RoleGrant, TenantNode, User

PLACES = places_file()


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def run(database: str):
    """Run `redline ...` with DATABASE_URL pointing at the test's own database file."""
    runner = CliRunner(env={"DATABASE_URL": database})

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(main, [str(a) for a in args], input=input)

    return invoke


@pytest.fixture
def engine(database: str) -> Iterator[Engine]:
    engine = make_engine(database)
    yield engine
    engine.dispose()


@pytest.fixture
def upgraded(run) -> None:
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.output


@pytest.fixture
def places(run, upgraded) -> None:
    result = run("tenants", "import", PLACES)
    assert result.exit_code == 0, result.output


def count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def assert_clean_failure(result: Result) -> None:
    """Exit code 1 through sys.exit, not an exception escaping with a traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


# --- db upgrade --------------------------------------------------------------------------------


def test_db_upgrade_creates_the_schema(run, engine, database):
    result = run("db", "upgrade")

    assert result.exit_code == 0, result.output
    assert result.stdout == "database at head\n"
    tables = set(inspect(engine).get_table_names())
    assert {"customer", "tenant_node", "app_user", "role_grant", "alembic_version"} <= tables
    assert count(engine, TenantNode) == 0
    # Running it again is harmless.
    assert run("db", "upgrade").exit_code == 0


# --- tenants import --------------------------------------------------------------------------


def test_tenants_import_creates_the_places(run, upgraded, engine):
    result = run("tenants", "import", PLACES)

    assert result.exit_code == 0, result.output
    assert result.stdout == "places.csv: 77 created, 0 updated, 0 unchanged\n"
    assert result.stderr == ""
    assert count(engine, TenantNode) == 77
    assert count(engine, Customer) == 3

    again = run("tenants", "import", PLACES)
    assert again.exit_code == 0, again.output
    assert again.stdout == "places.csv: 0 created, 0 updated, 77 unchanged\n"
    # One audit entry per province, on its root, naming what was created (none the second time).
    with Session(engine) as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        roots = {n.id: n.code for n in session.scalars(select(TenantNode))}
    assert sorted((e.action, roots[e.node_id]) for e in entries) == [
        ("importTenants", "210000"),
        ("importTenants", "330000"),
        ("importTenants", "510000"),
    ]
    assert sum(len(json.loads(e.details)["created"]) for e in entries) == 77


def test_tenants_import_of_a_bad_file_reports_every_row_and_saves_nothing(
    run, upgraded, engine, tmp_path
):
    lines = PLACES.read_text(encoding="utf-8").splitlines()
    lines.append("330402999,330499,测试镇,Test Town,township,town")  # row 79: unknown parent
    lines.append("330098,330000,测试镇,Test Town,township,town")  # row 80: under a province
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = run("tenants", "import", bad)

    assert_clean_failure(result)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: row 79, parent_code: unknown parent 330499: neither in the file nor already "
        "imported",
        "error: row 80, parent_code: a township cannot sit directly under a province "
        "(expected a city)",
        "Nothing was saved.",
    ]
    assert count(engine, TenantNode) == 0
    assert count(engine, Customer) == 0


def test_tenants_import_of_an_unreadable_file_fails_cleanly(run, upgraded, tmp_path):
    text = tmp_path / "places.txt"
    text.write_text("code\n", encoding="utf-8")

    result = run("tenants", "import", text)

    assert_clean_failure(result)
    assert result.stderr.splitlines() == [
        "error: file: places.txt: use a .csv or .xlsx file",
        "Nothing was saved.",
    ]


def test_tenants_import_of_a_missing_file_is_a_usage_error(run, upgraded, tmp_path):
    result = run("tenants", "import", tmp_path / "nowhere.csv")

    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_tenants_import_before_db_upgrade_fails_cleanly(run, engine):
    result = run("tenants", "import", PLACES)

    assert_clean_failure(result)
    assert "error: database:" in result.stderr
    assert "redline db upgrade" in result.stderr


# --- users create ------------------------------------------------------------------------------

CREATE = (
    "users",
    "create",
    "--username",
    "nanhu-clerk",
    "--node",
    "330402",
    "--display-name",
    "南湖区 clerk",
    "--role",
    "submitter",
    "--password",
    "correct horse",
)


def test_users_create(run, places, engine):
    result = run(*CREATE)

    assert result.exit_code == 0, result.output
    assert result.stdout == "created nanhu-clerk on 330402 (submitter)\n"
    with Session(engine) as session:
        user = session.scalars(select(User).where(User.username == "nanhu-clerk")).one()
        nanhu = session.scalars(select(TenantNode).where(TenantNode.code == "330402")).one()
        assert (user.node_id, user.customer_id) == (nanhu.id, nanhu.customer_id)
        assert user.display_name == "南湖区 clerk"
        assert PasswordHasher().verify(user.password_hash, "correct horse")
        grants = session.scalars(select(RoleGrant).where(RoleGrant.user_id == user.id)).all()
        assert [(g.role, g.node_id) for g in grants] == [(Role.SUBMITTER, nanhu.id)]


def test_users_create_with_several_roles(run, places, engine):
    result = run(
        *CREATE[:-2], "--role", "assessor", "--role", "viewer", "--password", "tea under pines"
    )

    assert result.exit_code == 0, result.output
    assert result.stdout == "created nanhu-clerk on 330402 (submitter, assessor, viewer)\n"
    assert count(engine, RoleGrant) == 3


def test_users_create_twice_fails_cleanly(run, places, engine):
    assert run(*CREATE).exit_code == 0

    result = run(*CREATE)

    assert_clean_failure(result)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: username: nanhu-clerk is taken",
        "Nothing was saved.",
    ]
    assert count(engine, User) == 1
    assert count(engine, RoleGrant) == 1


def test_users_create_on_an_unknown_node_fails_cleanly(run, places, engine):
    args = list(CREATE)
    args[args.index("330402")] = "999999"

    result = run(*args)

    assert_clean_failure(result)
    assert result.stdout == ""
    assert result.stderr.splitlines() == ["error: --node: no unit with code 999999"]
    assert count(engine, User) == 0


def test_users_create_with_bad_input_reports_every_problem(run, places, engine):
    result = run(
        "users", "create", "--username", "x", "--node", "330402", "--display-name", " ",
        "--password", "short",
    )  # fmt: skip

    assert_clean_failure(result)
    assert [line.split(":")[0:2] for line in result.stderr.splitlines()] == [
        ["error", " username"],
        ["error", " displayName"],
        ["error", " password"],
        ["Nothing was saved."],
    ]
    assert count(engine, User) == 0


def test_users_create_prompts_for_the_password(run, places, engine):
    result = run(*CREATE[:-2], input="correct horse\ncorrect horse\n")

    assert result.exit_code == 0, result.output
    assert "created nanhu-clerk on 330402" in result.stdout
    with Session(engine) as session:
        user = session.scalars(select(User)).one()
        assert PasswordHasher().verify(user.password_hash, "correct horse")


# --- export-schema -----------------------------------------------------------------------------


def test_users_create_refuses_an_easy_password(run, places, engine):
    result = run(*CREATE[:-2], "--password", "password123")

    assert_clean_failure(result)
    assert result.stderr.splitlines()[0].startswith("error: password: is too easy to guess")
    assert count(engine, User) == 0


def test_audit_verify_finds_the_log_intact_and_then_names_an_edited_entry(run, places, engine):
    assert run(*CREATE).exit_code == 0  # recorded: createUser, by the command

    intact = run("audit", "verify")
    assert intact.exit_code == 0, intact.output
    # The import's entry for each of the three provinces, and the user's creation.
    assert intact.stdout == "audit log: 4 entries in 3 chains, intact\n"

    with engine.begin() as db:  # an intruder with the file's rights
        db.execute(text("DROP TRIGGER audit_entry_no_update"))
        db.execute(text("UPDATE audit_entry SET actor_name = 'nobody' WHERE action = 'createUser'"))
    edited = run("audit", "verify")
    assert edited.exit_code == 1
    assert edited.stdout == "audit log: 4 entries in 3 chains, 1 problem(s)\n"
    (line,) = edited.stderr.splitlines()
    zhejiang = line.split(":")[0]
    assert zhejiang == "Zhejiang Province (330000)"
    assert ", entry #2 (id " in line and "edited: its content (createUser at" in line


def test_export_schema_prints_the_sdl(run, tmp_path):
    result = run("export-schema")

    assert result.exit_code == 0, result.output
    assert "type Tenant implements Node" in result.stdout
    assert "type Query" in result.stdout
    assert result.stdout.endswith("}\n")

    output = tmp_path / "schema.graphql"
    written = run("export-schema", "--output", output)
    assert written.exit_code == 0, written.output
    assert written.stdout == f"wrote {output}\n"
    assert output.read_text(encoding="utf-8") == result.stdout


# --- schema-changes, schema-release -------------------------------------------------------------

RELEASED_SDL = "type Query {\n  tenant(code: String!): String\n  level: Int\n}\n"
CHANGELOG = "# Changelog\n\n## Unreleased\n\n## 2026-12-04\n\n- The start.\n"


@pytest.fixture
def contract(tmp_path: Path) -> tuple[Path, Path]:
    """A released schema and a changelog of the test's own; the code's schema set with
    ``current``."""
    released = tmp_path / "released.graphql"
    released.write_text(RELEASED_SDL, encoding="utf-8")
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(CHANGELOG, encoding="utf-8")
    return released, changelog


def current(monkeypatch, sdl: str) -> None:
    monkeypatch.setattr("graphql_schema.export.schema_sdl", lambda: sdl)


def test_schema_changes_without_changes(run, contract, monkeypatch):
    released, changelog = contract
    current(monkeypatch, RELEASED_SDL)

    result = run("schema-changes", "--released", released, "--changelog", changelog)

    assert result.exit_code == 0, result.output
    assert result.stdout == "No changes to the released GraphQL schema.\n"


def test_schema_changes_lists_them_grouped_and_fails_on_unacknowledged_breaking(
    run, contract, monkeypatch
):
    released, changelog = contract
    current(monkeypatch, "type Query {\n  tenant(code: String!, year: Int): String\n}\n")

    result = run("schema-changes", "--released", released, "--changelog", changelog)

    assert_clean_failure(result)
    assert result.stdout == (
        "BREAKING (1):\n"
        "- BREAKING: Field Query.level was removed.\n"
        "\n"
        "DANGEROUS (1):\n"
        "- DANGEROUS: An optional argument Query.tenant(year:) was added.\n"
    )
    assert "note: 1 dangerous or safe change(s) not listed" in result.stderr
    assert "error: 1 breaking change(s)" in result.stderr
    assert "## Unreleased" in result.stderr
    assert result.stderr.rstrip().endswith("- BREAKING: Field Query.level was removed.")

    changelog.write_text(
        CHANGELOG.replace(
            "## Unreleased\n",
            "## Unreleased\n\n- BREAKING: Field Query.level was removed. Nobody read it.\n",
        ),
        encoding="utf-8",
    )
    acknowledged = run("schema-changes", "--released", released, "--changelog", changelog)
    assert acknowledged.exit_code == 0, acknowledged.output
    assert acknowledged.stdout == result.stdout


def test_schema_release_is_refused_while_a_breaking_change_is_unacknowledged(
    run, contract, monkeypatch
):
    released, changelog = contract
    current(monkeypatch, "type Query {\n  tenant(code: String!): String\n}\n")

    result = run("schema-release", "--released", released, "--changelog", changelog)

    assert_clean_failure(result)
    assert "- BREAKING: Field Query.level was removed." in result.stderr
    assert "Nothing was released." in result.stderr
    assert released.read_text(encoding="utf-8") == RELEASED_SDL
    assert changelog.read_text(encoding="utf-8") == CHANGELOG


def test_schema_release_dates_the_changelog_and_copies_the_schema(run, contract, monkeypatch):
    released, changelog = contract
    new = "type Query {\n  tenant(code: String!): String\n  level: Int\n  name: String\n}\n"
    current(monkeypatch, new)

    result = run(
        "schema-release", "--released", released, "--changelog", changelog, "--date", "2027-01-15"
    )

    assert result.exit_code == 0, result.output
    assert "- SAFE: Field Query.name was added." in result.stdout
    assert "released 1 change(s) as of 2027-01-15" in result.stdout
    assert released.read_text(encoding="utf-8") == new
    assert changelog.read_text(encoding="utf-8") == (
        "# Changelog\n\n## Unreleased\n\n## 2027-01-15\n\n- SAFE: Field Query.name was added.\n"
        "\n## 2026-12-04\n\n- The start.\n"
    )

    again = run("schema-release", "--released", released, "--changelog", changelog)
    assert again.exit_code == 0, again.output
    assert "nothing to release" in again.stdout
