"""The medication list: added and stopped by the clinician, screened on every change, shown to
the clinician and the patient with reasons and sources; unknown names are never called safe."""

import datetime as dt

import pytest

from lowdose.web.accounts.models import AuditEvent
from lowdose.web.courses.models import Medication
from lowdose.web.safety.models import PlannedEvent, Screening


def _add(client, patient, name, **extra):
    return client.post(f"/patients/{patient.pk}/medications/", {"name": name, **extra})


def test_adding_an_opioid_screens_the_list_as_contraindicated(client, people):
    client.force_login(people.nora)
    response = _add(client, people.ben, "Tramadol HCl 50mg tablets")
    assert response.status_code == 302
    screening = Screening.objects.filter(patient=people.ben).first()
    assert screening.verdict == "contraindicated"
    assert screening.created_by == people.nora
    assert screening.medications == ["Tramadol HCl 50mg tablets"]
    finding = screening.findings[0]
    assert finding["ingredients"] == ["tramadol"]
    assert finding["source"]
    assert AuditEvent.objects.filter(object_type="safety.screening", actor=people.nora).exists()
    assert AuditEvent.objects.filter(object_type="courses.medication", action="create").exists()

    page = client.get(f"/patients/{people.ben.pk}/").content.decode()
    assert "Contraindicated" in page
    assert "LDN cannot start or resume" in page
    assert "Source:" in page


def test_a_combination_product_resolves_to_its_ingredients(client, people):
    client.force_login(people.nora)
    _add(client, people.ben, "Percocet 5/325")
    finding = Screening.objects.filter(patient=people.ben).first().findings[0]
    assert finding["ingredients"] == ["oxycodone", "paracetamol"]


def test_an_unknown_medication_is_shown_as_unknown_never_as_safe(client, people):
    client.force_login(people.nora)
    _add(client, people.ben, "Zyxobrontal 10 mg")
    screening = Screening.objects.filter(patient=people.ben).first()
    assert screening.verdict == "caution"
    assert screening.unknown == ["Zyxobrontal 10 mg"]
    page = client.get(f"/patients/{people.ben.pk}/").content.decode()
    assert "Unknown" in page
    assert "not</strong> known to be safe" in page


def test_a_misspelling_is_a_probable_match_with_did_you_mean(client, people):
    client.force_login(people.nora)
    _add(client, people.ben, "oxycodon")
    page = client.get(f"/patients/{people.ben.pk}/").content.decode()
    assert "probable match" in page
    assert "did you mean oxycodone" in page


def test_stopping_the_opioid_screens_again_and_clears_the_block(client, people, today):
    client.force_login(people.nora)
    _add(client, people.ben, "Tramadol 50 mg")
    tramadol = Medication.objects.get(patient=people.ben, name="Tramadol 50 mg")
    response = client.post(
        f"/patients/{people.ben.pk}/medications/{tramadol.pk}/stop/",
        {"stopped_on": today.isoformat()},
    )
    assert response.status_code == 302
    tramadol.refresh_from_db()
    assert tramadol.stopped_on == today
    latest = Screening.objects.filter(patient=people.ben).first()
    assert latest.verdict == "empty"
    assert Screening.objects.filter(patient=people.ben).count() == 2


def test_a_list_changed_elsewhere_is_screened_when_the_page_opens(client, people):
    Medication.objects.create(patient=people.ben, name="Tramadol 50 mg")  # as the demo does
    client.force_login(people.nora)
    page = client.get(f"/patients/{people.ben.pk}/").content.decode()
    assert "LDN cannot start or resume" in page
    screening = Screening.objects.get(patient=people.ben)
    assert screening.created_by is None
    assert "the list had changed" in page


def test_the_patient_sees_the_screening_in_plain_words(client, people):
    Medication.objects.create(patient=people.ben, name="Tylenol with codeine #3")
    client.force_login(people.ben.user)
    page = client.get("/me/").content.decode()
    assert "One of your medicines must not be taken with LDN" in page
    assert "codeine" in page
    assert "Source:" in page


@pytest.mark.parametrize(
    ("data", "field_error"),
    [({"name": ""}, "This field is required"), ({"name": "   "}, "This field is required")],
)
def test_a_blank_medication_is_refused_and_nothing_changes(client, people, data, field_error):
    client.force_login(people.nora)
    client.get(f"/patients/{people.ben.pk}/")  # the first look screens the (empty) list
    before = list(Medication.objects.values()), list(Screening.objects.values())
    response = client.post(f"/patients/{people.ben.pk}/medications/", data)
    assert response.status_code == 422
    assert field_error in response.content.decode()
    assert (list(Medication.objects.values()), list(Screening.objects.values())) == before


def test_stopping_before_the_start_is_refused(client, people, today):
    med = Medication.objects.create(patient=people.ben, name="Tramadol 50 mg", started_on=today)
    client.force_login(people.nora)
    response = client.post(
        f"/patients/{people.ben.pk}/medications/{med.pk}/stop/",
        {"stopped_on": (today - dt.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 422
    assert "cannot stop before it started" in response.content.decode()
    med.refresh_from_db()
    assert med.stopped_on is None


def test_a_planned_surgery_gives_both_a_hold_window_with_its_source(client, people, today):
    client.force_login(people.nora)
    surgery = today + dt.timedelta(days=20)
    response = client.post(
        f"/patients/{people.anna.pk}/holds/",
        {
            "kind": "surgery",
            "description": "Knee arthroscopy",
            "event_on": surgery.isoformat(),
            "exposure": "short-acting",
            "last_opioid_on": (surgery + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 302
    event = PlannedEvent.objects.get(patient=people.anna)
    last_dose = surgery - dt.timedelta(days=4)
    assert event.hold_window().last_dose_on == last_dose
    clinician_page = client.get(f"/patients/{people.anna.pk}/").content.decode()
    assert f"{last_dose:%A} {last_dose.day} {last_dose:%B}" in clinician_page
    assert "Goel A et al." in clinician_page
    client.force_login(people.anna.user)
    home = client.get("/me/").content.decode()
    assert "Knee arthroscopy" in home
    assert f"{last_dose:%A} {last_dose.day} {last_dose:%B}" in home


def test_a_last_opioid_day_before_the_surgery_is_refused(client, people, today):
    client.force_login(people.nora)
    surgery = today + dt.timedelta(days=20)
    response = client.post(
        f"/patients/{people.anna.pk}/holds/",
        {
            "kind": "surgery",
            "description": "Knee",
            "event_on": surgery.isoformat(),
            "exposure": "short-acting",
            "last_opioid_on": (surgery - dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 422
    assert "is before the event" in response.content.decode()
    assert not PlannedEvent.objects.exists()


def test_a_surgery_in_the_year_1_is_refused_not_a_server_error(client, people):
    client.force_login(people.nora)
    response = client.post(
        f"/patients/{people.anna.pk}/holds/",
        {"kind": "surgery", "description": "Knee", "event_on": "0001-01-01", "exposure": "none"},
    )
    assert response.status_code == 422
    assert "outside the calendar" in response.content.decode()
    assert not PlannedEvent.objects.exists()


SAFETY_POSTS = [
    ("/patients/{ben}/medications/", {"name": "Tramadol"}),
    ("/patients/{ben}/override/", {"reason": "Palliative care, agreed with the patient."}),
    ("/patients/{ben}/holds/", {"kind": "surgery", "description": "x", "event_on": "2030-01-01",
                                "exposure": "none"}),
]  # fmt: skip


@pytest.mark.parametrize(("url", "data"), SAFETY_POSTS)
@pytest.mark.parametrize("name", ["sam", "phil", "rita", "anna", "ada"])
def test_nobody_but_the_patients_clinician_may_change_the_list(client, people, url, data, name):
    person = getattr(people, name)
    client.force_login(getattr(person, "user", person))
    before = (Medication.objects.count(), Screening.objects.count(), PlannedEvent.objects.count())
    response = client.post(url.format(ben=people.ben.pk), data)
    assert response.status_code == 404
    after = (Medication.objects.count(), Screening.objects.count(), PlannedEvent.objects.count())
    assert after == before


@pytest.mark.parametrize("name", ["sam", "phil", "anna"])
def test_the_safety_page_is_the_clinicians_only(client, people, name):
    person = getattr(people, name)
    client.force_login(getattr(person, "user", person))
    assert client.get(f"/patients/{people.ben.pk}/safety/").status_code == 404


def test_another_clinics_medication_cannot_be_stopped(client, people, today):
    med = Medication.objects.create(patient=people.sara, name="Tramadol 50 mg")
    client.force_login(people.nora)
    response = client.post(
        f"/patients/{people.ben.pk}/medications/{med.pk}/stop/", {"stopped_on": today.isoformat()}
    )
    assert response.status_code == 404
    med.refresh_from_db()
    assert med.stopped_on is None


def test_a_patient_without_medications_is_asked_to_tell_about_every_one(client, people):
    client.force_login(people.ben.user)
    page = client.get("/me/").content.decode()
    assert "Tell your prescriber about every medicine you take" in page
