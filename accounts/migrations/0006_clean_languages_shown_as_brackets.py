"""Languages once shown as "[]" in the profile box were saved back as the language "[]"."""

from django.db import migrations


def _item(text: str) -> str:
    # As core.forms.clean_list_item, copied: a migration does not import app code.
    return " ".join(str(text).strip().strip("[]'\"").strip().split())


def clean_languages(apps, schema_editor):
    Profile = apps.get_model("accounts", "Profile")
    changed = []
    for profile in Profile.objects.only("pk", "languages").iterator(chunk_size=500):
        stored = profile.languages if isinstance(profile.languages, list) else []
        seen: dict[str, str] = {}
        for name in map(_item, stored):
            if name and name.casefold() not in seen:
                seen[name.casefold()] = name
        if list(seen.values()) != profile.languages:
            profile.languages = list(seen.values())
            changed.append(profile)
    Profile.objects.bulk_update(changed, ["languages"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_optional_reminders")]

    operations = [
        # Nothing to put back: "[]" was never a language.
        migrations.RunPython(clean_languages, migrations.RunPython.noop),
    ]
