import datetime

import factory

from programme.models import Action, ActionSheet, Axis, Milestone


class AxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axis
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: 10 + n)
    title = factory.Sequence(lambda n: f"Axe test {n}")


class ActionSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionSheet

    axis = factory.SubFactory(AxisFactory)
    number = factory.SelfAttribute("axis.number")
    title = factory.Sequence(lambda n: f"Fiche test {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    sheet = factory.SubFactory(ActionSheetFactory)
    code = factory.Sequence(lambda n: f"9.{n}")
    title = factory.Sequence(lambda n: f"Action test {n}")
    objectives = "Objectifs de test."
    calendar = "2023"
    position = factory.Sequence(lambda n: n)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Jalon test {n}")
    due_on = datetime.date(2030, 1, 1)
