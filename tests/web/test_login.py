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
