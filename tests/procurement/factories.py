from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.enums import Role
from procurement.asr.models import AsrListing, ExportLog
from procurement.contracts.models import Contract, ContractLot, InsertionClause, InsertionHours
from procurement.cpv.models import CpvCode
from procurement.enums import ExportFormat, ListingStatus, SiretMatch
from procurement.spend.models import Purchase, PurchaseImport
from tests.accounts.factories import UserFactory
from tests.actors.factories import ActorFactory


class CpvCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CpvCode
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n % 10000:04d}")
    label = factory.Sequence(lambda n: f"Services de test {n}")


class AsrListingFactory(factory.django.DjangoModelFactory):
    """An ASR listing. `AsrListingFactory(published=True)` publishes it, verified on `last_verified_on` (today).

    `cpv_codes=[…]` and `communes=[…]` set the many-to-many fields; the search column is rebuilt afterwards.
    """

    class Meta:
        model = AsrListing
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(status=ListingStatus.PUBLISHED, last_verified_on=factory.LazyFunction(date.today))

    actor = factory.SubFactory(ActorFactory)
    offers = factory.Sequence(lambda n: f"Entretien des espaces verts et nettoyage de locaux, lot {n}.")
    serves_whole_metropole = True
    revenue_band = "100k-500k"
    public_contract_references = "Ville de Bègles, entretien des parcs, 2024."

    @factory.post_generation
    def cpv_codes(self, create, extracted, **kwargs):
        if create and extracted:
            self.cpv_codes.set(extracted)

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):
        if create and extracted:
            self.communes.set(extracted)

    @factory.post_generation
    def search(self, create, extracted, **kwargs):
        if create:
            self.refresh_search_text()
            self.save(update_fields=["search_text"])


# --- Contracts with insertion clauses ---


class ContractFactory(factory.django.DjangoModelFactory):
    """A contract executed over 2025 (no lot: add them with ContractLotFactory / InsertionClauseFactory)."""

    class Meta:
        model = Contract

    reference = factory.Sequence(lambda n: f"2025-M{n:04d}")
    title = factory.Sequence(lambda n: f"Marché de test {n}")
    buying_direction = "Direction des bâtiments"
    starts_on = date(2025, 1, 1)
    ends_on = date(2025, 12, 31)
    amount = Decimal("250000.00")


class ContractLotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractLot

    contract = factory.SubFactory(ContractFactory)
    number = factory.Sequence(lambda n: n % 30000 + 1)
    title = factory.Sequence(lambda n: f"Lot de test {n}")
    amount = Decimal("100000.00")
    holder_name = "Entreprise titulaire"


class InsertionClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsertionClause

    lot = factory.SubFactory(ContractLotFactory)
    hours_required = Decimal("1000")
    public_concerned = "Demandeurs d’emploi de longue durée, allocataires du RSA."


class InsertionHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsertionHours

    clause = factory.SubFactory(InsertionClauseFactory)
    company_name = factory.Sequence(lambda n: f"Entreprise {n}")
    period_start = date(2025, 1, 1)
    period_end = date(2025, 3, 31)
    hours = Decimal("100")


# --- Sourcing requests ---


class SourcingRequestFactory(factory.django.DjangoModelFactory):
    """A buyer's sourcing request, not sent. `SourcingRequestFactory(sent=True)` marks it sent (without recipients);
    `cpv_codes=[…]` and `communes=[…]` set the need's codes and communes."""

    class Meta:
        model = "procurement.SourcingRequest"
        skip_postgeneration_save = True

    class Params:
        sent = factory.Trait(sent_at=factory.LazyFunction(timezone.now))

    buyer = factory.SubFactory("tests.accounts.factories.UserFactory", role="procurement")
    title = factory.Sequence(lambda n: f"Besoin de test {n}")
    description = "Entretien des espaces verts de trois parcs, de mars à novembre."
    buying_direction = "Direction des espaces verts"
    answer_by = factory.LazyFunction(lambda: date.today() + timedelta(days=14))

    @factory.post_generation
    def cpv_codes(self, create, extracted, **kwargs):
        if create and extracted:
            self.cpv_codes.set(extracted)

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):
        if create and extracted:
            self.communes.set(extracted)


class SourcingRecipientFactory(factory.django.DjangoModelFactory):
    """A supplier a sent request reached (a published listing)."""

    class Meta:
        model = "procurement.SourcingRecipient"

    request = factory.SubFactory(SourcingRequestFactory, sent=True)
    listing = factory.SubFactory(AsrListingFactory, published=True)


# --- Share of ESS spend: purchases imported for a year ---


class PurchaseImportFactory(factory.django.DjangoModelFactory):
    """An import in force for 2025 (totals not recomputed: set them when a test reads them)."""

    class Meta:
        model = PurchaseImport

    year = 2025
    original_filename = factory.Sequence(lambda n: f"achats-2025-{n}.csv")
    is_current = True


# A valid SIRET (Luhn key) that no test actor has: SIREN 97xxxxxxx are never built by ActorFactory.
UNKNOWN_SIRET = "97000001400013"


class PurchaseFactory(factory.django.DjangoModelFactory):
    """A purchase from a supplier outside the registry; `PurchaseFactory(actor=…)` makes it an ESS purchase."""

    class Meta:
        model = Purchase

    purchase_import = factory.SubFactory(PurchaseImportFactory)
    row_number = factory.Sequence(lambda n: n + 2)
    supplier_siret = factory.LazyAttribute(lambda purchase: purchase.actor.siret if purchase.actor else UNKNOWN_SIRET)
    supplier_name = factory.Sequence(lambda n: f"Fournisseur {n}")
    siret_match = factory.LazyAttribute(lambda purchase: SiretMatch.MATCHED if purchase.actor else SiretMatch.UNKNOWN)
    actor = None
    amount = Decimal("1000.00")
    purchased_on = date(2025, 3, 15)
    buying_direction = "Direction des bâtiments"
    cpv_code = "90910000-9"


class ExportLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExportLog

    user = factory.SubFactory(UserFactory, role=Role.PROCUREMENT)
    filters = factory.LazyFunction(dict)
    columns = factory.LazyFunction(lambda: ["nom", "siret"])
    row_count = 12
    file_format = ExportFormat.CSV
