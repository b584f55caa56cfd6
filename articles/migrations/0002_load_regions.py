"""Load China's administrative divisions from articles/data/regions (NBS 2023 codes, see its README)."""
from django.db import migrations


def load(apps, schema_editor):
    from articles.ingest.divisions import read_divisions

    Region = apps.get_model("articles", "Region")
    RegionAlias = apps.get_model("articles", "RegionAlias")
    regions, aliases = read_divisions()
    by_code = {}
    for row in sorted(regions, key=lambda r: (r.parent_code is not None, r.code)):
        obj, _ = Region.objects.update_or_create(
            code=row.code,
            defaults={
                "name": row.name,
                "short_name": row.short_name,
                "level": row.level,
                "parent": by_code.get(row.parent_code),
            },
        )
        by_code[row.code] = obj
    RegionAlias.objects.bulk_create(
        [RegionAlias(name=a.name, short_name=a.short_name, region=by_code[a.region_code]) for a in aliases],
        ignore_conflicts=True,
    )


def unload(apps, schema_editor):
    apps.get_model("articles", "RegionAlias").objects.all().delete()
    Region = apps.get_model("articles", "Region")
    Region.objects.filter(parent__isnull=False).delete()
    Region.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
