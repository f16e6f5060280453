"""Import messages in the reader's language: stored as templates with parameters, put into words when read.

A Belarusian and a Russian editor read the same preview and the same stored batch each in their own language;
rows stored before (plain English strings) still show as written; the command line stays English.
"""

import html
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from spis.intake.models import ImportBatch, ImportRow
from spis.registry import actions
from spis.registry.models import Person

from ..conftest import login_verified
from .helpers import FIXTURES, fixture, run

VIASNA = "viasna_ru_bom_semicolon.csv"

# The VIASNA fixture's three refused rows, as each language says them (the column header and the cell value
# are the file's own, in every language).
REFUSED = {
    "be": [
        "ФИО: няма імені: у чалавека павінна быць імя",
        "'31.02.1980': такой даты не існуе",
        'ФИО (=HYPERLINK("http://example.invalid","click")): падобна на формулу электроннай табліцы; не прынята '
        "(запішыце значэнне як тэкст)",
    ],
    "ru": [
        "ФИО: нет имени: у человека должно быть имя",
        "'31.02.1980': такой даты не существует",
        'ФИО (=HYPERLINK("http://example.invalid","click")): похоже на формулу электронной таблицы; отклонено '
        "(запишите значение как текст)",
    ],
}
ENGLISH = ["missing name", "not a real date", "spreadsheet formula", "listed as recognised", "matched"]


def _editor(user, language):
    """A signed-in editor's own browser, with their language chosen as the site's language form does."""
    client = login_verified(Client(), user)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client


def _text(response):
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).replace("<em>", "").replace("</em>", "").split())


def _uploaded(client):
    upload = SimpleUploadedFile(VIASNA, fixture(VIASNA))
    client.post(reverse("intake:upload"), {"file": upload, "mapping": "viasna", "partial": True})
    return ImportBatch.objects.get()


def test_the_preview_shows_each_editor_the_row_messages_in_their_language(users):
    belarusian, russian = _editor(users["editor"], "be"), _editor(users["admin"], "ru")
    batch = _uploaded(belarusian)
    be = _text(belarusian.get(reverse("intake:preview", args=[batch.pk])))
    ru = _text(russian.get(reverse("intake:preview", args=[batch.pk])))
    # Problems (column, value, reason), notes and match messages, whose parameters are words of their own.
    assert "ФИО: няма імені: у чалавека павінна быць імя" in be
    assert "Дата рождения / Date of birth (31.02.1980): '31.02.1980': такой даты не існуе" in be
    assert "у спісе пазначана прызнанне палітвязнем, але без даты: прызнанне не запісана" in be
    assert "супадзенне па імені 'Тэставы Янка Пятровіч' (1.00): чалавек вышэй у гэтым файле" in be
    assert "ФИО: нет имени: у человека должно быть имя" in ru
    assert "'31.02.1980': такой даты не существует" in ru
    assert "совпадение по имени 'Пробная Марыя Янаўна' (1.00): человек выше в этом файле" in ru
    assert not [words for words in ENGLISH if words in be or words in ru]


def test_a_stored_batch_reads_in_each_editors_language(users):
    belarusian, russian = _editor(users["editor"], "be"), _editor(users["admin"], "ru")
    batch = _uploaded(belarusian)
    belarusian.post(reverse("intake:confirm", args=[batch.pk]))
    # Stored as templates and parameters, not as sentences in the language of whoever confirmed the upload.
    missing = ImportRow.objects.get(batch=batch, line=6).messages[0]
    assert missing == {
        "text": "%(column)s: %(message)s",
        "params": {"column": "ФИО", "message": {"text": "missing name: a person needs a name", "params": {}}},
        "problem": True,
        "line": 6,
    }
    for client, language in ((belarusian, "be"), (russian, "ru")):
        page = _text(client.get(reverse("intake:batch", args=[batch.pk])))
        assert all(message in page for message in REFUSED[language]), language
        assert not [words for words in ENGLISH if words in page]


def test_conflicts_and_refusals_name_events_fields_and_kinds_in_the_readers_words(users):
    run(VIASNA, partial=True)
    data = (
        "ФИО;Дата рождения;Пол;Дата задержания;Статус;Дата освобождения\n"
        "Тэставы Янка Пятровіч;1985;ж;15.03.2021;;\n"
        "Новы Чалавек Тэставы;1990;м;;помилован;03.07.2023\n"
    ).encode()
    batch = run("correction.csv", data=data, partial=True).batch_id
    expected = {
        "be": [
            "затрыманы (Дата задержания): дата: у рэестры 2021-03-12, у файле 2021-03-15; запісана як "
            "выпраўленне, якое замяняе падзею ў рэестры і спасылаецца на гэты імпарт",
            "пол: у рэестры мужчына, у файле жанчына; пакінута тое, што ў рэестры",
            # A refusal of spis.registry.custody, with the column and the value written in it, in the row's terms.
            "Дата освобождения (03.07.2023): вызваленне, але перад ім няма даты затрымання (ні ў гэтым радку, ні ў "
            "рэестры): дадайце дату затрымання",
        ],
        "ru": [
            "задержан (Дата задержания): дата: в реестре 2021-03-12, в файле 2021-03-15; записано как "
            "исправление, которое заменяет событие в реестре и ссылается на этот импорт",
            "пол: в реестре мужчина, в файле женщина; оставлено то, что в реестре",
            "Дата освобождения (03.07.2023): освобождение, но до него нет даты задержания (ни в этой строке, ни в "
            "реестре): добавьте дату задержания",
        ],
    }
    for user, language in ((users["editor"], "be"), (users["admin"], "ru")):
        page = _text(_editor(user, language).get(reverse("intake:batch", args=[batch])))
        assert all(message in page for message in expected[language]), language
        assert "stored" not in page and "a release, but" not in page
    english = _text(_editor(users["editor"], "en").get(reverse("intake:batch", args=[batch])))
    assert "gender: stored male, file says female; kept stored" in english
    assert (
        "Дата освобождения (03.07.2023): a release, but no date of detention before it (in this row or the "
        "registry): add the date of detention" in english
    )


def test_rows_stored_before_show_their_plain_messages_as_written(users):
    client = _editor(users["editor"], "be")
    batch = _uploaded(client)
    client.post(reverse("intake:confirm", args=[batch.pk]))
    # A row from before messages were kept structured: a finished English sentence.
    old = "Дата рождения: '31.02.1980' is not a real date (day is out of range for month)"
    ImportRow.objects.create(batch=batch, line=99, raw={}, outcome="error", messages=[old])
    page = _text(client.get(reverse("intake:batch", args=[batch.pk])))
    assert old in page and all(message in page for message in REFUSED["be"])
    assert "{" not in page.split("<tbody>")[1]  # no stored JSON shown raw


@pytest.mark.django_db
def test_a_structured_match_message_never_names_a_sealed_person_to_an_editor_without_a_grant(users):
    from spis.intake.views import _hidden_people, _redact

    sealed = actions.create_person("t", "Hidden Sealedperson", confidentiality="sealed")
    stored = {
        "text": "matched %(person)s by name %(name)s (%(score)s)",
        "params": {"person": sealed.public_id, "name": "'Hidden Sealedperson'", "score": "0.93"},
    }
    with translation.override("ru"):
        shown = _redact([stored], _hidden_people(users["editor"]))
    assert [said.text for said in shown] == [
        "совпадение с человеком, чья запись вам недоступна; администратор проверит эту строку"
    ]


def test_the_command_line_stays_english_and_stores_what_pages_translate(users):
    out = io.StringIO()
    with translation.override("be"):
        call_command(
            "import", str(FIXTURES / VIASNA), "--mapping", "viasna", "--partial", "--json", stdout=out
        )
    result = json.loads(out.getvalue())
    assert [(e["line"], e["column"], e["message"]) for e in result["errors"]] == [
        (6, "ФИО", "missing name: a person needs a name"),
        (7, "Дата рождения / Date of birth", "'31.02.1980' is not a real date"),
        (10, "ФИО", "looks like a spreadsheet formula; refused (write the value as text)"),
    ]
    page = _text(_editor(users["editor"], "be").get(reverse("intake:batch", args=[result["batch"]])))
    assert all(message in page for message in REFUSED["be"])


@pytest.mark.django_db
def test_the_registrys_own_refusals_read_in_the_readers_language():
    """Refusals raised by registry.actions (not only custody's) are templates too: a row written onto a record
    merged into another person names that person in every language."""
    from spis.intake.importer import _refusal
    from spis.intake.messages import render
    from spis.registry.custody import InvalidHistory

    kept = actions.create_person("t", "Тэставы Янка")
    merged = actions.create_person("t", "Тестовый Иван")
    Person.objects.filter(pk=merged.pk).update(merged_into=kept)
    merged.refresh_from_db()
    with pytest.raises(InvalidHistory) as refused:
        actions.record_event("t", merged, "detained", "2021-03-12")
    assert (
        str(refused.value)
        == f"{merged.public_id}: detained: merged into {kept.public_id}; record events there"
    )
    with translation.override("be"):
        assert f"далучаны да {kept.public_id}" in render(_refusal(refused.value))
    with translation.override("ru"):
        assert f"присоединён к {kept.public_id}" in render(_refusal(refused.value))


@pytest.mark.django_db
def test_rows_stored_before_messages_carried_levels_are_marked_with_their_persons_strictest(users):
    """A batch stored before messages carried the level of the stored facts they show still showed any editor
    a sealed detention's date ("stored 2021-02-01") on its page: migration 0007 marks its messages."""
    import importlib

    from django.apps import apps

    from spis.intake.views import _hidden_people, _redact

    migration = importlib.import_module("spis.intake.migrations.0007_message_levels")
    public = actions.create_person("t", "Адкрыты Чалавек")
    actions.record_event("t", public, "detained", "2021-02-01", confidentiality="sealed")
    plain = actions.create_person("t", "Просты Чалавек")
    actions.record_event("t", plain, "detained", "2021-03-01")
    batch = ImportBatch.objects.create(file_name="list.csv", checksum="0" * 64, format="csv", actor="admin")
    stored = {
        "text": "%(field)s: stored %(stored)s, file says %(file)s",
        "params": {"field": "date", "stored": "2021-02-01", "file": "2021-02-03"},
    }
    old = "detained (Дата задержания): date: stored 2021-02-01, file says 2021-02-03"
    sealed_row = ImportRow.objects.create(
        batch=batch, line=2, raw={}, outcome="conflict", person=public, messages=[stored, old]
    )
    public_row = ImportRow.objects.create(
        batch=batch, line=3, raw={}, outcome="conflict", person=plain, messages=[stored]
    )
    migration.mark_levels(apps, None)
    sealed_row.refresh_from_db()
    public_row.refresh_from_db()
    assert public_row.messages == [stored]
    assert [m["level"] for m in sealed_row.messages] == ["sealed", "sealed"]
    editor = [said.text for said in _redact(sealed_row.messages, _hidden_people(users["editor"]))]
    assert not any("2021-02-01" in text for text in editor)
    admin = [said.text for said in _redact(sealed_row.messages, _hidden_people(users["admin"]))]
    assert admin == ["date: stored 2021-02-01, file says 2021-02-03", old]
    migration.mark_levels(apps, None)  # run again (a second database, a re-run): nothing changes
    assert ImportRow.objects.get(pk=sealed_row.pk).messages == sealed_row.messages
