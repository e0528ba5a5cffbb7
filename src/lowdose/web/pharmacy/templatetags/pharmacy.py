"""The pharmacy queue as a section of the pharmacist's course list."""

from django import template

from lowdose.web.pharmacy.services import queue_for

register = template.Library()


@register.inclusion_tag("pharmacy/_queue.html", takes_context=True)
def pharmacy_queue(context):
    user = context["request"].user
    return {"plans": queue_for(user.clinic), "request": context["request"]}
