"""The two editors' groups: 编辑 edits and submits for review; 审核 may also publish."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_CODENAMES = {
    "article": ["view", "add", "change"],
    "source": ["view", "add", "change"],
    "region": ["view"],
    "regionalias": ["view"],
    "tag": ["view", "add", "change"],
    "tagsynonym": ["view", "add", "change"],
    "importbatch": ["view", "add"],
    "importrecord": ["view"],
    "statuschange": ["view"],
    "historicalarticle": ["view"],
}
REVIEWER_EXTRA = {
    "article": ["delete", "publish_article"],
    "source": ["delete"],
    "tag": ["delete"],
    "tagsynonym": ["delete"],
}


def _codenames(spec):
    for model, actions in spec.items():
        for action in actions:
            yield action if action.endswith("_article") else f"{action}_{model}"


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor_perms = list(_codenames(EDITOR_CODENAMES))
    reviewer_perms = editor_perms + list(_codenames(REVIEWER_EXTRA))
    for name, codenames in (("编辑", editor_perms), ("审核", reviewer_perms)):
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(
            codename__in=codenames, content_type__app_label__in=["articles", "taggit"]
        )
        group.permissions.set(perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["编辑", "审核"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_load_regions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
