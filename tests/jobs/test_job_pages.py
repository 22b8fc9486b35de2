import json

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.enums import Role
from ess_portal.jobs.enums import JobKind, JobStatus
from ess_portal.jobs.models import Job
from tests.accounts.factories import UserFactory
from tests.jobs import kinds
from tests.jobs.factories import JobFactory


def test_the_jobs_page_lists_only_the_users_own_jobs(client, applicant_user):
    mine = JobFactory(requested_by=applicant_user, done=True)
    other = JobFactory(failed=True)
    client.force_login(applicant_user)

    response = client.get(reverse("jobs:job_list"))

    assert response.status_code == 200
    assert list(response.context["jobs"]) == [mine]
    assertContains(response, reverse("jobs:job_download", args=[mine.pk]))
    assertNotContains(response, reverse("jobs:job_detail", args=[other.pk]))
    assertContains(response, '<progress max="100" value="100"', html=False)
    assertContains(response, "js/jobs.js")


def test_the_jobs_page_needs_a_login(client):
    response = client.get(reverse("jobs:job_list"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_an_admin_can_list_every_users_jobs(client, admin_user):
    JobFactory.create_batch(2)
    JobFactory(requested_by=admin_user)
    client.force_login(admin_user)

    assert len(client.get(reverse("jobs:job_list")).context["jobs"]) == 1
    response = client.get(reverse("jobs:job_list"), {"portee": "toutes"})
    assert len(response.context["jobs"]) == 3
    assertContains(response, "Demandée par")


def test_a_user_who_is_not_admin_cannot_list_every_job(client, staff_user):
    JobFactory.create_batch(2)

    client.force_login(staff_user)
    response = client.get(reverse("jobs:job_list"), {"portee": "toutes"})

    assert list(response.context["jobs"]) == []


def test_the_jobs_page_filters_by_status(client, staff_user):
    JobFactory(requested_by=staff_user, done=True)
    failed = JobFactory(requested_by=staff_user, failed=True)
    client.force_login(staff_user)

    response = client.get(reverse("jobs:job_list"), {"etat": JobStatus.FAILED})

    assert list(response.context["jobs"]) == [failed]
    assertContains(response, failed.error_message)


@pytest.mark.parametrize("count", [3, 30])
def test_the_jobs_page_runs_the_same_number_of_queries_whatever_the_number_of_jobs(
    client, admin_user, django_assert_num_queries, count
):
    JobFactory.create_batch(count, requested_by=admin_user, done=True)
    client.force_login(admin_user)

    # session, user, user's roles, count, page of jobs (with their requester)
    with django_assert_num_queries(5):
        response = client.get(reverse("jobs:job_list"), {"portee": "toutes"})

    assert len(response.context["jobs"]) == min(count, 20)


def test_the_jobs_page_is_paginated(client, staff_user):
    JobFactory.create_batch(25, requested_by=staff_user)
    client.force_login(staff_user)

    response = client.get(reverse("jobs:job_list"), {"page": 2})

    assert len(response.context["jobs"]) == 5
    assertContains(response, "Page 2 sur 2")


def test_a_user_cannot_see_or_download_another_users_job(client, applicant_user):
    other = JobFactory(done=True)
    client.force_login(applicant_user)

    assert client.get(reverse("jobs:job_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("jobs:job_download", args=[other.pk])).status_code == 404
    assert client.post(reverse("jobs:job_retry", args=[other.pk])).status_code == 404


def test_the_owner_downloads_the_result_file(client, applicant_user):
    job = JobFactory(requested_by=applicant_user, done=True)
    client.force_login(applicant_user)

    response = client.get(reverse("jobs:job_download", args=[job.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK fake xlsx"
    assert response["Content-Disposition"].startswith("attachment;")


def test_an_admin_downloads_any_result_file(client, admin_user):
    job = JobFactory(done=True)
    client.force_login(admin_user)

    response = client.get(reverse("jobs:job_download", args=[job.pk]))

    assert response.status_code == 200
    response.close()


def test_downloading_a_job_without_file_answers_404(client, staff_user):
    job = JobFactory(requested_by=staff_user, running=True)
    client.force_login(staff_user)

    assert client.get(reverse("jobs:job_download", args=[job.pk])).status_code == 404


def test_the_detail_page_shows_the_error_but_the_traceback_only_to_technical_staff(client, applicant_user, admin_user):
    job = JobFactory(requested_by=applicant_user, failed=True)
    client.force_login(applicant_user)

    response = client.get(reverse("jobs:job_detail", args=[job.pk]))

    assertContains(response, job.error_message)
    assertContains(response, "Relancer")
    assertNotContains(response, "Traceback")
    client.force_login(admin_user)
    assertContains(client.get(reverse("jobs:job_detail", args=[job.pk])), "Traceback")


def test_the_status_endpoint_answers_the_visible_jobs_as_json(client, staff_user):
    running = JobFactory(requested_by=staff_user, running=True)
    done = JobFactory(requested_by=staff_user, done=True)
    other = JobFactory(running=True)
    client.force_login(staff_user)

    response = client.get(reverse("jobs:job_status"), {"ids": f"{running.pk},{done.pk},{other.pk},abc"})

    assert response.status_code == 200
    data = json.loads(response.content)["jobs"]
    assert [job["id"] for job in data] == [running.pk, done.pk]
    assert data[0] == {
        "id": running.pk,
        "kind": "Export des données de référence",
        "status": "running",
        "status_display": "En cours",
        "is_active": True,
        "progress": 40,
        "progress_message": "Communes",
        "error_message": "",
        "finished_at": None,
        "download_url": None,
        "result_filename": "",
    }
    assert data[1]["download_url"] == reverse("jobs:job_download", args=[done.pk])
    assert data[1]["is_active"] is False


def test_the_owner_retries_a_failed_job(client, applicant_user, django_capture_on_commit_callbacks):
    job = JobFactory(kind=kinds.OK, requested_by=applicant_user, failed=True)
    client.force_login(applicant_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:job_retry", args=[job.pk]))

    assertRedirects(response, reverse("jobs:job_list"))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.attempts == 1
    assert job.error_message == ""


def test_a_job_that_did_not_fail_cannot_be_retried(client, applicant_user):
    job = JobFactory(requested_by=applicant_user, done=True)
    client.force_login(applicant_user)

    response = client.post(reverse("jobs:job_retry", args=[job.pk]), follow=True)

    assertContains(response, "Seule une tâche échouée peut être relancée.")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_staff_request_the_reference_export_from_the_jobs_page(client, staff_user, django_capture_on_commit_callbacks):
    client.force_login(staff_user)
    assertContains(client.get(reverse("jobs:job_list")), "Exporter les données de référence")
    key = "8b5f3c1e-4a5d-4b8e-9a55-2f6f6b1f0c11"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:request_reference_export"), {"request_key": key}, follow=True)
        client.post(reverse("jobs:request_reference_export"), {"request_key": key})  # double click

    assertRedirects(response, reverse("jobs:job_list"))
    assertContains(response, "L’export des données de référence a été demandé.")
    job = Job.objects.get()
    assert job.kind == JobKind.REFERENCE_EXPORT
    assert job.requested_by == staff_user
    assert job.status == JobStatus.DONE


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.ELECTED, Role.PARTNER, Role.PROCUREMENT])
def test_other_roles_cannot_request_the_reference_export(db, client, role):
    client.force_login(UserFactory(role=role))

    assertNotContains(client.get(reverse("jobs:job_list")), "Exporter les données de référence")
    response = client.post(reverse("jobs:request_reference_export"))

    assert response.status_code == 403
    assert not Job.objects.exists()
