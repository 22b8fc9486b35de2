"""Reserved-contract eligibility of a structure (Code de la commande publique), from its legal form and agréments."""

from datetime import date

from django.db.models import Q

from actors.enums import AgrementKind, LegalForm
from actors.models import Agrement
from procurement.enums import ReservedArticle

ESS_LEGAL_FORMS = frozenset(LegalForm.values)


def reserved_articles(legal_form: str, agrement_kinds) -> list[str]:
    """Articles of the Code de la commande publique under which a structure may win a reserved contract.

    - art. L2113-12: contracts reserved to entreprises adaptées (EA) and ESAT;
    - art. L2113-13: contracts reserved to structures d’insertion par l’activité économique (SIAE);
    - art. L2113-15: certain health, social and cultural services reserved to ESS companies (an ESS legal
      form under art. 1 of the loi du 31 juillet 2014, or the ESUS agrément).

    `agrement_kinds` are the kinds of the agréments in force (see `Agrement.objects.valid_on`).
    """
    kinds = set(agrement_kinds)
    articles = []
    if kinds & {AgrementKind.EA, AgrementKind.ESAT}:
        articles.append(ReservedArticle.L2113_12.value)
    if AgrementKind.SIAE in kinds:
        articles.append(ReservedArticle.L2113_13.value)
    if legal_form in ESS_LEGAL_FORMS or AgrementKind.ESUS in kinds:
        articles.append(ReservedArticle.L2113_15.value)
    return articles


def eligible_to_article(article: str, today: date) -> Q:
    """Listings whose structure may win a contract reserved under `article` today, in SQL.

    `reserved_articles` grants an article for the legal form or for one agrément in force, each on its own; the
    legal forms and agrément kinds that give `article` are read from it, so the rule stays in one place.
    """
    legal_forms = [form for form in LegalForm.values if article in reserved_articles(form, [])]
    kinds = [kind for kind in AgrementKind.values if article in reserved_articles("", [kind])]
    # `IN (the few structures holding such an agrément)` rather than a correlated EXISTS: the same plan in a WHERE
    # clause, and in a COUNT … FILTER (the buyers' home page) one hashed set instead of a lookup per listing.
    in_force = Agrement.objects.valid_on(today).filter(kind__in=kinds).values("actor_id")
    return Q(actor__legal_form__in=legal_forms) | Q(actor_id__in=in_force)
