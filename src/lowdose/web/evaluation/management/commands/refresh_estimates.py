"""Evaluate every current course whose data changed, so that the dashboard can sort all patients
by their main outcome (run it often, e.g. every few minutes from cron: a run with nothing new is
cheap; pages refresh what they show on their own)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from lowdose.web.courses.models import Patient
from lowdose.web.evaluation.refresh import refresh_estimates


class Command(BaseCommand):
    help = "Recompute the cached evaluation of every patient's current course whose data changed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="Recompute every course, changed or not (after an update of the analysis).",
        )

    def handle(self, *args, **options) -> None:
        done = refresh_estimates(Patient.objects.all(), everything=options["all"])
        self.stdout.write(
            f"Evaluated the courses of {done.evaluated} patient(s); "
            f"{done.unchanged} unchanged since their last evaluation."
        )
