"""Access beyond the matrix: a denied record looks missing, each role has its own home page."""

import pytest

# Who may open which page, for every route and person, is in access_matrix.yaml and checked by
# test_access_matrix.py; these tests cover what a matrix of status codes cannot say.


def _user(people, name):
    person = getattr(people, name)
    return getattr(person, "user", person)


def test_a_missing_patient_looks_like_a_forbidden_one(client, people):
    client.force_login(people.sam)
    forbidden = client.get(f"/patients/{people.anna.pk}/")
    missing = client.get("/patients/999999/")
    assert forbidden.status_code == missing.status_code == 404


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("anna", "/me/"),
        ("nora", "/dashboard/"),
        ("phil", "/pharmacy/"),
        ("rita", "/research/"),
        ("ada", "/admin/"),
    ],
)
def test_home_sends_each_role_to_its_own_page(client, people, name, target):
    client.force_login(_user(people, name))
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == target


@pytest.mark.parametrize("name", ["anna", "nora", "phil", "rita"])
def test_only_administrators_reach_the_admin_site(client, people, name):
    client.force_login(_user(people, name))
    assert client.get("/admin/").status_code == 302  # Django admin's own log-in page


def test_administrators_reach_the_admin_site(client, people):
    client.force_login(people.ada)
    assert client.get("/admin/").status_code == 200


def test_inactive_users_see_nothing(client, people):
    people.anna.user.is_active = False
    people.anna.user.save()
    client.force_login(people.anna.user)
    assert client.get("/me/").status_code in (302, 404)


def test_the_old_patient_list_address_leads_to_the_dashboard(client, people):
    client.force_login(people.nora)
    response = client.get("/patients/?q=archer")
    assert response.url == "/dashboard/?q=archer"


def test_the_researcher_sees_counts_but_no_names(client, people):
    client.force_login(people.rita)
    page = client.get("/research/").content.decode()
    assert "POTS" in page
    assert "Anna" not in page
    assert "N-1" not in page
