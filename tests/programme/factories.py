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


# --- Indicators ---


class IndicatorFactory(factory.django.DjangoModelFactory):
    """An indicator entered by staff; `IndicatorFactory(computation="supported_actors")` for a computed one."""

    class Meta:
        model = "programme.Indicator"

    code = factory.Sequence(lambda n: f"indicateur-test-{n}")
    name = factory.Sequence(lambda n: f"Indicateur test {n}")
    kind = "activity"
    unit = "structures"
    description = "Indicateur fictif créé pour les tests."
    position = factory.Sequence(lambda n: n)


class IndicatorTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programme.IndicatorTarget"

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2025
    value = 100


class MeasurementFactory(factory.django.DjangoModelFactory):
    """The entered total of a year; pass `breakdown`/`breakdown_label` for a part."""

    class Meta:
        model = "programme.Measurement"

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2025
    breakdown = ""
    value = 50
    source = "entered"
    measured_on = datetime.date(2026, 1, 31)
