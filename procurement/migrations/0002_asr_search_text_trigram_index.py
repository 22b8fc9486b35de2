from django.db import migrations


def create_trigram_index(apps, schema_editor):
    # On PostgreSQL a trigram GIN index serves `search_text LIKE '%word%'` (the buyer directory's search);
    # SQLite scans, which is fine there.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS asr_listing_search_text_trgm "
        "ON procurement_asrlisting USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS asr_listing_search_text_trgm")


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_initial")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
