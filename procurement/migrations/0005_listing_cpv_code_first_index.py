"""An index of the listings' CPV codes by code first, so that a CPV filter reads the listings of a code from the
index alone (the automatic many-to-many table only has (listing, code) and single-column indexes)."""

from django.db import migrations

INDEX = "asr_listing_cpv_by_code"


class Migration(migrations.Migration):
    dependencies = [("procurement", "0004_sourcing_spend_contracts")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON procurement_asrlisting_cpv_codes (cpvcode_id, asrlisting_id)",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
