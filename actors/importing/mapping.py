"""Columns and mapping: the fields of an actor and the column of the file proposed for each."""

import difflib
import re
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from actors.models import normalize_search_text


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    help_text: str = ""


FIELDS = (
    ImportField("name", "Raison sociale", True, ("raison sociale", "nom", "denomination", "nom de la structure")),
    ImportField("siret", "SIRET", True, ("siret", "n siret", "numero siret", "no siret")),
    ImportField(
        "legal_form",
        "Forme juridique",
        True,
        ("forme juridique", "statut juridique", "famille", "famille ess", "statut"),
        "Association, SCOP, SCIC, CAE, coopérative, mutuelle, fondation ou société commerciale de l’ESS.",
    ),
    ImportField(
        "commune",
        "Commune",
        True,
        ("code insee", "code commune", "insee", "commune", "ville", "localite"),
        "Code INSEE ou nom d’une des 28 communes de la Métropole.",
    ),
    ImportField("address", "Adresse", aliases=("adresse", "adresse postale", "voie", "rue")),
    ImportField("postal_code", "Code postal", aliases=("code postal", "cp")),
    ImportField("fte", "Effectif (ETP)", aliases=("etp", "effectif", "effectif etp", "effectifs", "salaries")),
    ImportField(
        "founded_year", "Année de création", aliases=("annee de creation", "date de creation", "creation", "annee")
    ),
    ImportField("website", "Site web", aliases=("site web", "site internet", "site", "url", "web")),
    ImportField(
        "description", "Présentation", aliases=("description", "activite", "presentation", "objet", "activites")
    ),
    ImportField(
        "filieres",
        "Filières",
        aliases=("filieres", "filiere"),
        help_text="Noms ou codes (1.1.1…) séparés par « , » ou « | ».",
    ),
    ImportField("segments", "Segments", aliases=("segments", "segment"), help_text="Noms séparés par « , » ou « | »."),
    ImportField(
        "agrements",
        "Agréments",
        aliases=("agrements", "agrement"),
        help_text="ESUS, SIAE-ACI (EI, ETTI, AI, EITI), EA, ESAT, séparés par « , » ou « | ».",
    ),
)
FIELDS_BY_KEY = {f.key: f for f in FIELDS}


def header_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", normalize_search_text(text)).split())


def column_label(index: int, header: str) -> str:
    return f"Colonne {get_column_letter(index + 1)} – {header or '(sans titre)'}"


def propose_mapping(headers: list[str], fields: tuple[ImportField, ...] = FIELDS) -> dict[str, int]:
    """Guess which column holds each of `fields` from the headers (accents, case and punctuation ignored).

    `fields` are the actor import's by default; other imports (e.g. purchases) pass their own.

    An exact alias beats an alias contained in the header, which beats a close spelling; a longer alias wins a
    tie (« Code postal de la commune » is the postal code, not the commune). Each column is used once.
    """
    keys = [header_key(header) for header in headers]
    scores = []
    for order, import_field in enumerate(fields):
        for alias_rank, alias in enumerate(import_field.aliases):
            for column, key in enumerate(keys):
                if not key:
                    continue
                if key == alias:
                    level = 3
                elif re.search(rf"\b{re.escape(alias)}\b", key):
                    level = 2
                elif difflib.SequenceMatcher(None, key, alias).ratio() >= 0.85:
                    level = 1
                else:
                    continue
                scores.append(((-level, -len(alias), alias_rank, order, column), import_field.key, column))
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for _, key, column in sorted(scores):
        if key not in mapping and column not in used:
            mapping[key] = column
            used.add(column)
    return mapping
