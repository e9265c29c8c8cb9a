from familybridge.agencies.roles import Role
from tests.conftest import sign_in


def test_schema_is_served(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/families/" in response.content


def test_families_are_only_those_the_caller_may_see(client, agencies, family, make_user, assign):
    worker = make_user("w", agencies["cw"], Role.CASEWORKER)
    other = make_user("other", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    sign_in(client, worker)
    assert [f["name"] for f in client.get("/api/v1/families/").json()["results"]] == ["Rivera family"]
    sign_in(client, other)
    assert client.get("/api/v1/families/").json()["results"] == []


def test_api_needs_authentication(client, db):
    assert client.get("/api/v1/families/").status_code in {401, 403}


def test_paging_parameters_must_be_whole_numbers(client, agencies, family, make_user, assign):
    worker = make_user("w", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    sign_in(client, worker)
    assert client.get("/api/v1/families/?offset=abc").status_code == 400
    assert client.get("/api/v1/families/?limit=-1").status_code == 400
    assert client.get("/api/v1/families/?limit=1&offset=0").json()["count"] == 1
