import factory
from django.contrib.auth.models import Group

from accounts.enums import Role
from accounts.models import Membership, User

DEFAULT_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A user; `UserFactory(role=Role.STAFF)` puts them in that role's group."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"utilisateur{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(DEFAULT_PASSWORD)
    is_active = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            group, _ = Group.objects.get_or_create(name=str(extracted))
            self.groups.add(group)


class PendingApplicantFactory(UserFactory):
    """An applicant who signed up online and has not followed the confirmation link yet."""

    is_active = False
    email_confirmed_at = None

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name=str(extracted or Role.APPLICANT))[0])


class MembershipFactory(factory.django.DjangoModelFactory):
    """A user acting for a structure; the user is an applicant unless given."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, role=Role.APPLICANT)
    actor = factory.SubFactory("tests.actors.factories.ActorFactory")
    position = "Président·e"
