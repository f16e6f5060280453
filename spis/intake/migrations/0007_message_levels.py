"""Mark the messages of rows stored before messages carried the level of the stored facts they show.

A conflict names the stored event's values ("date: stored 2021-02-01, file says 2021-02-03"); since messages
carry that event's level (Message.at), the preview, the batch page and the admin withhold such a message from a
reader below it (views._redact). Rows stored before then carry no level, and their pages still showed a sealed
detention's date to any editor. Which of their messages show a stored value cannot be told from the stored
JSON alone, so each message of such a row is marked with the strictest level of its person's events (their
records merged into or from them too): withheld from a reader below it, read by an administrator as before.
A refused row is stored without its person, though its messages may name a stored value of the person it
matched: each of its messages that speaks of a stored event (_STORED_WORDS: every template that shows or stands
on one says one of them) is marked with the strictest level of any event. A message already marked, or a row whose person's events are all
public, is left as it is.
"""

from django.db import migrations

STRICTNESS = {"public": 0, "restricted": 1, "sealed": 2}


def _marked(message, level):
    if isinstance(message, dict) and "text" in message:
        if message.get("level"):
            return message
        return {**message, "level": level}
    # A row stored before messages were kept structured: its finished English sentence, as a parameter (a
    # list, as messages.render joins one).
    value = message if isinstance(message, list) else str(message)
    return {"text": "%(value)s", "params": {"value": value}, "level": level}


# Words of every template that shows or stands on a stored event: its value ("stored 2021-02-01"), an event the
# registry holds, the release or death a refused row comes after, the custody a detention runs on from.
_STORED_WORDS = ("stored", "registry holds", "or the registry", "death", "held since")


def _speaks_of_stored(message) -> bool:
    if isinstance(message, dict):
        return any(word in str(message.get("text", "")) for word in _STORED_WORDS) or any(
            _speaks_of_stored(v) for v in (message.get("params") or {}).values()
        )
    if isinstance(message, list):
        return any(_speaks_of_stored(m) for m in message)
    return isinstance(message, str) and any(word in message for word in _STORED_WORDS)


def mark_levels(apps, schema_editor):
    ImportRow = apps.get_model("intake", "ImportRow")
    Person = apps.get_model("registry", "Person")
    Event = apps.get_model("registry", "Event")
    strictest: dict[int, str] = {}
    for person_id, level in Event.objects.exclude(confidentiality="public").values_list(
        "person_id", "confidentiality"
    ):
        if STRICTNESS.get(level, 2) > STRICTNESS.get(strictest.get(person_id, "public"), 0):
            strictest[person_id] = level if level in STRICTNESS else "sealed"
    if not strictest:
        return
    anyone = max(strictest.values(), key=STRICTNESS.__getitem__)
    # A record merged into a person stands for them, and the person for it: every record of a chain of merges
    # (D into A, later A into R) is one family.
    root: dict[int, int] = {}

    def find(pk: int) -> int:
        while root.get(pk, pk) != pk:
            pk = root[pk]
        return pk

    for pk, into in Person.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id"):
        a, b = find(pk), find(into)
        if a != b:
            root[a] = b
    family: dict[int, set[int]] = {}
    for pk in list(root):
        family.setdefault(find(pk), {find(pk)}).add(pk)
    family = {pk: members for members in family.values() for pk in members}
    rows = ImportRow.objects.exclude(messages=[]).only("pk", "person_id", "messages")
    changed = []
    for row in rows.iterator(chunk_size=2000):
        if not isinstance(row.messages, list):
            continue
        if row.person_id is None:
            messages = [_marked(m, anyone) if _speaks_of_stored(m) else m for m in row.messages]
        else:
            levels = [strictest.get(pk, "public") for pk in family.get(row.person_id, {row.person_id})]
            level = max(levels, key=STRICTNESS.__getitem__)
            if level == "public":
                continue
            messages = [_marked(m, level) for m in row.messages]
        if messages != row.messages:
            row.messages = messages
            changed.append(row)
        if len(changed) >= 2000:
            ImportRow.objects.bulk_update(changed, ["messages"])
            changed = []
    ImportRow.objects.bulk_update(changed, ["messages"])


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0006_batch_discarded"),
        ("registry", "0018_name_language_tag"),
    ]

    operations = [migrations.RunPython(mark_levels, migrations.RunPython.noop)]
