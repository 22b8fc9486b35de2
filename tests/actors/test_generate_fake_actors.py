from io import StringIO

import pytest
from django.core.management import call_command
from stdnum.fr import siret

from actors.models import Actor

pytestmark = pytest.mark.django_db


def test_generate_fake_actors_adds_valid_searchable_actors_each_time(reference_data):
    call_command("generate_fake_actors", 30, stdout=StringIO())
    call_command("generate_fake_actors", 20, stdout=StringIO())
    actors = Actor.objects.filter(siret__startswith="97")
    assert actors.count() == 50
    assert all(siret.is_valid(number) for number in actors.values_list("siret", flat=True))
    assert actors.filter(filieres__isnull=True).count() == 0
    one = actors.first()
    assert Actor.objects.search(one.name.upper()).filter(pk=one.pk).exists()
