"""Every interface string of the site ships in Belarusian and Russian, compiled."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "spis" / "locale"
WEB_TEMPLATES = Path(settings.BASE_DIR) / "spis" / "web" / "templates" / "web"
CAMPAIGN_TEMPLATES = Path(settings.BASE_DIR) / "spis" / "campaigns" / "templates" / "campaigns"


def _entries(language: str) -> list[dict]:
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = []
    for chunk in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', chunk, re.M)
        if not msgid:
            continue
        strings = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', chunk, re.M)
        entries.append(
            {
                "msgid": "".join(re.findall(r'"(.*)"', msgid.group(1))),
                "msgstr": ["".join(re.findall(r'"(.*)"', s)) for s in strings],
                "refs": " ".join(re.findall(r"^#: (.*)$", chunk, re.M)),
                "fuzzy": "#, fuzzy" in chunk or bool(re.search(r"^#,.*fuzzy", chunk, re.M)),
            }
        )
    return entries


@pytest.mark.parametrize("language", ["be", "ru"])
def test_it_translates_every_string_of_the_site(language):
    # The whole catalogue: the public site and statistics, campaign, precedent and corridor pages, the staff
    # import pages and sign-in; a new string left untranslated (or a fuzzy guess of msgmerge) fails here.
    entries = [e for e in _entries(language) if e["msgid"]]
    site = [e for e in entries if "spis/web/" in e["refs"] or "spis/stats/" in e["refs"]]
    assert len(site) > 150
    assert any("spis/campaigns/" in e["refs"] for e in entries)
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"]) or e["fuzzy"]]
    assert not untranslated
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()


@pytest.mark.parametrize("language", ["be", "ru"])
def test_it_keeps_placeholders_in_translations(language):
    for entry in _entries(language):
        wanted = sorted(set(re.findall(r"%\(\w+\)s", entry["msgid"])))
        for msgstr in entry["msgstr"]:
            if msgstr:
                assert sorted(set(re.findall(r"%\(\w+\)s", msgstr))) == wanted, entry["msgid"]


def test_it_has_no_untranslatable_text_in_the_site_templates():
    # Text between tags must come from {% translate %}, a variable or a tag; stray English would stay English.
    for path in [*WEB_TEMPLATES.glob("*.html"), *CAMPAIGN_TEMPLATES.glob("*.html")]:
        source = path.read_text(encoding="utf-8")
        stripped = re.sub(r"{% blocktranslate.*?{% endblocktranslate %}", "", source, flags=re.S)
        stripped = re.sub(r"{%.*?%}|{{.*?}}|<script.*?</script>|<style.*?</style>", "", stripped, flags=re.S)
        for text in re.findall(r">([^<>]+)<", stripped):
            words = re.findall(r"[A-Za-z]{3,}", text)
            allowed = {"CSV", "JSON", "FollowTheMoney", "FtM", "spis", "API"}
            assert not [w for w in words if w not in allowed], (path.name, text.strip())
        get_template(f"{path.parent.name}/{path.name}")


def test_it_compiles_catalogues_that_django_loads():
    with translation.override("be"):
        assert translation.gettext("Skip to content") == "Перайсці да зместу"
    with translation.override("ru"):
        assert translation.gettext("Skip to content") == "Перейти к содержанию"


def test_it_groups_thousands_in_every_language():
    # Django ships no Belarusian formats: without spis/formats/be a Belarusian page printed 29312.
    from django.contrib.humanize.templatetags.humanize import intcomma

    expected = {"en": "29,312", "be": "29\xa0312", "ru": "29\xa0312"}
    for language, text in expected.items():
        with translation.override(language):
            assert intcomma(29312) == text


def test_the_birthdays_window_reads_as_a_sentence_in_every_language():
    # Month names as dates use them ("1 лістапада", "1 ноября"): the nominative would not fit the sentence.
    import datetime as dt

    page = get_template("web/birthdays.html")
    context = {
        "first_month": dt.date(2026, 11, 1),
        "last_month": dt.date(2026, 12, 1),
        "people": [],
        "days": 30,
    }
    expected = {"en": "between 1 November and the end of December", "be": "з 1 лістапада", "ru": "с 1 ноября"}
    for language, words in expected.items():
        with translation.override(language):
            assert words in " ".join(page.render(context).split())
