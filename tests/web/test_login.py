"""Logging in and out, and how passwords are stored."""

from django.contrib.auth.hashers import identify_hasher

from tests.conftest import PASSWORD


def test_log_in_with_the_right_password(client, people):
    response = client.post("/login/", {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200


def test_a_wrong_password_says_so_and_logs_no_one_in(client, people):
    response = client.post("/login/", {"username": "anna", "password": "wrong password"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert client.get("/me/").status_code == 302


def test_a_username_longer_than_any_is_refused_before_logging_in(client, people):
    response = client.post("/login/", {"username": "x" * 300, "password": PASSWORD})
    assert response.status_code == 200  # the form again, not a server error on PostgreSQL
    assert "correct username and password" in response.content.decode()
    token = client.post(
        "/api/auth/token",
        {"username": "x" * 300, "password": PASSWORD},
        content_type="application/json",
    )
    assert token.status_code == 422
    assert token.json()["field"] == "username"


def test_log_out_needs_a_post(client, people):
    client.force_login(people.anna.user)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/me/").status_code == 302


def test_passwords_are_hashed_with_argon2(db, settings):
    from lowdose.web.accounts.models import User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = User(username="new", role="admin")
    user.set_password(PASSWORD)
    assert identify_hasher(user.password).algorithm == "argon2"


def test_the_production_settings_put_argon2_first():
    from lowdose.web import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_pages_carry_security_headers(client, people):
    response = client.get("/login/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def _fail_log_in(client, times, username="anna"):
    for _ in range(times):
        client.post("/login/", {"username": username, "password": "wrong password"})


def test_five_wrong_passwords_lock_the_username_from_that_address(client, people):
    _fail_log_in(client, 5)
    response = client.post("/login/", {"username": "anna", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert client.get("/me/").status_code == 302  # not logged in


def test_four_wrong_passwords_do_not(client, people):
    _fail_log_in(client, 4)
    response = client.post("/login/", {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302


def test_another_address_is_not_locked_out(client, people):
    _fail_log_in(client, 5)
    response = client.post(
        "/login/", {"username": "anna", "password": PASSWORD}, REMOTE_ADDR="10.9.8.7"
    )
    assert response.status_code == 302


def test_the_api_token_endpoint_locks_with_a_json_answer(client, people):
    body = {"username": "nora", "password": "wrong password"}
    statuses = [
        client.post("/api/auth/token", body, content_type="application/json").status_code
        for _ in range(5)
    ]
    assert statuses == [401, 401, 401, 401, 429]  # the fifth failure locks
    body["password"] = PASSWORD
    response = client.post("/api/auth/token", body, content_type="application/json")
    assert response.status_code == 429
    assert response.json()["detail"] == "Too many failed log-ins; try again in 15 minutes."
