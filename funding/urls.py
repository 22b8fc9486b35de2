"""Funding URLs, mounted at /financements/. Three parts, each with its own views module in funding/views/.

Each section imports its own views module, so the sections can be edited independently.
"""

from django.urls import path

app_name = "funding"

urlpatterns = []

# --- Instruction & budget (funding/views/instruction.py, sessions.py, budget.py) ---
# --- end of instruction & budget ---

# --- Applicant (funding/views/schemes.py, applicant.py) ---
# --- end of applicant ---

# --- Queue, open data (funding/views/queue.py; the open-data pages are in funding/opendata_urls.py) ---
from funding.views import queue  # noqa: E402

urlpatterns += [
    path("instruction/", queue.application_queue, name="queue"),
    path("instruction/attribuer/", queue.bulk_assign, name="queue_bulk_assign"),
    path("instruction/<int:pk>/pieces.zip", queue.application_zip, name="application_zip"),
]
# --- end of queue, open data ---
