from django import template

from ess_portal import formatting

register = template.Library()


@register.filter
def euros(value, decimals=2):
    """{{ amount|euros }} → 145 000,00 € ; {{ amount|euros:0 }} → 145 000 €"""
    return formatting.format_euros(value, int(decimals))


@register.filter
def number(value, decimals=0):
    return formatting.format_number(value, int(decimals))
