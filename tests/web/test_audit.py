"""Reads and writes of patient data leave an audit trail that administrators can export."""

import csv
import io

from lowdose.web.accounts.models import AuditEvent


def test_viewing_a_patient_is_recorded_without_health_data(client, people):
    client.force_login(people.nora)
    client.get(f"/patients/{people.anna.pk}/")
    event = AuditEvent.objects.get(actor=people.nora, action="view")
    assert event.patient_id == people.anna.pk
    assert event.object_type == "courses.patient"
    assert event.path == f"/patients/{people.anna.pk}/"
    assert event.ip == "127.0.0.1"


def test_a_check_in_is_recorded(client, people, today):
    client.force_login(people.anna.user)
    client.post("/me/checkin/", {"date": today.isoformat(), "pain": "4"})
    assert (
        AuditEvent.objects.filter(
            actor=people.anna.user, action="create", object_type="diary.checkin"
        ).count()
        == 1
    )


def test_a_list_page_records_each_patient_it_shows(client, people):
    client.force_login(people.nora)
    client.get("/dashboard/")
    shown = AuditEvent.objects.filter(actor=people.nora, action="view", path="/dashboard/")
    assert sorted(shown.values_list("patient_id", flat=True)) == sorted(
        [people.anna.pk, people.ben.pk]
    )
    client.get("/dashboard/", {"q": "archer"})
    assert shown.filter(patient_id=people.ben.pk).count() == 1  # Ben was not on this page


def test_administrators_export_the_trail_as_csv_and_the_export_is_recorded(client, people):
    client.force_login(people.nora)
    client.get(f"/patients/{people.anna.pk}/")
    client.force_login(people.ada)
    ids = [str(pk) for pk in AuditEvent.objects.values_list("pk", flat=True)]
    response = client.post(
        "/admin/accounts/auditevent/", {"action": "export_csv", "_selected_action": ids}
    )
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "patient_id",
        "ip",
        "path",
    ]
    assert rows[1][1:4] == ["nora", "view", "courses.patient"]
    assert AuditEvent.objects.filter(actor=people.ada, object_type="accounts.auditevent").exists()


def test_the_trail_cannot_be_edited_in_the_admin(client, people):
    client.force_login(people.nora)
    client.get(f"/patients/{people.anna.pk}/")
    event = AuditEvent.objects.first()
    client.force_login(people.ada)
    assert (
        client.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()
