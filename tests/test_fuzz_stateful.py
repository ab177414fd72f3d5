"""Schemathesis, stateful: sequences of calls chained through the OpenAPI links of the app's own
document (create -> read -> change -> delete, the change and the delete with the ETag of the
answer before them in If-Match), on SQLite and Postgres, through the ASGI app with the test's
session and a writer key. No answer is a 5xx, and every answer is one the document describes.

One state machine per resource (its create, read, change and delete), each scenario on the same
database (a savepoint rolled back after it); generated foreign keys name rows that exist, so that
creates succeed and the links have something to follow. Bounded and reproducible: a fixed number
of derandomized scenarios of a fixed number of steps. The test also proves the links are
followed: a read (200) and a delete (204, so with the right ETag) through them, per resource.
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.transport import Response
from schemathesis.specs.openapi import checks as oa
from sqlmodel import Session

from app.api.deps import get_session
from app.db import unit_of_work
from app.main import app
from app.settings import get_settings
from test_fuzz import CHECKS as STATELESS_CHECKS

# only the links the document declares: no links inferred from ids in bodies (the documented
# `[phases.stateful.inference] algorithms = []`), so the steps go where the test looks
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", app, config=SchemathesisConfig.from_dict(
    {"phases": {"stateful": {"inference": {"algorithms": []}}}}))
# the stateless run's checks, but negative-data rejection: a state machine sends valid data
CHECKS = [check for check in STATELESS_CHECKS if check is not oa.negative_data_rejection]
SCENARIOS, STEPS = 25, 8  # per resource, per database: about 2 s each


def documented_links() -> set[tuple[str, str]]:
    doc = app.openapi()
    return {(f"{method.upper()} {path}", name) for path, ops in doc["paths"].items() for method, op in ops.items()
            for answer in op["responses"].values() for name in answer.get("links", {})}


def test_every_create_links_to_read_change_and_delete():
    found = documented_links()
    creates = [f"POST {path}" for path, ops in app.openapi()["paths"].items() if "post" in ops]
    assert len(creates) >= 9
    for create in creates:
        name = app.openapi()["paths"][create.split()[1]]["post"]["operationId"].removeprefix("create_")
        wanted = {f"get_{name}"} if name == "article" else {f"{v}_{name}" for v in ("get", "update", "delete")}
        assert wanted <= {link for source, link in found if source == create}, create


RESOURCES = sorted(op["operationId"].removeprefix("create_") for ops in app.openapi()["paths"].values()
                   for method, op in ops.items() if method == "post")
FOREIGN = {"process_id": "process", "round_id": "round", "party_id": "party", "person_id": "person",
           "place_id": "place", "country_id": "place"}
REAL: dict[str, int] = {}  # kind -> the id of a row the test made, for the bodies' foreign keys


@SCHEMA.hook
def map_body(context, body):
    """A generated foreign key (an integer) names a row that exists, so that creates succeed and
    the links after them have something to follow; keys of the wrong type stay as generated."""
    def real(value, key=""):
        if isinstance(value, dict):
            return {k: real(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [real(v, key) for v in value]
        kind = next((kind for suffix, kind in FOREIGN.items() if key.endswith(suffix)), None)
        if key == "member_ids":
            kind = "person"
        if kind and isinstance(value, int) and not isinstance(value, bool):
            return REAL[kind]
        return value

    return real(body)


@pytest.fixture
def real_rows(client, writer, monkeypatch) -> dict[str, int]:
    monkeypatch.setattr(get_settings(), "write_burst", 1_000_000)  # the rate limit is tested elsewhere
    made = {}
    for kind, path, body in [("process", "/processes", {"name_en": "Astana talks"}),
                             ("party", "/parties", {"name_en": "Russia"}),
                             ("place", "/places", {"name_en": "Astana"})]:
        made[kind] = client.post(path, json=body, headers=writer).json()["id"]
    made["person"] = client.post("/persons", json={"name_en": "Lavrentiev", "party_id": made["party"]},
                                 headers=writer).json()["id"]
    made["round"] = client.post("/rounds", json={"process_id": made["process"], "number": 6},
                                headers=writer).json()["id"]
    REAL.update(made)
    yield made
    REAL.clear()


@pytest.mark.parametrize("resource", RESOURCES)
def test_schemathesis_stateful(resource, client, writer, session, real_rows):
    """create -> read -> change -> delete of one resource, through the document's links."""
    followed: Counter[tuple[str, str, int]] = Counter()  # (operation, link, status) of each step through a link
    connection = session.bind  # the test's connection, inside the transaction rolled back after the test
    crud = SCHEMA.include(operation_id=[f"{verb}_{resource}" for verb in ("create", "get", "update", "delete")])

    class Workflow(crud.as_state_machine()):
        """Each scenario starts from the same database (a savepoint rolled back after it): the
        same draws give the same answers, as Hypothesis requires, and the run is reproducible."""

        def setup(self):
            self.savepoint = connection.begin_nested()
            self.session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)

            def scenario_session():
                with unit_of_work(self.session):  # the request's commit point, as in get_session
                    yield self.session

            app.dependency_overrides[get_session] = scenario_session  # the client fixture clears it

        def teardown(self):
            self.session.close()
            self.savepoint.rollback()

        def step(self, input):
            output = super().step(input)
            # a link of the document (schemathesis infers others), whose values were used
            if input.transition is not None and not input.transition.is_inferred and input.is_applied:
                followed[(input.case.operation.label, input.transition.id, output.response.status_code)] += 1
            return output

        def call(self, case, **kwargs):
            request = case.as_transport_kwargs(base_url="http://testserver")
            headers = {k: v for k, v in request.pop("headers").items() if k.lower() != "authorization"}
            if "data" in request:  # requests' name for a raw body
                request["content"] = request.pop("data")
            request.pop("cookies", None)
            return Response.from_any(client.request(headers={**headers, **writer}, **request))

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    Workflow.run(settings=settings(max_examples=SCENARIOS, stateful_step_count=STEPS, derandomize=True,
                                   deadline=None, database=None, phases=[Phase.generate],
                                   suppress_health_check=list(HealthCheck)))

    assert followed, f"no step went through a link of {resource}"
    # at least one success through a link: a read by the id it carried, or a change or a delete with
    # the ETag it carried in If-Match (which of them varies with the run; test_links_... shows each)
    assert any(200 <= status < 300 for _, _, status in followed), followed


MINIMAL = {"process": {"name_en": "Geneva"}, "place": {"name_en": "Sochi"}, "party": {"name_en": "Turkey"},
           "person": {"name_en": "de Mistura"}, "zone": {"name_en": "Idlib"}, "meeting": {"summary": "met"},
           "article": {"text": "The delegations met in Astana on Thursday.", "published": "2017-09-15"}}


def follow(link: dict, request_path: dict, response) -> tuple[dict, dict]:
    """The path parameters and headers a link names, from the answer it leaves (OpenAPI 3.1 §4.8.20)."""
    path, headers = {}, {}
    for target, expression in link["parameters"].items():
        where, name = target.split(".", 1)
        if expression.startswith("$response.body#/"):
            value = response.json()
            for part in expression.removeprefix("$response.body#/").split("/"):
                value = value[part]
        elif expression.startswith("$response.header."):
            value = response.headers[expression.removeprefix("$response.header.")]
        else:
            value = request_path[expression.removeprefix("$request.path.")]
        (path if where == "path" else headers)[name] = value
    return path, headers


@pytest.mark.parametrize("resource", RESOURCES)
def test_links_lead_from_create_to_read_change_and_delete(resource, client, writer, real_rows):
    """Each link of the document, followed by hand: create -> read; read -> change (If-Match from
    the read) -> change again (If-Match from the change) -> delete (If-Match from that change)."""
    doc = app.openapi()
    by_id = {op["operationId"]: (method.upper(), path) for path, ops in doc["paths"].items()
             for method, op in ops.items()}
    body = MINIMAL.get(resource) or {"round": {"process_id": real_rows["process"], "number": 7},
                                     "delegation": {"round_id": real_rows["round"], "party_id": real_rows["party"]}}[resource]

    def call(operation_id: str, path: dict, headers: dict, **kw):
        method, template = by_id[operation_id]
        return client.request(method, template.format(**path), headers={**headers, **writer}, **kw), path

    def links_of(operation_id: str, status: int) -> dict:
        method, template = by_id[operation_id]
        return doc["paths"][template][method.lower()]["responses"][str(status)]["links"]

    answer, request_path = call(f"create_{resource}", {}, {}, json=body)
    assert answer.status_code == 201, answer.text
    answer, request_path = call(f"get_{resource}", *follow(links_of(f"create_{resource}", 201)[f"get_{resource}"],
                                                           request_path, answer))
    assert answer.status_code == 200, answer.text
    for source in (f"get_{resource}", f"update_{resource}"):  # read -> change -> change again
        answer, request_path = call(f"update_{resource}", *follow(
            links_of(source, 200)[f"update_{resource}"], request_path, answer), json={})
        assert answer.status_code == 200, answer.text
    answer, request_path = call(f"delete_{resource}", *follow(
        links_of(f"update_{resource}", 200)[f"delete_{resource}"], request_path, answer))
    assert answer.status_code == 204, answer.text
