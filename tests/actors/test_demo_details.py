import pytest

from actors.enums import AgrementKind
from actors.management.commands.load_demo import load_demo
from actors.models import Agrement, Contact
from filieres.models import Filiere, HeadOfNetwork

pytestmark = pytest.mark.django_db


def test_demo_structures_have_every_kind_of_agrement_a_contact_and_each_filiere_a_head_of_network():
    load_demo()
    load_demo()  # idempotent
    assert set(Agrement.objects.values_list("kind", flat=True)) == set(AgrementKind.values)
    assert not Agrement.objects.filter(kind=AgrementKind.SIAE, siae_type="").exists()
    assert Contact.objects.count() == 64
    assert all(contact.name.endswith("(fictif)") for contact in Contact.objects.all())
    assert HeadOfNetwork.objects.count() == Filiere.objects.count() == 4
