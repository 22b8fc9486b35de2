from django import template

from programme.permissions import can_view_reports

register = template.Library()


@register.inclusion_tag("programme/_programme_nav.html", takes_context=True)
def programme_nav(context, current: str):
    """The sub-navigation of the programme's pages; `current` is "plan", "dashboard", "indicators" or "reports"."""
    return {"current": current, "show_reports": can_view_reports(context["request"].user)}
