"""Blinded n-of-1 trials: the pharmacist creates the trial and holds the key, dispensing locks
the protocol, the prescriber may break the blind in an emergency, the clinician unblinds at the
end. Before that, neither the clinician nor the patient ever sees the allocation."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError

from lowdose.web.accounts.models import AuditEvent, User
from lowdose.web.diary.models import CheckIn
from lowdose.web.evaluation.models import EmergencyUnblinding, Trial, TrialPack
from lowdose.web.evaluation.services import trial_design, trial_phase

SEED = 20261122


def _create(client, people, start: dt.date, **overrides):
    client.force_login(people.phil)
    data = {"start_date": start.isoformat(), "pairs": "2", "block_days": "7",
            "washout_days": "2", "seed": str(SEED), "outcomes": ["pain", "fatigue"]}  # fmt: skip
    data.update(overrides)
    return client.post(f"/patients/{people.anna.pk}/trial/", data)


def _rate_by_allocation(people, trial: Trial) -> None:
    """Pain 3-4 on LDN days, 6-7 on placebo and washout days: a clear, blinded effect."""
    design = trial_design(trial)
    for offset in range(design.total_days):
        day = trial.start_date + dt.timedelta(offset)
        phase = trial_phase(trial, design, day)
        pain = (3 if phase.value == "ldn" else 6) + offset % 2
        CheckIn.objects.update_or_create(
            patient=people.anna, date=day,
            defaults={"course": people.course, "pain": pain, "fatigue": 5 + offset % 3},
        )  # fmt: skip


@pytest.fixture
def trial(client, anna_data, today):
    """A finished trial: 2 pairs of 14-day periods from 58 days ago (ended 3 days ago), its
    first pack dispensed (so its protocol is locked)."""
    _create(client, anna_data, today - dt.timedelta(58), block_days="14")
    client.post(f"/patients/{anna_data.anna.pk}/trial/packs/", {"period": "1"})
    found = Trial.objects.get()
    assert found.protocol_hash
    _rate_by_allocation(anna_data, found)
    client.logout()
    return found


@pytest.fixture
def nick(people):
    """A second North clinician, not Anna's prescriber."""
    return User.objects.create(username="nick", role="clinician", clinic=people.north)


ARM_CELLS = ("<td>LDN</td>", "<td>Placebo</td>")


def test_the_pharmacist_creates_the_trial_and_sees_the_allocation(client, anna_data, today):
    response = _create(client, anna_data, today)
    assert response.status_code == 302
    trial = Trial.objects.get()
    assert (trial.seed, trial.pairs, trial.block_days, trial.washout_days) == (SEED, 2, 7, 2)
    assert trial.outcomes == ["fatigue", "pain"]  # the course's main outcome first
    arms = [p["arm"] for p in trial.allocation["periods"]]
    assert sorted(arms[:2]) == sorted(arms[2:]) == ["ldn", "placebo"]
    assert AuditEvent.objects.filter(actor=anna_data.phil, action="create").exists()
    page = client.get(f"/patients/{anna_data.anna.pk}/trial/").content.decode()
    assert all(cell in page for cell in ARM_CELLS)
    assert "cannot show an effect" in page  # 2 pairs cannot reach 0.05
    assert "Dispense period 1" in page
    index = client.get("/pharmacy/trials/").content.decode()
    assert "2 pairs from" in index


def test_a_bad_design_is_refused_on_the_form(client, anna_data, today):
    response = _create(client, anna_data, today, washout_days="7")
    assert response.status_code == 200
    assert "The washout must be shorter than the period it opens." in response.content.decode()
    response = _create(client, anna_data, anna_data.course.start_date - dt.timedelta(1))
    assert "cannot start before the course" in response.content.decode()
    assert not Trial.objects.exists()


def test_a_second_trial_for_the_course_is_refused(client, anna_data, today):
    _create(client, anna_data, today)
    assert _create(client, anna_data, today).status_code == 404
    assert Trial.objects.count() == 1


def test_the_first_pack_locks_the_protocol(client, anna_data, today):
    _create(client, anna_data, today)
    url = f"/patients/{anna_data.anna.pk}/trial/packs/"
    client.post(url, {"period": "1"})
    trial = Trial.objects.get()
    assert trial.locked_at is not None
    assert trial.protocol_hash == hashlib.sha256(trial.protocol_text.encode()).hexdigest()
    assert f'"seed":{SEED}' in trial.protocol_text
    assert '"outcomes":["fatigue","pain"]' in trial.protocol_text
    locked_hash = trial.protocol_hash
    client.post(url, {"period": "2"})
    page = client.post(url, {"period": "2"}, follow=True).content.decode()
    assert "already dispensed" in page
    assert client.post(url, {"period": "9"}, follow=True).status_code == 200
    assert list(TrialPack.objects.values_list("period", flat=True)) == [1, 2]
    trial.refresh_from_db()
    assert trial.protocol_hash == locked_hash  # dispensing again never re-hashes
    assert "Protocol" in page
    assert locked_hash in page


def test_the_seed_allocation_and_locked_protocol_never_change(client, anna_data, today):
    _create(client, anna_data, today)
    trial = Trial.objects.get()
    trial.seed = 1
    with pytest.raises(ValidationError):
        trial.save()
    trial.refresh_from_db()
    trial.outcomes = ["pain"]
    trial.save()  # allowed before the protocol is locked
    client.post(f"/patients/{anna_data.anna.pk}/trial/packs/", {"period": "1"})
    trial.refresh_from_db()
    trial.outcomes = ["mood"]
    with pytest.raises(ValidationError):
        trial.save()


def test_clinician_and_patient_see_periods_but_never_the_allocation(client, trial, anna_data):
    for user, url in ((anna_data.nora, f"/patients/{anna_data.anna.pk}/evaluation/"),
                      (anna_data.anna.user, "/me/is-it-working/")):  # fmt: skip
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "Period 1" in page
        assert "Period 4" in page
        assert "without saying which is which" in page
        assert not any(cell in page for cell in ARM_CELLS)
        assert "Contents" not in page
        assert str(SEED) not in page
        assert trial.protocol_hash not in page
    client.force_login(anna_data.nora)
    body = client.get(f"/api/patients/{anna_data.anna.pk}/evaluation").content.decode()
    client.force_login(anna_data.anna.user)
    own = client.get("/api/evaluation").content.decode()
    for text in (body, own):
        assert '"blinded": true' in text.replace('":true', '": true')
        assert '"arm":null' in text.replace(" ", "")
        assert '"ldn"' not in text
        assert '"placebo"' not in text
        assert str(SEED) not in text
        assert '"protocol_hash":null' in text.replace(" ", "")


def test_blinded_period_means_leave_out_washout_days(client, trial, anna_data):
    client.force_login(anna_data.nora)
    body = client.get(f"/api/patients/{anna_data.anna.pk}/evaluation").json()
    periods = body["trial"]["periods"]
    assert [p["period"] for p in periods] == [1, 2, 3, 4]
    assert all(p["days"]["Pain"] == 12 for p in periods)  # 14 days minus 2 washout
    means = sorted(p["means"]["Pain"] for p in periods)
    assert means == pytest.approx([3.5, 3.5, 6.5, 6.5])


def test_pharmacy_pages_are_for_pharmacists_of_the_clinic(client, trial, anna_data):
    pk = anna_data.anna.pk
    for who in ("nora", "sam", "rita", "ada"):
        client.force_login(getattr(anna_data, who))
        assert client.get(f"/patients/{pk}/trial/").status_code == 404
        assert client.get("/pharmacy/trials/").status_code == 404
        assert client.post(f"/patients/{pk}/trial/packs/", {"period": "1"}).status_code == 404
    client.force_login(anna_data.anna.user)
    assert client.get(f"/patients/{pk}/trial/").status_code == 404
    south_pharmacist = User.objects.create(
        username="sue", role="pharmacist", clinic=anna_data.south
    )
    client.force_login(south_pharmacist)
    assert client.get(f"/patients/{pk}/trial/").status_code == 404
    assert "Anna" not in client.get("/pharmacy/trials/").content.decode()
    assert client.post(f"/patients/{pk}/trial/packs/", {"period": "2"}).status_code == 404
    assert list(TrialPack.objects.values_list("period", flat=True)) == [1]  # the fixture's


def test_the_prescriber_breaks_the_blind_in_an_emergency(client, trial, anna_data, nick):
    url = f"/patients/{anna_data.anna.pk}/trial/emergency-unblinding/"
    client.force_login(nick)  # not the prescriber
    assert client.post(url, {"reason": "Severe reaction, need to know"}).status_code == 404
    client.force_login(anna_data.nora)
    short = client.post(url, {"reason": "why"})
    assert short.status_code == 200
    assert "at least 10 characters" in short.content.decode()
    assert not EmergencyUnblinding.objects.exists()
    page = client.post(url, {"reason": "Severe rash, need to know the arm"}, follow=True)
    event = EmergencyUnblinding.objects.get()
    assert event.by == anna_data.nora
    assert AuditEvent.objects.filter(object_type="evaluation.emergencyunblinding").exists()
    text = page.content.decode()
    assert "Blind broken early" in text
    assert "Severe rash, need to know the arm" in text
    assert any(cell in text for cell in ARM_CELLS)  # the clinician now knows
    client.force_login(anna_data.anna.user)
    mine = client.get("/me/is-it-working/").content.decode()
    assert not any(cell in mine for cell in ARM_CELLS)  # the patient stays blinded


@pytest.mark.parametrize("who", ["sam", "phil", "rita"])
def test_others_cannot_unblind(client, trial, anna_data, who):
    client.force_login(getattr(anna_data, who))
    pk = anna_data.anna.pk
    assert client.post(f"/patients/{pk}/trial/unblind/").status_code == 404
    assert client.post(f"/patients/{pk}/trial/emergency-unblinding/",
                       {"reason": "a reason that is long"}).status_code == 404  # fmt: skip
    trial.refresh_from_db()
    assert trial.unblinded_at is None
    assert not EmergencyUnblinding.objects.exists()


def test_the_trial_cannot_be_unblinded_before_its_end(client, anna_data, today):
    _create(client, anna_data, today - dt.timedelta(3))
    client.force_login(anna_data.nora)
    page = client.post(f"/patients/{anna_data.anna.pk}/trial/unblind/", follow=True)
    assert "unblind after its last day" in page.content.decode()
    assert Trial.objects.get().unblinded_at is None


def test_final_unblinding_gives_the_full_analysis(client, trial, anna_data):
    client.force_login(anna_data.nora)
    page = client.post(f"/patients/{anna_data.anna.pk}/trial/unblind/", follow=True)
    trial.refresh_from_db()
    assert trial.unblinded_by == anna_data.nora
    assert AuditEvent.objects.filter(actor=anna_data.nora, action="update",
                                     object_type="evaluation.trial").exists()  # fmt: skip
    text = page.content.decode()
    assert "Result after unblinding" in text
    assert trial.protocol_hash in text
    assert "Randomization test" in text
    assert "p = 0.2500" in text
    assert "First 3 days of each period dropped (carry-over)" in text
    assert "With a linear trend" in text
    assert any(cell in text for cell in ARM_CELLS)
    body = client.get(f"/api/patients/{anna_data.anna.pk}/evaluation").json()
    pain = next(o for o in body["trial"]["final"] if o["outcome"] == "pain")
    assert pain["result"]["p_randomization"] == 0.25
    assert pain["result"]["effect"]["estimate"] == pytest.approx(-3.0, abs=0.2)
    assert body["trial"]["protocol_hash"] == trial.protocol_hash
    assert body["trial"]["blinded"] is False
    client.force_login(anna_data.anna.user)
    mine = client.get("/me/is-it-working/").content.decode()
    assert "in the placebo periods" in mine
    assert any(cell in mine for cell in ARM_CELLS)


@pytest.mark.parametrize("who", ["nora", "sam", "rita", "ada"])
def test_only_a_pharmacist_of_the_clinic_creates_a_trial(client, anna_data, today, who):
    client.force_login(getattr(anna_data, who))
    data = {"start_date": today.isoformat(), "pairs": "2", "block_days": "7",
            "washout_days": "0", "outcomes": ["pain"]}  # fmt: skip
    assert client.post(f"/patients/{anna_data.anna.pk}/trial/", data).status_code == 404
    assert not Trial.objects.exists()


def test_logged_out_trial_pages_ask_for_a_log_in(client, anna_data):
    pk = anna_data.anna.pk
    for url in ("/pharmacy/trials/", f"/patients/{pk}/trial/"):
        assert "/login/" in client.get(url)["Location"]
    for url in (f"/patients/{pk}/trial/packs/", f"/patients/{pk}/trial/unblind/",
                f"/patients/{pk}/trial/emergency-unblinding/"):  # fmt: skip
        assert "/login/" in client.post(url)["Location"]


def test_a_pharmacist_cannot_dispense_for_a_patient_without_a_trial(client, anna_data):
    client.force_login(anna_data.phil)
    response = client.post(f"/patients/{anna_data.anna.pk}/trial/packs/", {"period": "1"})
    assert response.status_code == 404
    assert client.get(f"/patients/{anna_data.ben.pk}/trial/").status_code == 404  # no course


def test_the_trial_chart_exists_only_after_unblinding(client, trial, anna_data):
    pk = anna_data.anna.pk
    client.force_login(anna_data.nora)
    assert client.get(f"/patients/{pk}/trial/pain.svg").status_code == 404
    client.force_login(anna_data.anna.user)
    assert client.get("/me/is-it-working/trial/pain.svg").status_code == 404
    client.force_login(anna_data.nora)
    client.post(f"/patients/{pk}/trial/unblind/")
    svg = client.get(f"/patients/{pk}/trial/pain.svg").content.decode()
    assert "<title>Pain in the LDN and placebo periods of the blinded trial</title>" in svg
    assert "placebo periods averaged" in svg
    assert client.get(f"/patients/{pk}/trial/mood.svg").status_code == 404  # not a trial outcome
    client.force_login(anna_data.sam)
    assert client.get(f"/patients/{pk}/trial/pain.svg").status_code == 404
    client.force_login(anna_data.anna.user)
    assert client.get("/me/is-it-working/trial/pain.svg").status_code == 200
    assert (
        'src="/me/is-it-working/trial/pain.svg"'
        in client.get("/me/is-it-working/").content.decode()
    )


def test_the_open_label_comparison_leaves_trial_days_out_and_says_so(client, trial, anna_data):
    client.force_login(anna_data.anna.user)
    page = client.get("/me/is-it-working/").content.decode()
    # maintenance ran from 32 days ago; the trial covered all of it but the last 2 days
    assert "5 more maintenance days outside the blinded trial with a fatigue rating" in page


def test_the_pharmacist_reads_the_trial_with_its_allocation_through_the_api(
    client, trial, anna_data
):
    client.force_login(anna_data.phil)
    body = client.get(f"/api/patients/{anna_data.anna.pk}/trial").json()
    assert body["seed"] == SEED
    assert body["blinded"] is False
    assert sorted(p["arm"] for p in body["periods"]) == ["LDN", "LDN", "Placebo", "Placebo"]
    assert body["packs_dispensed"] == [1]
    assert body["protocol_hash"] == trial.protocol_hash
    for who in ("nora", "sam", "rita"):
        client.force_login(getattr(anna_data, who))
        assert client.get(f"/api/patients/{anna_data.anna.pk}/trial").status_code == 404
    client.force_login(anna_data.anna.user)
    assert client.get(f"/api/patients/{anna_data.anna.pk}/trial").status_code == 404
    client.force_login(anna_data.phil)
    assert client.get(f"/api/patients/{anna_data.ben.pk}/trial").status_code == 404
    assert client.get(f"/api/patients/{anna_data.sara.pk}/trial").status_code == 404


def _report_text(client, people) -> str:
    from tests.builders import pdf_text

    client.force_login(people.nora)
    return pdf_text(client.get(f"/patients/{people.anna.pk}/report.pdf").content)


def test_the_course_report_keeps_the_blind_and_records_breaking_it(client, trial, anna_data):
    text = _report_text(client, anna_data)
    assert "Blinded n-of-1 trial" in text
    assert "Still blinded" in text
    assert trial.protocol_hash not in text.replace(" ", "")
    client.force_login(anna_data.nora)
    client.post(f"/patients/{anna_data.anna.pk}/trial/emergency-unblinding/",
                {"reason": "Severe rash, need to know the arm"})  # fmt: skip
    text = _report_text(client, anna_data)
    assert "Emergency unblinding by Nora North" in text
    assert "Severe rash, need to know the arm" in text


def test_after_unblinding_the_report_shows_the_protocol_hash(client, trial, anna_data):
    client.force_login(anna_data.nora)
    client.post(f"/patients/{anna_data.anna.pk}/trial/unblind/")
    text = _report_text(client, anna_data)
    assert "Unblinded by Nora North" in text
    assert trial.protocol_hash in text.replace(" ", "")


def test_the_pharmacist_prints_a_pack_label_that_keeps_the_blind(client, trial, anna_data):
    client.force_login(anna_data.phil)
    page = client.get(f"/patients/{anna_data.anna.pk}/trial/packs/2/label/").content.decode()
    assert "Period 2 of 4" in page
    assert "naltrexone (LDN) or placebo" in page
    assert "do not take with opioids" in page
    assert not any(cell in page for cell in ARM_CELLS)
    assert "Contents" not in page
    assert client.get(f"/patients/{anna_data.anna.pk}/trial/packs/9/label/").status_code == 404


@pytest.mark.parametrize("who", ["nora", "sam", "rita"])
def test_only_pharmacists_print_pack_labels(client, trial, anna_data, who):
    client.force_login(getattr(anna_data, who))
    assert client.get(f"/patients/{anna_data.anna.pk}/trial/packs/1/label/").status_code == 404
