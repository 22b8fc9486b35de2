"""The models of the procurement app, as Django finds them: each lives in its sub-domain's `models` module
(`procurement/<sub-domain>/models.py`) and keeps the app label `procurement`. Code imports a model from its own
module, not from here."""

from procurement.asr.models import AsrListing, ConsultationEntry, ConsultationList, ExportLog
from procurement.contracts.models import Contract, ContractLot, InsertionClause, InsertionHours
from procurement.cpv.models import CpvCode
from procurement.sourcing.models import SourcingRecipient, SourcingRequest
from procurement.spend.models import Purchase, PurchaseImport

__all__ = [
    "AsrListing",
    "ConsultationEntry",
    "ConsultationList",
    "Contract",
    "ContractLot",
    "CpvCode",
    "ExportLog",
    "InsertionClause",
    "InsertionHours",
    "Purchase",
    "PurchaseImport",
    "SourcingRecipient",
    "SourcingRequest",
]
