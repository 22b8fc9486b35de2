"""The background job of large actor imports (kind `actor_import`), registered when the actors app is ready."""

from django.core.files.base import ContentFile

from accounts.models import User
from actors.enums import ActorImportStatus
from actors.importing.reading import ImportFileError
from actors.importing.services import mark_failed, run_import
from actors.models import ActorImport
from ess_portal.jobs.enums import JobKind
from ess_portal.jobs.registry import JobFailed, register


@register(JobKind.ACTOR_IMPORT)
def import_actors(job) -> ContentFile:
    """Run a confirmed import (parameters: `import_id`, `user_id`); the result is the report (CSV).

    Idempotent: the writes and the report are committed together, so a second run finds the import done and
    only hands back its report.
    """
    actor_import = ActorImport.objects.filter(pk=job.parameters.get("import_id")).first()
    if actor_import is None:
        raise JobFailed("Ce fichier d’import n’existe plus.")
    user = User.objects.filter(pk=job.parameters.get("user_id")).first() or job.requested_by
    ActorImport.objects.filter(pk=actor_import.pk).exclude(status=ActorImportStatus.DONE).update(
        status=ActorImportStatus.RUNNING, error_message=""
    )
    try:
        actor_import = run_import(actor_import=actor_import, by=user, progress=job.set_progress)
    except ImportFileError as error:
        mark_failed(actor_import=actor_import, message=str(error))
        raise JobFailed(str(error)) from error
    except Exception:
        mark_failed(
            actor_import=actor_import,
            message="L’import a échoué : aucun acteur n’a été enregistré. Vous pouvez relancer la tâche.",
        )
        raise
    with actor_import.report_file.open("rb") as report:
        return ContentFile(report.read(), name=f"rapport-import-acteurs-{actor_import.pk}.csv")
