from django.db import migrations


def fill_search_text(apps, schema_editor):
    from actors.models import normalize_search_text

    Actor = apps.get_model("actors", "Actor")
    for actor in Actor.objects.only("pk", "name", "siret", "description").iterator(chunk_size=2000):
        Actor.objects.filter(pk=actor.pk).update(
            search_text=normalize_search_text(f"{actor.name} {actor.siret} {actor.description}")
        )


def create_trigram_index(apps, schema_editor):
    # On PostgreSQL a trigram GIN index serves `search_text LIKE '%word%'`; SQLite scans, which is fine there.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS actor_search_text_trgm ON actors_actor USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS actor_search_text_trgm")


class Migration(migrations.Migration):
    dependencies = [("actors", "0002_agrements_contacts_history_claims")]

    operations = [
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
