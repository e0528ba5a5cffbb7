"""Template filters for lowdose's values."""

from decimal import Decimal

from django import template

from lowdose.dose import format_mg

register = template.Library()


@register.filter
def mg(value: Decimal | None) -> str:
    """``Decimal("4.500")`` → ``"4.5 mg"``; empty for no dose."""
    if value is None or value == "":
        return ""
    return f"{format_mg(Decimal(value))} mg"
