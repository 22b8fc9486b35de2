"""Funding URLs, mounted at /financements/. Three parts, each with its own views module in funding/views/.

Each section imports its own views module, so the sections can be edited independently.
"""

from django.urls import path

app_name = "funding"

urlpatterns = []

# --- Instruction & budget (funding/views/instruction.py, sessions.py, budget.py) ---
from funding.views import budget, cofinancing, instruction, sessions  # noqa: E402

urlpatterns += [
    path("demandes/<int:pk>/", instruction.application_staff_detail, name="application_staff_detail"),
    path("demandes/<int:pk>/attribuer/", instruction.assign, name="application_assign"),
    path("demandes/<int:pk>/instruire/", instruction.start_review, name="application_start_review"),
    path("demandes/<int:pk>/complements/", instruction.request_information, name="application_request_information"),
    path("demandes/<int:pk>/notes/", instruction.add_note, name="application_add_note"),
    path("demandes/<int:pk>/avis/", instruction.give_opinion, name="application_give_opinion"),
    path("demandes/<int:pk>/de-minimis/", instruction.record_justification, name="application_de_minimis"),
    path("demandes/<int:pk>/proposer/", instruction.propose, name="application_propose"),
    path("demandes/<int:pk>/convention/", instruction.sign_agreement, name="application_sign_agreement"),
    path(
        "demandes/<int:pk>/donnees-ouvertes/",
        instruction.record_open_data_publication,
        name="application_open_data_publication",
    ),
    path("demandes/<int:pk>/versements/", instruction.record_payment, name="application_record_payment"),
    path("demandes/<int:pk>/cloturer/", instruction.close, name="application_close"),
    path("demandes/<int:pk>/retirer/", instruction.withdraw, name="application_withdraw"),
    path("seances/", sessions.session_list, name="session_list"),
    path("seances/nouvelle/", sessions.session_create, name="session_create"),
    path("seances/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("seances/<int:pk>/decisions/", sessions.session_decide, name="session_decide"),
    path("cofinancements/", cofinancing.cofinancing_table, name="cofinancing_table"),
    path("cofinancements/export/<str:export_format>/", cofinancing.cofinancing_export, name="cofinancing_export"),
    path("cofinancements/projets/<int:pk>/", cofinancing.cofinanced_project, name="cofinanced_project"),
    path("budget/", budget.budget_current, name="budget_current"),
    path("budget/<int:year>/", budget.budget_execution, name="budget_execution"),
    path("budget/<int:year>/export/<str:export_format>/", budget.budget_export, name="budget_export"),
    path("budget/<int:year>/lignes/<int:pk>/vote/", budget.budget_line_revision, name="budget_line_revision"),
]
# --- end of instruction & budget ---

# --- Applicant (funding/views/schemes.py, applicant.py) ---
from funding.views import applicant, schemes  # noqa: E402

urlpatterns += [
    path("dispositifs/", schemes.scheme_list, name="scheme_list"),
    path("dispositifs/gestion/", schemes.scheme_manage_list, name="scheme_manage_list"),
    path("dispositifs/gestion/nouveau/", schemes.scheme_create, name="scheme_create"),
    path("dispositifs/gestion/<int:pk>/modifier/", schemes.scheme_update, name="scheme_update"),
    path("dispositifs/<slug:slug>/", schemes.scheme_detail, name="scheme_detail"),
    path("mes-dossiers/", applicant.application_list, name="applicant_application_list"),
    path("mes-dossiers/nouveau/", applicant.application_start, name="application_start"),
    path("mes-dossiers/<int:pk>/", applicant.application_detail, name="applicant_application_detail"),
    path("mes-dossiers/<int:pk>/etape/<int:step>/", applicant.application_step, name="application_step"),
    path(
        "mes-dossiers/<int:pk>/pieces/<int:document_pk>/retirer/",
        applicant.application_document_delete,
        name="application_document_delete",
    ),
    path(
        "mes-dossiers/<int:pk>/complements/<int:request_pk>/",
        applicant.information_request_answer,
        name="information_request_answer",
    ),
    path("mes-dossiers/<int:pk>/retrait/", applicant.application_withdraw, name="applicant_application_withdraw"),
    path("mes-dossiers/<int:pk>/bilan/", applicant.final_report_upload, name="final_report_upload"),
    path("documents/<int:pk>/", applicant.document_download, name="document_download"),
]
# --- end of applicant ---

# --- Queue, open data (funding/views/queue.py; the open-data pages are in funding/opendata_urls.py) ---
from funding.views import queue  # noqa: E402

urlpatterns += [
    path("instruction/", queue.application_queue, name="queue"),
    path("instruction/attribuer/", queue.bulk_assign, name="queue_bulk_assign"),
    path("instruction/<int:pk>/pieces.zip", queue.application_zip, name="application_zip"),
]
# --- end of queue, open data ---

# --- Spending that is not a grant (funding/views/spending.py) ---
from funding.views import spending  # noqa: E402

urlpatterns += [
    path("budget/<int:year>/depenses/", spending.spending_list, name="spending_list"),
    path("budget/<int:year>/lignes/<int:line_pk>/engager/", spending.spending_create, name="spending_create"),
    path("depenses/<int:pk>/", spending.spending_detail, name="spending_detail"),
    path("depenses/<int:pk>/versements/", spending.spending_record_payment, name="spending_record_payment"),
]
# --- end of spending ---

# --- Council dossiers in PDF (funding/views/dossiers.py; the jobs are in funding/pdf_jobs.py) ---
from funding.views import dossiers  # noqa: E402

urlpatterns += [
    path("demandes/<int:pk>/rapport-pdf/", dossiers.request_application_dossier, name="application_dossier_request"),
    path("seances/<int:pk>/dossier-pdf/", dossiers.request_session_dossier, name="session_dossier_request"),
]
# --- end of council dossiers ---
